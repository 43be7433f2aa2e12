// Why a hit matched (docs/search.md, "Explanations"): the resource's texts
// are analyzed again and the words whose terms are variants of the query's
// words are reported with their offsets. Only the hits of the page returned
// are explained, so the index keeps no positions for it.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_EXPLAIN_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_EXPLAIN_H_

#include <vector>

#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/search/index.h"
#include "service/query/search/scorer.h"

namespace factgraph::query::search {

// Most matches reported per hit, and the longest text reported whole (in
// code points; longer ones are cut to an excerpt around the first match).
inline constexpr int kMaxMatchesPerHit = 3;
inline constexpr int kMaxExcerptLength = 240;

// Fills result's match_kind, matched_text and matches for `hit`.
void Explain(const SearchIndex& index, const store::Snapshot& snapshot,
             const ParsedQuery& query, const std::vector<Variant>& variants,
             const ScoredDoc& hit, v1::SearchResult* result);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_EXPLAIN_H_
