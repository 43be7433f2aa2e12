// Request and response messages parsed from the bytes gRPC hands over.
#ifndef FACTGRAPH_SERVICE_API_PARSE_BYTES_H_
#define FACTGRAPH_SERVICE_API_PARSE_BYTES_H_

#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace factgraph::api {

// Parses `bytes` into `*message` (cleared first); false when they do not
// parse. A message usually arrives in one slice and is parsed straight from
// it, without gRPC's stream reader over the slices, whose layers cost a call
// more than the parse (docs/search.md "Served and in-process"); one of
// several slices is gathered into one first.
bool ParseFromBytes(const grpc::ByteBuffer& bytes,
                    google::protobuf::Message* message);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_PARSE_BYTES_H_
