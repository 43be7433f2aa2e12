// The graph of references: every fact whose object is an EntityRef links its
// subject and its target, and links are followed in both directions.
#ifndef FACTGRAPH_SERVICE_QUERY_GRAPH_H_
#define FACTGRAPH_SERVICE_QUERY_GRAPH_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/cancel_check.h"
#include "service/store/snapshot.h"

namespace factgraph::query {

// The most neighbours or paths one call returns, whatever it asks for.
struct GraphLimits {
  int max_results = 1000;
};

struct NeighborsRequest {
  NeighborsRequest() = default;
  explicit NeighborsRequest(const v1::ListNeighborsRequest& request);

  std::string name;
  // 1 to 4; 0 means 1.
  int depth = 0;
  // Only links with these predicates ("parties", "roles.institution");
  // empty means all.
  std::vector<std::string> predicates;
  // 0 means 100. Negative is INVALID_ARGUMENT.
  int max_results = 0;
};

// Breadth-first from `name`: every entity within `depth` links, with its
// distance and the linking facts that reach it from entities one link
// closer (in fact order). Ordered by distance, then name; `truncated` when
// max_results cut the list. Errors: INVALID_ARGUMENT for a malformed name or
// a depth outside 1..4, NOT_FOUND for an unknown entity, CANCELLED when
// `cancelled` says so.
absl::StatusOr<v1::ListNeighborsResponse> ListNeighbors(
    const store::Snapshot& snapshot, const NeighborsRequest& request,
    const CancelCheck& cancelled = nullptr);

struct PathsRequest {
  PathsRequest() = default;
  explicit PathsRequest(const v1::FindPathsRequest& request);

  std::string from;
  std::string to;
  // 1 to 6; 0 means 4.
  int max_length = 0;
  // 0 means 10. Negative is INVALID_ARGUMENT.
  int max_paths = 0;
};

// All shortest chains of links from `from` to `to` of at most max_length
// links (none when the shortest is longer). Two facts linking the same pair
// of entities make two paths. Paths are ordered step by step: by the name of
// the next entity, then by the linking fact's position in the fact view;
// `truncated` when max_paths cut the list. The work is one breadth-first search
// plus, per path returned, a walk of its length: only entities on some shortest
// path are walked. Errors: INVALID_ARGUMENT for malformed names, from == to, or
// max_length outside 1..6; NOT_FOUND for an unknown entity; CANCELLED.
absl::StatusOr<v1::FindPathsResponse> FindPaths(
    const store::Snapshot& snapshot, const PathsRequest& request,
    const CancelCheck& cancelled = nullptr);

// The service's entry points: the call of the v1 request, its max_results
// or max_paths capped at limits.max_results.
absl::StatusOr<v1::ListNeighborsResponse> ListNeighbors(
    const store::Snapshot& snapshot, const v1::ListNeighborsRequest& request,
    const GraphLimits& limits, const CancelCheck& cancelled);
absl::StatusOr<v1::FindPathsResponse> FindPaths(
    const store::Snapshot& snapshot, const v1::FindPathsRequest& request,
    const GraphLimits& limits, const CancelCheck& cancelled);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_GRAPH_H_
