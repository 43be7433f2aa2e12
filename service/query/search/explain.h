// Why a hit matched (docs/search.md, "Explanations"): the index keeps, per
// resource, its texts and where each of its terms occurs in them, so a hit
// is explained by looking up the occurrences of the query's variant terms,
// without walking or analyzing the resource again. Only the hits of the
// page returned are explained.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_EXPLAIN_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_EXPLAIN_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "service/query/search/index.h"
#include "service/query/search/page.h"
#include "service/query/search/scorer.h"

namespace factgraph::query::search {

// Most matches reported per hit, and the longest text reported whole (in
// code points; longer ones are cut to an excerpt around the first match).
inline constexpr int kMaxMatchesPerHit = 3;
inline constexpr int kMaxExcerptLength = 240;

// Explains the hits of one query: what depends only on the query (the best
// variant per term, the exact name forms) is derived once, not once per hit
// of the page. All references must outlive it.
class Explainer {
 public:
  Explainer(const SearchIndex& index, const store::Snapshot& snapshot,
            const ParsedQuery& query, absl::Span<const Variant> variants);

  // Fills result's match_kind, matched_text and matches for `hit`,
  // appending the matches and their spans to page's (`result` is the last
  // of page->hits). The spans' query words are views of `query`.
  void Explain(const ScoredDoc& hit, Page* page, PageHit* result) const;

 private:
  const SearchIndex& index_;
  const store::Snapshot& snapshot_;
  const ParsedQuery& query_;
  // The best variant per term, ordered by term.
  absl::InlinedVector<std::pair<TermId, const Variant*>, 8> by_term_;
  absl::InlinedVector<std::string, 2> exact_forms_;
};

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_EXPLAIN_H_
