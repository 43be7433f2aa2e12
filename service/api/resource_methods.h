// The standard methods (AIP-131 Get, AIP-132 List, AIP-231 BatchGet) written
// once for every resource: requests and responses are read and filled through
// protobuf reflection, so the eight resources share one implementation.
#ifndef FACTGRAPH_SERVICE_API_RESOURCE_METHODS_H_
#define FACTGRAPH_SERVICE_API_RESOURCE_METHODS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "service/query/list.h"
#include "service/query/page_token.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::api {

// How the stored resources reach a response.
enum class ResourceTransfer {
  // Deep copies: the response owns its resources.
  kCopy,
  // The response's resource field points at the snapshot's own messages, so
  // that no call copies (and allocates) an institution with its citations'
  // quotes and field paths only to serialise and free it. The caller must
  // keep the snapshot alive while the response exists and call
  // TakeBackLentResources before the response is destroyed or reused. A Get
  // response is the resource itself: GetResource leaves it untouched and the
  // caller sends the returned stored resource instead.
  kLend,
};

// Removes resources lent by kLend from `response` without deleting them. The
// response must hold only lent resources (one transfer per response).
void TakeBackLentResources(google::protobuf::Message* response);

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

// List<X>Request -> List<X>Response. Returns the snapshot the page was read
// from: a page token pins the snapshot its first page came from.
absl::StatusOr<std::shared_ptr<const store::Snapshot>> ListResources(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const query::PageTokenCodec& tokens,
    const google::protobuf::Message& request,
    const ResourceMethodLimits& limits, google::protobuf::Message* response,
    ResourceTransfer transfer = ResourceTransfer::kCopy);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_RESOURCE_METHODS_H_
