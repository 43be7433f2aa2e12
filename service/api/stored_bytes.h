// The standard methods' responses written from the resources' stored wire
// bytes (store::Snapshot::WireBytes) instead of serialising the messages
// again on every call (docs/design.md "Serving the stored bytes"). A Get
// response is the stored bytes themselves, a slice over the snapshot's
// memory (the file mapping of a compiled snapshot); a List or BatchGet
// response is those bytes, each framed as an element of the resource field,
// followed by the response's other fields. The bytes equal what gRPC's
// serialisation of the same typed response would give.
#ifndef FACTGRAPH_SERVICE_API_STORED_BYTES_H_
#define FACTGRAPH_SERVICE_API_STORED_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/functional/function_ref.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/store/snapshot.h"

namespace factgraph::api {

// `resource`, a stored resource of `snapshot`, as a whole response. Zero
// copy: the buffer refers to the snapshot's bytes and keeps the snapshot
// alive until gRPC has sent it.
grpc::ByteBuffer ResourceAsBytes(
    std::shared_ptr<const store::Snapshot> snapshot,
    const google::protobuf::Message& resource);

// `*response`, a List or BatchGet response whose resource field holds
// resources of `snapshot` lent into it (ResourceTransfer::kLend), as bytes;
// takes the lent resources back out of `*response`.
grpc::ByteBuffer ResponseAsBytes(const store::Snapshot& snapshot,
                                 google::protobuf::Message* response);

// A response of `size` bytes, which `write` writes in place (into one
// slice, no copy after).
grpc::ByteBuffer WrittenAsBytes(size_t size,
                                absl::FunctionRef<void(uint8_t* out)> write);

// Makes `bytes` the handler's response. grpc::ByteBuffer has no move
// assignment: `*response = bytes` would allocate another grpc_byte_buffer
// and take a reference on each slice, on every call, only to drop `bytes`.
inline void SetResponse(grpc::ByteBuffer bytes, grpc::ByteBuffer* response) {
  response->Swap(&bytes);
}

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_STORED_BYTES_H_
