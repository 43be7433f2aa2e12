#include "service/query/graph.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "service/query/error_details.h"
#include "service/query/resource_name.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;
using store::FactIndex;

constexpr int kDefaultDepth = 1;
constexpr int kMaxDepth = 4;
constexpr int kDefaultMaxResults = 100;
constexpr int kDefaultMaxLength = 4;
constexpr int kMaxLength = 6;
constexpr int kDefaultMaxPaths = 10;

struct Edge {
  int node;  // The entity at the other end.
  FactIndex fact;
};

// Entities met during a search, numbered in order of discovery.
class Graph {
 public:
  Graph(const store::Snapshot& snapshot,
        const std::vector<std::string>& predicates)
      : snapshot_(snapshot),
        predicates_(predicates.begin(), predicates.end()) {}

  int Intern(std::string_view name) {
    auto [it, inserted] = ids_.try_emplace(std::string(name), names_.size());
    if (inserted) names_.push_back(std::string(name));
    return it->second;
  }
  const std::string& Name(int node) const { return names_[node]; }

  // The links of `node` in both directions, self-links left out.
  std::vector<Edge> EdgesOf(int node) {
    const std::string name = names_[node];
    std::vector<Edge> edges;
    std::string scratch;
    for (FactIndex fact : snapshot_.LinksFrom(name)) {
      if (!Follows(fact)) continue;
      const std::string_view target = snapshot_.FactObjectKey(fact, &scratch);
      if (target != name) edges.push_back({Intern(target), fact});
    }
    for (FactIndex fact : snapshot_.LinksTo(name)) {
      if (!Follows(fact)) continue;
      const std::string_view subject = snapshot_.FactSubject(fact);
      if (subject != name) edges.push_back({Intern(subject), fact});
    }
    return edges;
  }

  v1::EntityRef Ref(int node) const {
    v1::EntityRef ref;
    ref.set_name(names_[node]);
    const Message* resource = snapshot_.Find(names_[node]);
    if (resource != nullptr) {
      const auto* field =
          resource->GetDescriptor()->FindFieldByName("display_name");
      if (field != nullptr) {
        ref.set_display_name(
            resource->GetReflection()->GetString(*resource, field));
      }
    }
    return ref;
  }

 private:
  bool Follows(FactIndex fact) const {
    return predicates_.empty() ||
           predicates_.contains(snapshot_.FactPredicate(fact));
  }

  const store::Snapshot& snapshot_;
  // Views into the request, which outlives the search.
  const absl::flat_hash_set<std::string_view> predicates_;
  absl::flat_hash_map<std::string, int> ids_;
  std::vector<std::string> names_;
};

absl::Status CheckEntity(const store::Snapshot& snapshot, std::string_view name,
                         std::string_view field) {
  absl::Status valid = ValidateAnyResourceName(name, field);
  if (!valid.ok()) return valid;
  if (snapshot.Find(name) == nullptr) {
    // ValidateAnyResourceName accepted the collection.
    const store::Collection& collection =
        *store::CollectionById(name.substr(0, name.find('/')));
    return ResourceNotFound(ResourceTypeOf(*collection.descriptor), name,
                            absl::StrFormat("%s: %s not found", field, name));
  }
  return absl::OkStatus();
}

// How far a graph search may go and how much it may return, as asked.
struct SearchBounds {
  // Links (depth, max_length): 0 means `default_steps`; else 1..max_steps.
  int steps;
  int default_steps;
  int max_steps;
  const char* steps_field;
  // Results (max_results, max_paths): 0 means `default_results`; not
  // negative.
  int results;
  int default_results;
  const char* results_field;
};

struct ValidBounds {
  int steps;
  size_t results;
};

// The bounds with their defaults, or INVALID_ARGUMENT on the field that is
// out of range.
absl::StatusOr<ValidBounds> ValidateBounds(const SearchBounds& asked) {
  const int steps = asked.steps == 0 ? asked.default_steps : asked.steps;
  if (steps < 1 || steps > asked.max_steps) {
    return FieldError(
        absl::StatusCode::kInvalidArgument, asked.steps_field,
        v1::INVALID_ARGUMENT,
        absl::StrFormat("%s must be between 1 and %d (got %d)",
                        asked.steps_field, asked.max_steps, asked.steps));
  }
  if (asked.results < 0) {
    return FieldError(absl::StatusCode::kInvalidArgument, asked.results_field,
                      v1::INVALID_ARGUMENT,
                      absl::StrFormat("%s must not be negative (got %d)",
                                      asked.results_field, asked.results));
  }
  return ValidBounds{
      steps, static_cast<size_t>(asked.results == 0 ? asked.default_results
                                                    : asked.results)};
}

