// The standard methods (AIP-131 Get, AIP-132 List, AIP-231 BatchGet) written
// once for every resource of the resource table (store/resource_table.h):
// requests and responses are read and filled through protobuf reflection, by
// fields resolved once by name and checked at start
// (CheckStandardMethodSchema), so the resources share one implementation.
#ifndef FACTGRAPH_SERVICE_API_RESOURCE_METHODS_H_
#define FACTGRAPH_SERVICE_API_RESOURCE_METHODS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "service/api/lending.h"
#include "service/query/list.h"
#include "service/query/page_token.h"
#include "service/store/collections.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::api {

// The descriptors of one resource's standard-method messages.
struct StandardMethodMessages {
  const google::protobuf::Descriptor* resource;  // Get's response.
  const google::protobuf::Descriptor* get_request;
  const google::protobuf::Descriptor* list_request;
  const google::protobuf::Descriptor* list_response;
  const google::protobuf::Descriptor* batch_get_request;
  const google::protobuf::Descriptor* batch_get_response;
};

// The fields the standard methods read and write, per resource. Each is
// checked to exist with the type the methods use.
struct StandardMethodFields {
  StandardMethodMessages messages;
  const store::Collection* collection = nullptr;
  const google::protobuf::FieldDescriptor* get_name = nullptr;  // string name
  const google::protobuf::FieldDescriptor* list_filter =
      nullptr;  // string filter
  const google::protobuf::FieldDescriptor* list_order_by =
      nullptr;  // string order_by
  const google::protobuf::FieldDescriptor* list_page_token = nullptr;  // string
  const google::protobuf::FieldDescriptor* list_page_size = nullptr;   // int32
  // repeated <Resource> <collection>, in the List response.
  const google::protobuf::FieldDescriptor* list_items = nullptr;
  const google::protobuf::FieldDescriptor* next_page_token = nullptr;  // string
  const google::protobuf::FieldDescriptor* total_size = nullptr;       // int32
  const google::protobuf::FieldDescriptor* batch_get_names =
      nullptr;  // repeated string
  // repeated <Resource> <collection>, in the BatchGet response.
  const google::protobuf::FieldDescriptor* batch_get_items = nullptr;
};

// Resolves the fields of `messages` for `collection`, or an error naming the
// message and the field it lacks (or has with another type).
absl::StatusOr<StandardMethodFields> ResolveStandardMethodFields(
    const store::Collection& collection,
    const StandardMethodMessages& messages);

// OK when the resource table, KnowledgeBase and every resource's request and
// response messages agree with the convention of factgraph_service.proto;
// the server refuses to start otherwise.
absl::Status CheckStandardMethodSchema();

// The repeated resource field of a List or BatchGet response, or null for
// any other message (a Get response is the resource itself).
const google::protobuf::FieldDescriptor* ResourceFieldOfResponse(
    const google::protobuf::Descriptor* response);

struct ResourceMethodLimits {
  query::ListLimits list;
  // Most names one BatchGet may ask for.
  int max_batch_size = 1000;
};

// Get<X>Request{name} -> <X> (AIP-131). Returns the stored resource, and with
// kCopy also copies it into *response, whose type names the collection.
absl::StatusOr<const google::protobuf::Message*> GetResource(
    const store::Snapshot& snapshot, const google::protobuf::Message& request,
    google::protobuf::Message* response,
    ResourceTransfer transfer = ResourceTransfer::kCopy);

// BatchGet<X>Request{names} -> BatchGet<X>Response{<xs>}.
absl::Status BatchGetResources(
    const store::Snapshot& snapshot, const google::protobuf::Message& request,
    const ResourceMethodLimits& limits, google::protobuf::Message* response,
    ResourceTransfer transfer = ResourceTransfer::kCopy);

// List<X>Request -> List<X>Response (query::ListPage). Returns the snapshot
// the page was read from: a page token pins the snapshot its first page came
// from.
absl::StatusOr<std::shared_ptr<const store::Snapshot>> ListResources(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const query::PageTokenCodec& tokens, query::ListMemos* memos,
    const google::protobuf::Message& request,
    const ResourceMethodLimits& limits, google::protobuf::Message* response,
    ResourceTransfer transfer = ResourceTransfer::kCopy);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_RESOURCE_METHODS_H_
