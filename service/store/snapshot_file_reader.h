// Reading a compiled snapshot file, format 3 (docs/snapshot-format.md): the
// whole file is verified (header, section table, bounds, alignment, padding,
// checksums, offset tables, name order; index sections' frames) before
// anything is read from it;
// afterwards the accessors only slice it, asserting their preconditions.
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_READER_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_READER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_format.h"

namespace factgraph::store {

class SnapshotFileReader {
 public:
  // Verifies `file`, the bytes of a whole file, which must outlive the
  // reader. INVALID_ARGUMENT says what is wrong, naming the section and the
  // file offset where it is (the caller adds the path).
  static absl::StatusOr<SnapshotFileReader> Open(std::string_view file);

  size_t resource_count() const { return resource_count_; }
  // The wire bytes of resource `i` (< resource_count()), in name order.
  std::string_view ResourceBytes(size_t i) const;
  // Where ResourceBytes(i) starts in the file, for error messages.
  uint64_t ResourceFileOffset(size_t i) const;
  // The KnowledgeBase field number of resource i's collection.
  uint32_t ResourceCollectionField(size_t i) const;
  // The name of resource i, as the name table records it.
  std::string_view Name(size_t i) const;
  // The snapshot id, 32 lowercase hex digits.
  std::string IdHex() const;
  // The index sections, in kind order: their frame is verified, their
  // content is for their owner to validate.
  const std::vector<Snapshot::StoredSection>& index_sections() const {
    return index_sections_;
  }

 private:
  using SectionKind = snapshot_format::SectionKind;
  SnapshotFileReader() = default;

  std::string_view section(SectionKind kind) const {
    return sections_[static_cast<uint32_t>(kind) - 1];
  }
  // Entry `i` of the u64 offset table `kind`.
  uint64_t Offset(SectionKind kind, size_t i) const;
  // Resource `i`'s slice of the section `bytes`, which the table `offsets`
  // delimits (resources and names are stored alike).
  std::string_view Entry(SectionKind offsets, SectionKind bytes,
                         size_t i) const;

  std::string_view file_;
  std::array<std::string_view, snapshot_format::kSectionCount> sections_;
  size_t resource_count_ = 0;
  std::vector<Snapshot::StoredSection> index_sections_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_READER_H_
