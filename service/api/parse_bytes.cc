#include "service/api/parse_bytes.h"

#include <climits>

#include "grpcpp/support/slice.h"

namespace factgraph::api {

bool ParseFromBytes(const grpc::ByteBuffer& bytes,
                    google::protobuf::Message* message) {
  grpc::Slice slice;
  if (!bytes.TrySingleSlice(&slice).ok() &&
      !bytes.DumpToSingleSlice(&slice).ok()) {
    return false;
  }
  return slice.size() <= static_cast<size_t>(INT_MAX) &&
         message->ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
}

}  // namespace factgraph::api
