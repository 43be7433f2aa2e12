// The one instance of a gRPC message allocator type. gRPC keeps a raw pointer
// to a method's allocator for the life of the server, and a service object
// may be registered with several servers in turn (tests do), so the instance
// is never destroyed: it outlives every server that uses it.
#ifndef FACTGRAPH_SERVICE_API_STATIC_ALLOCATOR_H_
#define FACTGRAPH_SERVICE_API_STATIC_ALLOCATOR_H_

namespace factgraph::api {

// `Allocator` must be default-constructible and safe to share between
// threads (the allocators of this folder keep no state, or guard it).
template <typename Allocator>
Allocator* StaticAllocator() {
  static auto* const allocator = new Allocator();
  return allocator;
}

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_STATIC_ALLOCATOR_H_
