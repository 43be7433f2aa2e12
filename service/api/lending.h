// Lending: responses of the standard methods that point at the snapshot's own
// resource messages instead of copies, so that no call copies (and
// allocates) an institution with its citations' quotes and field paths only
// to serialise and free it.
//
// The contract, all of which lives in this file and lending.cc:
//  - A lent resource is a const message of a snapshot, put into a response
//    with a const_cast (LendResource). The response only reads it:
//    serialisation is a const operation, and its cached sizes are atomics.
//  - The snapshot is kept alive until gRPC has sent the response
//    (LendingMessages::KeepAlive), and every lent resource is taken back out
//    of the response (TakeBackLentResources) before the response is
//    destroyed or reused, so the response never frees it.
//  - A method lends only when its messages come from a LendingAllocator
//    (the service sets one for every standard method); the handler finds it
//    with LendingOf, a dynamic_cast of the call's allocator state, and copies
//    when there is none (tests calling the methods directly).
#ifndef FACTGRAPH_SERVICE_API_LENDING_H_
#define FACTGRAPH_SERVICE_API_LENDING_H_

#include <memory>
#include <utility>

#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/message_allocator.h"
#include "service/api/static_allocator.h"
#include "service/store/snapshot.h"

namespace factgraph::api {

// How the stored resources reach a response.
enum class ResourceTransfer {
  // Deep copies: the response owns its resources.
  kCopy,
  // The response's resource field points at the snapshot's own messages (the
  // contract above). A Get response is the resource itself: GetResource
  // leaves it untouched and the caller sends the returned stored resource
  // instead (LendingMessages::LendWholeResponse).
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

// The messages of one call of a standard method whose response borrows the
// snapshot's resources: holds that snapshot until gRPC has sent the
// response, then takes the resources back out of it before it is destroyed.
class LendingMessages {
 public:
  virtual ~LendingMessages() = default;

  void KeepAlive(std::shared_ptr<const store::Snapshot> snapshot) {
    snapshot_ = std::move(snapshot);
  }

  // Sends `resource`, a stored resource of the kept-alive snapshot, as the
  // whole response of a Get (which returns the resource itself): gRPC reads
  // the holder's response pointer when the call finishes.
  virtual void LendWholeResponse(const google::protobuf::Message& resource) = 0;

 private:
  std::shared_ptr<const store::Snapshot> snapshot_;
};

// The lending holder of this call's messages, or null when its method has no
// LendingAllocator (then the resources are copied).
LendingMessages* LendingOf(grpc::CallbackServerContext* context);

// kLend when there is a lending holder, else kCopy.
ResourceTransfer TransferFor(const LendingMessages* lending);

// TransferFor, after keeping `snapshot` alive in `lending` (if any) for the
// response: for calls that answer from the snapshot they were given.
ResourceTransfer KeepAliveForLending(
    LendingMessages* lending, std::shared_ptr<const store::Snapshot> snapshot);

// The request and response of one call, in one allocation, lending.
template <typename Request, typename Response>
class LendingMessageHolder final
    : public grpc::MessageHolder<Request, Response>,
      public LendingMessages {
 public:
  LendingMessageHolder() {
    this->set_request(&request_);
    this->set_response(&response_);
  }

  void LendWholeResponse(const google::protobuf::Message& resource) override {
    // Only Get lends a whole response, and its Response is the resource type.
    this->set_response(static_cast<Response*>(
        const_cast<google::protobuf::Message*>(&resource)));
  }

  // Every resource in a response of this holder was lent (the handlers lend
  // whenever they find a LendingMessages), so all are taken back. A whole
  // lent response is not ours: response_ is left as it was.
  void Release() override {
    TakeBackLentResources(&response_);
    delete this;
  }

 private:
  Request request_;
  Response response_;
};

template <typename Request, typename Response>
class LendingAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new LendingMessageHolder<Request, Response>();
  }
};

// The allocator of a method with these types (static_allocator.h).
template <typename Request, typename Response>
grpc::MessageAllocator<Request, Response>* LendingAllocatorFor() {
  return StaticAllocator<LendingAllocator<Request, Response>>();
}

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_LENDING_H_
