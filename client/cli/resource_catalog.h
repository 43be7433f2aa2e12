// The collections FactGraphService serves and their standard methods, one per
// row of the resource table (service/store/resource_table.h), resolved on the
// service descriptor. The CLI
// calls them through one generic unary call, so no verb names a resource
// type.
#ifndef FACTGRAPH_CLIENT_CLI_RESOURCE_CATALOG_H_
#define FACTGRAPH_CLIENT_CLI_RESOURCE_CATALOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli/connection.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace factgraph::cli {

struct CollectionMethods {
  std::string id;  // "institutions", also the resource-name prefix.
  const google::protobuf::Descriptor* resource = nullptr;
  const google::protobuf::MethodDescriptor* get = nullptr;
  const google::protobuf::MethodDescriptor* list = nullptr;
  // The repeated resource field of the List response.
  const google::protobuf::FieldDescriptor* list_items = nullptr;
};

// Every collection, in the order of the service's methods.
const std::vector<CollectionMethods>& AllCollectionMethods();
const CollectionMethods* FindCollection(absl::string_view id);
// The ids, comma-separated, for error messages.
std::string CollectionIds();
// The collection `id`, or a usage error that lists the collections.
absl::StatusOr<const CollectionMethods*> FindCollectionOrUsageError(
    absl::string_view id);

// A fresh message of the type, from the generated pool.
std::unique_ptr<google::protobuf::Message> NewMessage(
    const google::protobuf::Descriptor* type);

// Calls a unary method with any request and response message; the server's
// initial metadata "x-factgraph-snapshot-id" goes to *snapshot_id if given.
absl::Status CallUnary(const Connection& connection,
                       const google::protobuf::MethodDescriptor& method,
                       const google::protobuf::Message& request,
                       google::protobuf::Message* response,
                       std::string* snapshot_id = nullptr);

struct ListOptions {
  std::string filter;
  std::string order_by;
  int page_size = 0;
  std::string page_token;
  // Follow next_page_token to the last page.
  bool all_pages = false;
};

// Calls List<Resources> once, or with `all_pages` until the last page; the
// pages are merged into one response of the List method's type (so its
// next_page_token is the last page's).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ListResources(
    const Connection& connection, const CollectionMethods& collection,
    const ListOptions& options);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_RESOURCE_CATALOG_H_