// A graph search's request checked in order: its bounds, then each entity
// (name, field) it starts from or goes to.
absl::StatusOr<ValidBounds> ValidateSearch(
    const store::Snapshot& snapshot, const SearchBounds& asked,
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        entities) {
  absl::StatusOr<ValidBounds> bounds = ValidateBounds(asked);
  if (!bounds.ok()) return bounds;
  for (const auto& [name, field] : entities) {
    if (absl::Status valid = CheckEntity(snapshot, name, field); !valid.ok()) {
      return valid;
    }
  }
  return bounds;
}

absl::Status Cancelled() {
  return WithReason(absl::CancelledError("graph search cancelled"),
                    v1::CANCELLED);
}

// One step of a breadth-first search: the entities first reached at
// distance `d` from `layer`, in discovery order, entered in `*distance`;
// `on_link(from, edge)` sees every link that reaches an entity at distance
// `d` (all shortest links). CANCELLED when `cancelled` says so.
template <typename OnLink>
absl::StatusOr<std::vector<int>> NextLayer(
    Graph& graph, const std::vector<int>& layer, int d,
    absl::flat_hash_map<int, int>* distance, const CancelCheck& cancelled,
    OnLink on_link) {
  std::vector<int> next;
  for (int node : layer) {
    if (cancelled && cancelled()) return Cancelled();
    for (const Edge& edge : graph.EdgesOf(node)) {
      auto [it, inserted] = distance->try_emplace(edge.node, d);
      if (inserted) next.push_back(edge.node);
      if (it->second == d) on_link(node, edge);
    }
  }
  return next;
}

}  // namespace

NeighborsRequest::NeighborsRequest(const v1::ListNeighborsRequest& request)
    : name(request.name()),
      depth(request.depth()),
      predicates(request.predicates().begin(), request.predicates().end()),
      max_results(request.max_results()) {}

PathsRequest::PathsRequest(const v1::FindPathsRequest& request)
    : from(request.from()),
      to(request.to()),
      max_length(request.max_length()),
      max_paths(request.max_paths()) {}

absl::StatusOr<v1::ListNeighborsResponse> ListNeighbors(
    const store::Snapshot& snapshot, const NeighborsRequest& request,
    const CancelCheck& cancelled) {
  const absl::StatusOr<ValidBounds> bounds =
      ValidateSearch(snapshot,
                     {request.depth, kDefaultDepth, kMaxDepth, "depth",
                      request.max_results, kDefaultMaxResults, "max_results"},
                     {{request.name, "name"}});
  if (!bounds.ok()) return bounds.status();
  const int depth = bounds->steps;
  const size_t max_results = bounds->results;

  Graph graph(snapshot, request.predicates);
  const int start = graph.Intern(request.name);
  absl::flat_hash_map<int, int> distance = {{start, 0}};
  // Per entity found: the facts reaching it from the layer before.
  absl::flat_hash_map<int, std::vector<FactIndex>> links;
  std::vector<int> found;  // In discovery order, layer by layer.
  std::vector<int> layer = {start};
  bool truncated = false;
  for (int d = 1; d <= depth && !layer.empty(); ++d) {
    absl::StatusOr<std::vector<int>> reached =
        NextLayer(graph, layer, d, &distance, cancelled,
                  [&](int /*from*/, const Edge& edge) {
                    links[edge.node].push_back(edge.fact);
                  });
    if (!reached.ok()) return reached.status();
    std::vector<int> next = *std::move(reached);
    std::sort(next.begin(), next.end(),
              [&](int a, int b) { return graph.Name(a) < graph.Name(b); });
    found.insert(found.end(), next.begin(), next.end());
    if (found.size() > max_results) {
      // Deeper layers would only be cut off.
      truncated = true;
      break;
    }
    layer = std::move(next);
  }

  v1::ListNeighborsResponse response;
  for (size_t i = 0; i < found.size() && i < max_results; ++i) {
    const int node = found[i];
    v1::Neighbor* neighbor = response.add_neighbors();
    *neighbor->mutable_entity() = graph.Ref(node);
    neighbor->set_distance(distance[node]);
    std::vector<FactIndex>& facts = links[node];
    std::sort(facts.begin(), facts.end());
    facts.erase(std::unique(facts.begin(), facts.end()), facts.end());
    for (FactIndex fact : facts) snapshot.GetFact(fact, neighbor->add_links());
  }
  response.set_truncated(truncated);
  return response;
}

