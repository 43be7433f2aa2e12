// factgraph get NAME: one resource, field by field.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/render.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/verbs.h"

namespace factgraph::cli {
namespace {

// The widest a value may be before it is cut (a document's content).
constexpr int kMaxValueWidth = 500;

}  // namespace

absl::Status RunGet(const Invocation& invocation) {
  const std::string& name = invocation.argument(0);
  const size_t slash = name.find('/');
  if (slash == std::string::npos) {
    return UsageError(absl::StrCat(
        "\"", name,
        "\" is not a resource name such as institutions/kaist; to find one, "
        "run: factgraph search ",
        name));
  }
  absl::StatusOr<const CollectionMethods*> found =
      FindCollectionOrUsageError(name.substr(0, slash));
  if (!found.ok()) return found.status();
  const CollectionMethods* collection = *found;
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();

  auto request = NewMessage(collection->get->input_type());
  request->GetReflection()->SetString(
      request.get(), request->GetDescriptor()->FindFieldByName("name"), name);
  // Get returns the resource itself (AIP-131).
  auto response = NewMessage(collection->get->output_type());
  if (absl::Status status =
          CallUnary(**connection, *collection->get, *request, response.get());
      !status.ok()) {
    return status;
  }
  const google::protobuf::Message& resource = *response;
  if (invocation.Bool("json")) return PrintJson(resource, std::cout);

  Table table({"FIELD", "VALUE"}, kMaxValueWidth);
  for (auto& [path, value] : FlattenFields(resource)) {
    table.AddRow({path, value});
  }
  table.Print(std::cout);
  return absl::OkStatus();
}

}  // namespace factgraph::cli
