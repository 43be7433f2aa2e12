// factgraph batch-get NAME,NAME...: several resources of one collection in
// one BatchGet call (AIP-231), in the order given.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/resource_table.h"
#include "client/cli/verbs.h"

namespace factgraph::cli {

absl::Status RunBatchGet(const Invocation& invocation) {
  const std::vector<std::string> names = SplitList(invocation.argument(0));
  if (names.empty()) return UsageError("no resource names given");
  const std::string id = names[0].substr(0, names[0].find('/'));
  const CollectionMethods* collection = FindCollection(id);
  if (collection == nullptr) {
    return UsageError(absl::StrCat("\"", names[0],
                                   "\" is not a resource name of a collection; "
                                   "collections: ",
                                   CollectionIds()));
  }
  for (const std::string& name : names) {
    if (name.substr(0, name.find('/')) != id) {
      return UsageError(absl::StrCat("\"", name, "\" is not in collection \"",
                                     id,
                                     "\"; one batch-get reads one "
                                     "collection"));
    }
  }
  absl::StatusOr<std::string> output = OutputFormat(invocation);
  if (!output.ok()) return output.status();
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();

  // BatchGet<Resources> beside List<Resources>.
  const google::protobuf::MethodDescriptor* method =
      collection->list->service()->FindMethodByName(absl::StrCat(
          "BatchGet", collection->list->name().substr(sizeof("List") - 1)));
  if (method == nullptr) {
    return absl::UnimplementedError(
        absl::StrCat("the API has no BatchGet method for ", id));
  }
  auto request = NewMessage(method->input_type());
  const auto* names_field = request->GetDescriptor()->FindFieldByName("names");
  for (const std::string& name : names) {
    request->GetReflection()->AddString(request.get(), names_field, name);
  }
  auto response = NewMessage(method->output_type());
  if (absl::Status status =
          CallUnary(**connection, *method, *request, response.get());
      !status.ok()) {
    return status;
  }
  return PrintResources(*response,
                        *response->GetDescriptor()->FindFieldByName(
                            collection->list_items->name()),
                        *output);
}

}  // namespace factgraph::cli
