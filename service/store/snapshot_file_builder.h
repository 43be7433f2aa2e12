// Writing a compiled snapshot file, format 3 (docs/snapshot-format.md): one
// function per core section, each over the resources in name order; index
// sections come ready-made from the layers that own them. The reader
// is snapshot_file_reader.h; the two share only snapshot_format.h.
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_BUILDER_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_BUILDER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "service/store/snapshot_format.h"

namespace factgraph::store {

class Snapshot;

// Writes a format-3 file section by section (docs/snapshot-format.md
// "Writing"): each section goes out as it is made, its checksum computed on
// the way, so that no section needs to outlive its writing; the header and
// the section table, which precede the sections, are written last, once
// every offset and checksum is known. The first error sticks: later calls
// do nothing and Finish returns it.
class SnapshotFileWriter : public snapshot_format::SectionSink {
 public:
  // Into `path`, through `path`.tmp renamed by Finish (a reader never sees
  // half a file); the temporary is removed if Finish is not reached.
  static std::unique_ptr<SnapshotFileWriter> ToFile(const std::string& path,
                                                    size_t section_count);
  // Into `*out` (replacing its contents), for Finish to complete.
  static std::unique_ptr<SnapshotFileWriter> ToString(std::string* out,
                                                      size_t section_count);
  ~SnapshotFileWriter() override;
  SnapshotFileWriter(const SnapshotFileWriter&) = delete;
  SnapshotFileWriter& operator=(const SnapshotFileWriter&) = delete;

  // A section of `kind`: a core kind or one in an index range, each greater
  // than the one before (else INVALID_ARGUMENT); at most `section_count`.
  void BeginSection(uint32_t kind) override;
  void Append(std::string_view bytes) override;
  void EndSection() override;
  void AddSection(uint32_t kind, std::string_view bytes) {
    (*this)(kind, bytes);
  }
  // Bytes of the current section so far.
  uint64_t section_size() const { return position_ - section_begin_; }
  const absl::Status& status() const { return status_; }
  // Records `status` as the writer's error unless it has one already.
  void Fail(absl::Status status);

  // Writes the header and the table; INTERNAL if fewer sections than
  // announced were written.
  absl::Status Finish();

 private:
  SnapshotFileWriter(size_t section_count, std::string* string_out);
  void Put(std::string_view bytes);

  struct TableEntry {
    uint32_t kind;
    uint64_t offset;
    uint64_t length;
    uint64_t checksum;
  };
  const size_t section_count_;
  std::string* string_out_ = nullptr;  // Else file_.
  std::FILE* file_ = nullptr;
  std::string path_, temporary_;
  absl::Status status_;
  uint64_t position_ = 0;
  uint64_t section_begin_ = 0;
  bool in_section_ = false;
  std::vector<TableEntry> table_;
  struct Hasher;
  std::unique_ptr<Hasher> hasher_;
};

// A SectionSink that keeps each section as one string, in order: the
// in-memory form of what SnapshotFileWriter streams.
class SectionCollector : public snapshot_format::SectionSink {
 public:
  void BeginSection(uint32_t kind) override {
    sections.emplace_back(kind, std::string());
  }
  void Append(std::string_view bytes) override {
    sections.back().second.append(bytes);
  }
  void EndSection() override {}

  std::vector<std::pair<uint32_t, std::string>> sections;
};

// The core sections (RESOURCE_BYTES .. SNAPSHOT_ID) of `snapshot`'s
// knowledge base, as BuildSnapshotFile writes them, each resource's bytes
// taken from Snapshot::WireBytes rather than serialised again.
void WriteCoreSections(const Snapshot& snapshot, SnapshotFileWriter* writer);

// The bytes of a format-3 file holding `kb`, then `index_sections` (kinds in
// snapshot_format's reserved ranges, strictly increasing; else
// INVALID_ARGUMENT). Its resources are ordered by name (stably: duplicates
// keep their order, for the loader to report), so `kb` need not be sorted;
// the id is that of the sorted knowledge base, as Snapshot::Build computes
// it.
absl::StatusOr<std::string> BuildSnapshotFile(
    const v1::KnowledgeBase& kb,
    absl::Span<const snapshot_format::IndexSectionBytes> index_sections = {});

// Recomputes the checksums of `*file` (each section's that the table places
// within the file, then the table's) after its sections were edited: for
// tests and fuzzers that reach the checks behind the checksums. Does nothing
// to a file too short for a section table.
void ResealSnapshotFile(std::string* file);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_BUILDER_H_
