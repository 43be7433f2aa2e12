// SearchEntities: ranked full-text retrieval over every text a resource
// carries (docs/search.md; README "Search"). The query is analyzed into words
// (search/analyzer.h); every resource whose texts contain a word, or a
// variant of it (prefix, Korean particle, typo), is a hit, scored by BM25F
// over field classes of different weights (search/fields.h) and ranked by
// score, then by name (search/scorer.h). An exact display name or alias
// ranks first. Each hit of the page says which texts matched and where
// (search/explain.h).
//
// Cost: the index is built once per snapshot, when the server installs it
// (search/index.h); a query reads the posting lists of its words' variants,
// which it finds by hash and prefix lookups, never by scanning the
// vocabulary; scoring reads postings only, the best offset + page_size hits
// are kept in a bounded heap (docs/search.md, "Ranking cost"), and only the
// page is explained, from the texts and term occurrences the index keeps per
// resource (docs/search.md, "Explanations").
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/page_token.h"
#include "service/query/search/index.h"
#include "service/query/search/page.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::query {

struct SearchLimits {
  int32_t default_page_size = 10;
  int32_t max_page_size = 100;
  // Longest query, in characters (OUT_OF_RANGE beyond).
  int max_query_length = 512;
  // Most words in a query, stop words included (OUT_OF_RANGE beyond).
  int max_query_words = 32;
};

struct SearchOutcome {
  // The snapshot searched (a page token pins the snapshot of its first page).
  std::shared_ptr<const store::Snapshot> snapshot;
  v1::SearchEntitiesResponse response;
};

// The search index of `snapshot`: opened on first use (read from the
// snapshot's file after validating it, or built for a seeds snapshot), then
// kept while the snapshot lives (at most a few snapshots' indexes are
// kept). Loading a snapshot opens it (LoadCompiledSnapshotWithIndexes, the
// server's LoadSnapshot), so a bad index fails the load, and no search
// waits for it. Errors (INVALID_ARGUMENT) name the snapshot's source, the
// section and its file offset.
absl::StatusOr<std::shared_ptr<const search::SearchIndex>> OpenSearchIndex(
    const std::shared_ptr<const store::Snapshot>& snapshot);
// The same, nullptr on error: for callers whose snapshot was loaded with
// its index already opened.
std::shared_ptr<const search::SearchIndex> SearchIndexFor(
    const std::shared_ptr<const store::Snapshot>& snapshot);

// Errors: INVALID_ARGUMENT for an empty query (or one with no letters or
// digits), an unknown collection ("collections[i]: ..."), a negative
// page_size or a bad page token; OUT_OF_RANGE for a query over the length
// limit or with more than max_query_words words; FAILED_PRECONDITION for a
// token whose snapshot is gone.
absl::StatusOr<SearchOutcome> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens);

// The same, filling `response` (cleared first) and returning the snapshot
// searched: the page of the overload below, converted (search::ToResponse).
absl::StatusOr<std::shared_ptr<const store::Snapshot>> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens, v1::SearchEntitiesResponse* response);

// The same, filling `page` (cleared first; the server's is reused from call
// to call and written as wire bytes, search/page_wire.h, docs/search.md
// "Serving"). On success the page holds the snapshot searched (returned)
// and its index, which its views point into, until it is cleared.
absl::StatusOr<std::shared_ptr<const store::Snapshot>> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens, search::Page* page);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_H_
