#include "service/api/stored_bytes.h"

#include <grpc/slice.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/support/slice.h"
#include "service/api/lending.h"
#include "service/api/resource_methods.h"

namespace factgraph::api {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedOutputStream;

namespace {

void ReleaseSnapshot(void* snapshot) {
  delete static_cast<std::shared_ptr<const store::Snapshot>*>(snapshot);
}

grpc::ByteBuffer OneSlice(grpc::Slice slice) {
  return grpc::ByteBuffer(&slice, 1);
}

// What gRPC would send for `message`: its serialisation, for a resource
// whose stored bytes are missing (never for a snapshot's own resources).
grpc::ByteBuffer Serialized(const Message& message) {
  const std::string bytes = message.SerializeAsString();
  return OneSlice(grpc::Slice(bytes));
}

}  // namespace

grpc::ByteBuffer ResourceAsBytes(
    std::shared_ptr<const store::Snapshot> snapshot, const Message& resource) {
  const std::string_view bytes = snapshot->WireBytes(resource);
  if (bytes.empty()) return Serialized(resource);
  // The slice only reads the bytes; gRPC calls ReleaseSnapshot once it has
  // sent them, so the snapshot (and its mapping) outlives the send.
  return OneSlice(grpc::Slice(
      const_cast<char*>(bytes.data()), bytes.size(), &ReleaseSnapshot,
      new std::shared_ptr<const store::Snapshot>(std::move(snapshot))));
}

grpc::ByteBuffer ResponseAsBytes(const store::Snapshot& snapshot,
                                 Message* response) {
  const FieldDescriptor* items =
      ResourceFieldOfResponse(response->GetDescriptor());
  const auto* reflection = response->GetReflection();
  const int count =
      items == nullptr ? 0 : reflection->FieldSize(*response, items);
  std::vector<std::string_view> stored(static_cast<size_t>(count));
  size_t items_bytes = 0;
  const uint32_t tag =
      items == nullptr
          ? 0
          : WireFormatLite::MakeTag(items->number(),
                                    WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  for (int i = 0; i < count; ++i) {
    stored[i] =
        snapshot.WireBytes(reflection->GetRepeatedMessage(*response, items, i));
    if (stored[i].empty()) {
      grpc::ByteBuffer whole = Serialized(*response);
      TakeBackLentResources(response);
      return whole;
    }
    items_bytes += CodedOutputStream::VarintSize32(tag) +
                   CodedOutputStream::VarintSize64(stored[i].size()) +
                   stored[i].size();
  }
  TakeBackLentResources(response);
  // The resource field has the lowest number of the response
  // (CheckStandardMethodSchema), so writing it first is the field order of
  // the typed serialisation.
  const size_t rest_bytes = response->ByteSizeLong();
  return WrittenAsBytes(items_bytes + rest_bytes, [&](uint8_t* out) {
    for (std::string_view bytes : stored) {
      out = CodedOutputStream::WriteVarint32ToArray(tag, out);
      out = CodedOutputStream::WriteVarint64ToArray(bytes.size(), out);
      std::memcpy(out, bytes.data(), bytes.size());
      out += bytes.size();
    }
    response->SerializeWithCachedSizesToArray(out);
  });
}

grpc::ByteBuffer WrittenAsBytes(size_t size,
                                absl::FunctionRef<void(uint8_t* out)> write) {
  grpc_slice slice = grpc_slice_malloc(size);
  write(GRPC_SLICE_START_PTR(slice));
  return OneSlice(grpc::Slice(slice, grpc::Slice::STEAL_REF));
}

}  // namespace factgraph::api
