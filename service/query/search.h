// SearchEntities: resources whose display name or an alias matches a text,
// compared after store::NormalizeForSearch (case, accents, width and
// punctuation do not matter; Hangul is compared as written).
//
// A resource matches as (best first):
//   EXACT_NAME   its normalized display name equals the query;  score 4
//   EXACT_ALIAS  a normalized alias equals the query;           score 3
//   PREFIX       a name or alias starts with the query;         score 2 + c
//   TOKEN        every word of the query is a whole word of a
//                name or alias;                                 score 1 + c
// where c = (query length) / (matched text length), both normalized, in UTF-8
// bytes, capped below 1: among prefix and token matches the one the query
// covers most ranks first. A resource appears once, with its best match
// (display name before alias, then the first in normalized order). Results are
// ordered by score, then by resource name.
//
// Cost: exact and prefix matches are a binary search over the snapshot's
// sorted name entries; token matches intersect the token index's lists,
// starting from the shortest. No step scans all entries.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/page_token.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::query {

struct SearchLimits {
  int32_t default_page_size = 10;
  int32_t max_page_size = 100;
  // Longest query, in characters (OUT_OF_RANGE beyond).
  int max_query_length = 512;
};

struct SearchOutcome {
  // The snapshot searched (a page token pins the snapshot of its first page).
  std::shared_ptr<const store::Snapshot> snapshot;
  v1::SearchEntitiesResponse response;
};

// Errors: INVALID_ARGUMENT for an empty query (or one with no letters or
// digits), an unknown collection ("collections[i]: ..."), a negative
// page_size or a bad page token; OUT_OF_RANGE for a query over the length
// limit; FAILED_PRECONDITION for a token whose snapshot is gone.
absl::StatusOr<SearchOutcome> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_H_