absl::StatusOr<v1::FindPathsResponse> FindPaths(const store::Snapshot& snapshot,
                                                const PathsRequest& request,
                                                const CancelCheck& cancelled) {
  const absl::StatusOr<ValidBounds> bounds = ValidateSearch(
      snapshot,
      {request.max_length, kDefaultMaxLength, kMaxLength, "max_length",
       request.max_paths, kDefaultMaxPaths, "max_paths"},
      {{request.from, "from"}, {request.to, "to"}});
  if (!bounds.ok()) return bounds.status();
  const int max_length = bounds->steps;
  const size_t max_paths = bounds->results;
  if (request.from == request.to) {
    return FieldError(
        absl::StatusCode::kInvalidArgument, "to", v1::INVALID_ARGUMENT,
        absl::StrFormat("from and to are the same entity (%s)", request.from));
  }

  Graph graph(snapshot, {});
  const int from = graph.Intern(request.from);
  const int to = graph.Intern(request.to);
  absl::flat_hash_map<int, int> distance = {{from, 0}};
  // Per entity: the links reaching it from the layer before.
  absl::flat_hash_map<int, std::vector<Edge>> predecessors;
  std::vector<int> layer = {from};
  bool reached = false;
  for (int d = 1; d <= max_length && !layer.empty() && !reached; ++d) {
    absl::StatusOr<std::vector<int>> next =
        NextLayer(graph, layer, d, &distance, cancelled,
                  [&](int from_node, const Edge& edge) {
                    predecessors[edge.node].push_back({from_node, edge.fact});
                  });
    if (!next.ok()) return next.status();
    reached = distance.contains(to);
    layer = *std::move(next);
  }

  v1::FindPathsResponse response;
  if (!reached) return response;

  // The entities on some shortest path, and their forward links.
  absl::flat_hash_map<int, std::vector<Edge>> successors;
  absl::flat_hash_set<int> on_path = {to};
  std::vector<int> stack = {to};
  while (!stack.empty()) {
    const int node = stack.back();
    stack.pop_back();
    for (const Edge& edge : predecessors[node]) {
      successors[edge.node].push_back({node, edge.fact});
      if (on_path.insert(edge.node).second) stack.push_back(edge.node);
    }
  }
  for (auto& [node, edges] : successors) {
    std::sort(edges.begin(), edges.end(), [&](const Edge& a, const Edge& b) {
      if (a.node != b.node) return graph.Name(a.node) < graph.Name(b.node);
      return a.fact < b.fact;
    });
  }

  // Depth-first over the shortest-path links, in order; every branch ends at
  // `to`, so each step leads to a path.
  struct Frame {
    int node;
    size_t next_edge;
  };
  std::vector<Frame> frames = {{from, 0}};
  std::vector<FactIndex> facts;
  bool truncated = false;
  while (!frames.empty()) {
    if (cancelled && cancelled()) return Cancelled();
    Frame& frame = frames.back();
    if (frame.node == to) {
      if (static_cast<size_t>(response.paths_size()) == max_paths) {
        truncated = true;
        break;
      }
      v1::Path* path = response.add_paths();
      for (const Frame& f : frames) *path->add_entities() = graph.Ref(f.node);
      for (FactIndex fact : facts) snapshot.GetFact(fact, path->add_links());
      frames.pop_back();
      if (!facts.empty()) facts.pop_back();
      continue;
    }
    const std::vector<Edge>& edges = successors[frame.node];
    if (frame.next_edge == edges.size()) {
      frames.pop_back();
      if (!facts.empty()) facts.pop_back();
      continue;
    }
    const Edge edge = edges[frame.next_edge++];
    facts.push_back(edge.fact);
    frames.push_back({edge.node, 0});
  }
  response.set_truncated(truncated);
  return response;
}

namespace {

// Runs `search` on `request` with its result count (`results`) capped at
// limits.max_results.
template <typename Request, typename Response>
absl::StatusOr<Response> Capped(
    absl::StatusOr<Response> (*search)(const store::Snapshot&, const Request&,
                                       const CancelCheck&),
    const store::Snapshot& snapshot, Request request, int Request::*results,
    const GraphLimits& limits, const CancelCheck& cancelled) {
  request.*results = std::min(request.*results, limits.max_results);
  return search(snapshot, request, cancelled);
}

}  // namespace

absl::StatusOr<v1::ListNeighborsResponse> ListNeighbors(
    const store::Snapshot& snapshot, const v1::ListNeighborsRequest& request,
    const GraphLimits& limits, const CancelCheck& cancelled) {
  return Capped(ListNeighbors, snapshot, NeighborsRequest(request),
                &NeighborsRequest::max_results, limits, cancelled);
}

absl::StatusOr<v1::FindPathsResponse> FindPaths(
    const store::Snapshot& snapshot, const v1::FindPathsRequest& request,
    const GraphLimits& limits, const CancelCheck& cancelled) {
  return Capped(FindPaths, snapshot, PathsRequest(request),
                &PathsRequest::max_paths, limits, cancelled);
}

}  // namespace factgraph::query
