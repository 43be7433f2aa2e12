// The request and response of one call on the heap, cleared after the call
// and reused by a later one, for methods whose responses are many small
// messages and strings (SearchEntities: ten hits, each with up to three
// explained matches and their spans; docs/search.md, "Serving"). Built anew,
// such a response costs a malloc and a free per string longer than the
// library keeps inline, on an arena too (an arena holds the string objects,
// not their bytes). Cleared, a message keeps its repeated elements and its
// strings' capacity, so that the next response is assigned into memory the
// last one used: the query layer assigns strings rather than moving
// temporaries in.
#ifndef FACTGRAPH_SERVICE_API_REUSED_MESSAGES_H_
#define FACTGRAPH_SERVICE_API_REUSED_MESSAGES_H_

#include <cstddef>
#include <memory>

#include "grpcpp/support/message_allocator.h"
#include "service/query/idle_pool.h"

namespace factgraph::api {

template <typename Request, typename Response>
class ReusedMessageAllocator;

template <typename Request, typename Response>
class ReusedMessageHolder final
    : public grpc::MessageHolder<Request, Response> {
 public:
  explicit ReusedMessageHolder(ReusedMessageAllocator<Request, Response>* owner)
      : owner_(owner) {
    this->set_request(&request_);
    this->set_response(&response_);
  }

  // Back to the allocator once gRPC has sent the response.
  void Release() override { owner_->Recycle(this); }

  // The size of the last response, as serialized (0 when it was not).
  size_t last_response_bytes() const {
    return static_cast<size_t>(response_.GetCachedSize());
  }

  void Clear() {
    request_.Clear();
    response_.Clear();
  }

 private:
  ReusedMessageAllocator<Request, Response>* const owner_;
  Request request_;
  Response response_;
};

// Hands out holders, reusing those released (at most kMaxIdle kept). A
// holder whose response was larger than kMaxReusedBytes (a page of a
// hundred hits) is destroyed rather than kept, so that idle holders pin at
// most about kMaxIdle times that much.
template <typename Request, typename Response>
class ReusedMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    if (std::unique_ptr<ReusedMessageHolder<Request, Response>> holder =
            idle_.Take()) {
      return holder.release();
    }
    return new ReusedMessageHolder<Request, Response>(this);
  }

  void Recycle(ReusedMessageHolder<Request, Response>* holder) {
    std::unique_ptr<ReusedMessageHolder<Request, Response>> owned(holder);
    if (holder->last_response_bytes() > kMaxReusedBytes) return;
    holder->Clear();
    idle_.Give(std::move(owned));
  }

 private:
  static constexpr size_t kMaxIdle = 64;
  static constexpr size_t kMaxReusedBytes = 64 << 10;

  query::IdlePool<ReusedMessageHolder<Request, Response>> idle_{kMaxIdle};
};

// One allocator per method type, never destroyed, so that it outlives every
// server that uses it.
template <typename Request, typename Response>
grpc::MessageAllocator<Request, Response>* ReusedAllocatorFor() {
  static auto* const allocator =
      new ReusedMessageAllocator<Request, Response>();
  return allocator;
}

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_REUSED_MESSAGES_H_
