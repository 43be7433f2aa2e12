#include "service/store/snapshot_format.h"

#include <xxhash.h>

#include <limits>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace factgraph::store::snapshot_format {

const char* SectionName(SectionKind kind) {
  // Indexed by kind - 1; the kinds are numbered 1 .. kSectionCount.
  static constexpr const char* kNames[kSectionCount] = {
      "RESOURCE_BYTES", "RESOURCE_OFFSETS", "RESOURCE_COLLECTIONS",
      "NAME_BYTES",     "NAME_OFFSETS",     "SNAPSHOT_ID"};
  const uint32_t number = static_cast<uint32_t>(kind);
  return number >= 1 && number <= kSectionCount ? kNames[number - 1]
                                                : "UNKNOWN";
}

bool IsIndexSectionKind(uint32_t kind) {
  for (const KindRange& range : {kStoreIndexKinds, kSearchIndexKinds}) {
    if (kind >= range.first && kind <= range.last) return true;
  }
  return false;
}

bool AppendResourceBytes(const google::protobuf::Message& resource,
                         std::string* out) {
  // Serialised straight into the string's new tail: a stream over the whole
  // string would resize it to its capacity on every call, writing the spare
  // capacity each time (quadratic over a million resources).
  const size_t size = resource.ByteSizeLong();
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return false;
  }
  const size_t start = out->size();
  out->resize(start + size);
  google::protobuf::io::ArrayOutputStream array(out->data() + start,
                                                static_cast<int>(size));
  google::protobuf::io::CodedOutputStream coded(&array);
  coded.SetSerializationDeterministic(true);
  resource.SerializeWithCachedSizes(&coded);
  return !coded.HadError() && coded.ByteCount() == static_cast<int64_t>(size);
}

uint64_t Checksum(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

}  // namespace factgraph::store::snapshot_format
