// The layout of a compiled snapshot file, format 3 (docs/snapshot-format.md):
// the constants and little-endian helpers shared by its builder
// (snapshot_file_builder.h) and its reader (snapshot_file_reader.h).
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_FORMAT_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_FORMAT_H_

#include <endian.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "google/protobuf/message.h"

namespace factgraph::store::snapshot_format {

// "\x89FGSNAP\n", as in format 1: a non-ASCII first byte, so no text file
// starts like it, and a newline that text-mode transfers would mangle.
inline constexpr std::string_view kMagic(
    "\x89"
    "FGSNAP\n",
    8);
inline constexpr uint32_t kVersion = 3;

// Header: magic (8) | version u32 | section count u32 | file size u64 |
// XXH3-64 of the section table u64.
inline constexpr size_t kHeaderBytes = 32;
inline constexpr size_t kVersionOffset = 8;
inline constexpr size_t kSectionCountOffset = 12;
inline constexpr size_t kFileSizeOffset = 16;
inline constexpr size_t kTableChecksumOffset = 24;
// Section table entry: kind u32 | reserved u32 (0) | offset u64 |
// length u64 | XXH3-64 of the section's bytes u64.
inline constexpr size_t kSectionEntryBytes = 32;
// Every section starts at a multiple of this; the padding before it is zero.
inline constexpr size_t kSectionAlignment = 8;

// The core sections, in the order (and with the kinds) they appear in the
// table and the file. A file has each exactly once, first; index sections
// (below) follow them.
enum class SectionKind : uint32_t {
  // The protobuf wire bytes of every resource, concatenated in name order.
  kResourceBytes = 1,
  // u64 per resource plus one: where each resource's bytes start in
  // kResourceBytes; the last is that section's length.
  kResourceOffsets = 2,
  // u32 per resource: the KnowledgeBase field number of its collection.
  kResourceCollections = 3,
  // Every resource's name, concatenated in name order.
  kNameBytes = 4,
  // u64 per resource plus one: where each name starts in kNameBytes.
  kNameOffsets = 5,
  // The snapshot id: 16 bytes (docs/snapshot-format.md "Snapshot id").
  kSnapshotId = 6,
};
// The number of core sections.
inline constexpr uint32_t kSectionCount = 6;

// Index sections (docs/snapshot-format.md "Index sections"): after the core
// sections, any number, in increasing kind order, each kind at most once.
// Their kinds are reserved here by range for the layer that owns their
// layout; the store verifies their frame (bounds, alignment, padding,
// checksum) and hands them over without reading them.
struct KindRange {
  uint32_t first;
  uint32_t last;
  const char* owner;
};
// Store indexes (facts by subject, predicate, ...): none written yet.
inline constexpr KindRange kStoreIndexKinds{100, 199, "store index"};
// The search index (service/query/search/index_format.h).
inline constexpr KindRange kSearchIndexKinds{200, 299, "search index"};
// Whether `kind` is in one of the ranges above.
bool IsIndexSectionKind(uint32_t kind);

// An index section to write: its kind and its bytes.
struct IndexSectionBytes {
  uint32_t kind;
  std::string_view bytes;
};
inline constexpr size_t kSnapshotIdBytes = 16;

// Where a section builder hands each section it makes, in kind order: a
// SnapshotFileWriter streaming it into the file, or a list kept in memory.
// A section comes whole (operator()) or piece by piece (BeginSection,
// Append..., EndSection); the bytes need live only for the call.
class SectionSink {
 public:
  virtual ~SectionSink() = default;
  virtual void BeginSection(uint32_t kind) = 0;
  virtual void Append(std::string_view bytes) = 0;
  virtual void EndSection() = 0;
  void operator()(uint32_t kind, std::string_view bytes) {
    BeginSection(kind);
    Append(bytes);
    EndSection();
  }
};

// "RESOURCE_OFFSETS" etc., for error messages and the format doc.
const char* SectionName(SectionKind kind);

inline uint32_t LoadU32(const char* bytes) {
  uint32_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return le32toh(value);
}

inline uint64_t LoadU64(const char* bytes) {
  uint64_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return le64toh(value);
}

inline void AppendU32(uint32_t value, std::string* out) {
  const uint32_t little = htole32(value);
  out->append(reinterpret_cast<const char*>(&little), sizeof(little));
}

inline void AppendU64(uint64_t value, std::string* out) {
  const uint64_t little = htole64(value);
  out->append(reinterpret_cast<const char*>(&little), sizeof(little));
}

// Appends the stored form of a resource, its deterministic serialisation,
// to `*out`; false if it cannot be serialised (it lacks a required field).
bool AppendResourceBytes(const google::protobuf::Message& resource,
                         std::string* out);

// XXH3-64 (seed 0) of `bytes`: the checksum of the table and of each section.
uint64_t Checksum(std::string_view bytes);

}  // namespace factgraph::store::snapshot_format

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_FORMAT_H_
