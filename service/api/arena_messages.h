// The request and response of one call on a protobuf arena, for methods
// whose responses are many small messages and strings (SearchEntities: ten
// hits, each with up to three explained matches and their spans). Built on
// the heap, such a response costs a malloc and a free per message and per
// string, and the frees leave glibc's fast bins full, so that the next large
// allocation (gRPC's per-call arena) consolidates them. On an arena whose
// first block is part of the holder, building is a pointer bump and freeing
// is one delete (docs/search.md, "Serving").
#ifndef FACTGRAPH_SERVICE_API_ARENA_MESSAGES_H_
#define FACTGRAPH_SERVICE_API_ARENA_MESSAGES_H_

#include <cstddef>

#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"

namespace factgraph::api {

template <typename Request, typename Response>
class ArenaMessageHolder final
    : public grpc::MessageHolder<Request, Response> {
 public:
  ArenaMessageHolder() : arena_(Options(initial_block_)) {
    this->set_request(
        google::protobuf::Arena::CreateMessage<Request>(&arena_));
    this->set_response(
        google::protobuf::Arena::CreateMessage<Response>(&arena_));
  }

  void Release() override { delete this; }

 private:
  // A page of ten explained hits fits (about 12 KB of messages); a larger
  // one continues in blocks the arena allocates.
  static constexpr size_t kInitialBlock = 16 << 10;

  static google::protobuf::ArenaOptions Options(char* block) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = kInitialBlock;
    return options;
  }

  alignas(16) char initial_block_[kInitialBlock];
  google::protobuf::Arena arena_;
};

template <typename Request, typename Response>
class ArenaMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new ArenaMessageHolder<Request, Response>();
  }
};

// One stateless allocator per method type, never destroyed, so that it
// outlives every server that uses it.
template <typename Request, typename Response>
grpc::MessageAllocator<Request, Response>* ArenaAllocatorFor() {
  static auto* const allocator = new ArenaMessageAllocator<Request, Response>();
  return allocator;
}

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_ARENA_MESSAGES_H_
