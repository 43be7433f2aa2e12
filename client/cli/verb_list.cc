// factgraph list COLLECTION: a page (or with --all every page) of a
// collection as a table whose columns come from the resource's descriptor.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/resource_table.h"
#include "client/cli/verbs.h"

namespace factgraph::cli {
using google::protobuf::Descriptor;
using google::protobuf::Message;

absl::Status RunList(const Invocation& invocation) {
  const std::string& id = invocation.argument(0);
  absl::StatusOr<const CollectionMethods*> found =
      FindCollectionOrUsageError(id);
  if (!found.ok()) return found.status();
  const CollectionMethods* collection = *found;
  absl::StatusOr<int> page_size = invocation.Int("page_size", 0);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<std::string> output = OutputFormat(invocation);
  if (!output.ok()) return output.status();
  const bool all = invocation.Bool("all");
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();

  ListOptions options;
  options.filter = invocation.String("filter");
  options.order_by = invocation.String("order_by");
  options.page_size = *page_size;
  options.page_token = invocation.String("page_token");
  options.all_pages = all;
  absl::StatusOr<std::unique_ptr<Message>> merged =
      ListResources(**connection, *collection, options);
  if (!merged.ok()) return merged.status();
  const Message& response = **merged;
  if (absl::Status printed =
          PrintResources(response, *collection->list_items, *output);
      !printed.ok() || (*output != "table" && *output != "wide")) {
    return printed;
  }
  const Descriptor* response_type = response.GetDescriptor();
  const auto* reflection = response.GetReflection();
  const int shown = reflection->FieldSize(response, collection->list_items);
  const int total = reflection->GetInt32(
      response, response_type->FindFieldByName("total_size"));
  const std::string next = reflection->GetString(
      response, response_type->FindFieldByName("next_page_token"));
  if (next.empty()) {
    std::cout << shown << " " << id << "\n";
  } else {
    std::cout << shown << " of " << total << " " << id
              << "; next page: --page_token=" << next << "\n";
  }
  return absl::OkStatus();
}

}  // namespace factgraph::cli
