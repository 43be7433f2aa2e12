// The request and response of one call on a protobuf arena, for methods
// whose responses are many small messages and strings (SearchEntities: ten
// hits, each with up to three explained matches and their spans). Built on
// the heap, such a response costs a malloc and a free per message and per
// string, and the frees leave glibc's fast bins full, so that the next large
// allocation (gRPC's per-call arena) consolidates them. On an arena whose
// first block is part of the holder, building is a pointer bump, and freeing
// is a reset of the arena, whose holder the next call reuses
// (docs/search.md, "Serving").
#ifndef FACTGRAPH_SERVICE_API_ARENA_MESSAGES_H_
#define FACTGRAPH_SERVICE_API_ARENA_MESSAGES_H_

#include <cstddef>
#include <memory>

#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"
#include "service/query/idle_pool.h"

namespace factgraph::api {

template <typename Request, typename Response>
class ArenaMessageAllocator;

template <typename Request, typename Response>
class ArenaMessageHolder final : public grpc::MessageHolder<Request, Response> {
 public:
  explicit ArenaMessageHolder(ArenaMessageAllocator<Request, Response>* owner)
      : owner_(owner), arena_(Options(initial_block_)) {
    CreateMessages();
  }

  // Freed messages go back to the allocator, which reuses the holder: the
  // arena keeps its first block, so a call allocates nothing for its
  // messages but the strings longer than the library keeps inline.
  void Release() override {
    arena_.Reset();
    owner_->Recycle(this);
  }

  void CreateMessages() {
    this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
    this->set_response(
        google::protobuf::Arena::CreateMessage<Response>(&arena_));
  }

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

  ArenaMessageAllocator<Request, Response>* const owner_;
  alignas(16) char initial_block_[kInitialBlock];
  google::protobuf::Arena arena_;
};

// Hands out holders, reusing those released (at most kMaxIdle kept: 16 KB
// each), so that a call does not allocate and free 16 KB, which would make
// glibc consolidate its fast bins on every call.
template <typename Request, typename Response>
class ArenaMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    if (std::unique_ptr<ArenaMessageHolder<Request, Response>> holder =
            idle_.Take()) {
      holder->CreateMessages();
      return holder.release();
    }
    return new ArenaMessageHolder<Request, Response>(this);
  }

  void Recycle(ArenaMessageHolder<Request, Response>* holder) {
    idle_.Give(std::unique_ptr<ArenaMessageHolder<Request, Response>>(holder));
  }

 private:
  static constexpr size_t kMaxIdle = 64;

  query::IdlePool<ArenaMessageHolder<Request, Response>> idle_{kMaxIdle};
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
