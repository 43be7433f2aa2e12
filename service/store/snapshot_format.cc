#include "service/store/snapshot_format.h"

#include <xxhash.h>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace factgraph::store::snapshot_format {

const char* SectionName(SectionKind kind) {
  switch (kind) {
    case SectionKind::kResourceBytes:
      return "RESOURCE_BYTES";
    case SectionKind::kResourceOffsets:
      return "RESOURCE_OFFSETS";
    case SectionKind::kResourceCollections:
      return "RESOURCE_COLLECTIONS";
    case SectionKind::kNameBytes:
      return "NAME_BYTES";
    case SectionKind::kNameOffsets:
      return "NAME_OFFSETS";
    case SectionKind::kSnapshotId:
      return "SNAPSHOT_ID";
  }
  return "UNKNOWN";
}

bool AppendResourceBytes(const google::protobuf::Message& resource,
                         std::string* out) {
  google::protobuf::io::StringOutputStream stream(out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  return resource.SerializeToCodedStream(&coded);
}

uint64_t Checksum(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

}  // namespace factgraph::store::snapshot_format
