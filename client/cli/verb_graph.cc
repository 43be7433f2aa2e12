// factgraph graph: the network of institutions, people and projects, for
// Graphviz (`factgraph graph | dot -Tsvg > graph.svg`) or as JSON.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/graph_model.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/verbs.h"

namespace factgraph::cli {
namespace {

// Every resource of a collection, as messages of type T.
template <typename T>
absl::Status FetchAll(const Connection& connection, const std::string& id,
                      std::vector<T>* out) {
  const CollectionMethods* collection = FindCollection(id);
  if (collection == nullptr) {
    return absl::InternalError(absl::StrCat("the API has no collection ", id));
  }
  ListOptions options;
  options.page_size = 1000;
  options.all_pages = true;
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> response =
      ListResources(connection, *collection, options);
  if (!response.ok()) return response.status();
  const auto* reflection = (*response)->GetReflection();
  const int count = reflection->FieldSize(**response, collection->list_items);
  for (int i = 0; i < count; ++i) {
    out->emplace_back();
    out->back().CopyFrom(
        reflection->GetRepeatedMessage(**response, collection->list_items, i));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunGraph(const Invocation& invocation) {
  const std::string format =
      invocation.String("format", invocation.Bool("json") ? "json" : "dot");
  if (format != "dot" && format != "json") {
    return UsageError(
        absl::StrCat("--format takes dot or json, not \"", format, "\""));
  }
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();
  GraphResources resources;
  for (absl::Status status :
       {FetchAll(**connection, "institutions", &resources.institutions),
        FetchAll(**connection, "people", &resources.people),
        FetchAll(**connection, "projects", &resources.projects),
        FetchAll(**connection, "agreements", &resources.agreements),
        FetchAll(**connection, "fundings", &resources.fundings)}) {
    if (!status.ok()) return status;
  }
  const Graph graph = BuildGraph(resources);
  if (format == "dot") {
    std::cout << ToDot(graph);
    return absl::OkStatus();
  }
  std::cout << ToJson(graph);
  return absl::OkStatus();
}

}  // namespace factgraph::cli
