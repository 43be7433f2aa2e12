// Lending: a standard method's response that points at the snapshot's own
// resource messages instead of copies, so that no call copies (and
// allocates) an institution with its citations' quotes and field paths only
// to write it and free it.
//
// The contract, all of which lives in this file and lending.cc:
//  - A lent resource is a const message of a snapshot, put into a response
//    with a const_cast (LendResource). The response is only read.
//  - Every lent resource is taken back out of the response
//    (TakeBackLentResources) before the response is destroyed or reused, so
//    the response never frees it.
//  - The service lends into a scratch response and writes the resources'
//    stored bytes (stored_bytes.h), taking them back at once; the snapshot
//    lives for the whole call.
#ifndef FACTGRAPH_SERVICE_API_LENDING_H_
#define FACTGRAPH_SERVICE_API_LENDING_H_

#include "google/protobuf/message.h"

namespace factgraph::api {

// How the stored resources reach a response.
enum class ResourceTransfer {
  // Deep copies: the response owns its resources.
  kCopy,
  // The response's resource field points at the snapshot's own messages (the
  // contract above). A Get response is the resource itself: GetResource
  // leaves it untouched and the caller sends the returned stored resource
  // instead.
  kLend,
};

// Appends `resource`, a stored resource of a snapshot kept alive for the
// response, to the repeated message `field` of `response` without copying.
void LendResource(const google::protobuf::Message& resource,
                  const google::protobuf::FieldDescriptor* field,
                  google::protobuf::Message* response);

// Removes resources lent by kLend from `response` without deleting them. The
// response must hold only lent resources (one transfer per response). A Get
// response, never lent into, is left as it is.
void TakeBackLentResources(google::protobuf::Message* response);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_LENDING_H_
