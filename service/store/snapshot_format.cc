#include "service/store/snapshot_format.h"

#include <xxhash.h>

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

uint64_t Checksum(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

}  // namespace factgraph::store::snapshot_format
