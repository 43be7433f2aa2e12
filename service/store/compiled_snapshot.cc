// WriteCompiledSnapshot / LoadCompiledSnapshot (declared in loader.h): the
// compiled snapshot file, format 3 (docs/snapshot-format.md), written by
// snapshot_file_builder and verified by snapshot_file_reader.
#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/store/loader.h"
#include "service/store/mapped_file.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_file_reader.h"
#include "service/store/store_index_sections.h"
#include "service/store/validation.h"

namespace factgraph::store {

absl::Status WriteCompiledSnapshot(
    const Snapshot& snapshot, const std::string& path,
    absl::Span<const snapshot_format::IndexSectionBytes> index_sections) {
  return WriteCompiledSnapshot(snapshot, path, index_sections.size(),
                               [&](snapshot_format::SectionSink& out) {
                                 for (const auto& section : index_sections) {
                                   out(section.kind, section.bytes);
                                 }
                                 return absl::OkStatus();
                               });
}

absl::Status WriteCompiledSnapshot(
    const Snapshot& snapshot, const std::string& path,
    size_t index_section_count,
    absl::FunctionRef<absl::Status(snapshot_format::SectionSink&)>
        write_index_sections) {
  const std::unique_ptr<SnapshotFileWriter> writer = SnapshotFileWriter::ToFile(
      path, snapshot_format::kSectionCount + kStoreIndexSectionCount +
                index_section_count);
  // The store's own index sections (kinds 100..199) come first: every
  // other layer's kinds are above them.
  WriteCoreSections(snapshot, writer.get());
  WriteStoreIndexSections(snapshot, *writer);
  if (writer->status().ok()) {
    if (absl::Status status = write_index_sections(*writer); !status.ok()) {
      return status;  // The writer removes its temporary.
    }
  }
  if (absl::Status status = writer->Finish(); !status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat(path, ": ", status.message()));
  }
  return absl::OkStatus();
}

absl::Status WriteCompiledKnowledgeBase(
    const v1::KnowledgeBase& kb, const std::string& path,
    absl::Span<const snapshot_format::IndexSectionBytes> index_sections) {
  absl::StatusOr<std::string> file = BuildSnapshotFile(kb, index_sections);
  if (!file.ok()) {
    return absl::Status(file.status().code(),
                        absl::StrCat(path, ": ", file.status().message()));
  }
  // Write aside and rename, so that a reader never sees half a file.
  const std::string temporary = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(file->data(), static_cast<std::streamsize>(file->size()));
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const Snapshot>> LoadCompiledSnapshot(
    const std::string& path) {
  absl::StatusOr<std::shared_ptr<const MappedFile>> mapped =
      MappedFile::Map(path, kMaxMappedSnapshotBytes);
  if (!mapped.ok()) return mapped.status();
  const auto refuse = [&](const absl::Status& status) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", status.message()));
  };
  // Nothing is parsed before the whole file is verified: a corrupt file
  // costs one pass of a fast hash, and the parser only ever sees what the
  // writer wrote.
  absl::StatusOr<SnapshotFileReader> file =
      SnapshotFileReader::Open((*mapped)->bytes());
  if (!file.ok()) return refuse(file.status());
  absl::StatusOr<std::shared_ptr<const Snapshot>> opened =
      Snapshot::OpenCompiled(*file, *std::move(mapped), path, absl::Now());
  if (!opened.ok()) return refuse(opened.status());
  std::shared_ptr<const Snapshot> snapshot = *std::move(opened);
#ifdef __GLIBC__
  // Building leaves the temporary buffers' pages in the heap; a snapshot of
  // a million entities would otherwise keep tens of megabytes it never uses.
  malloc_trim(0);
#endif
  if (!snapshot->integrity_problems().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": invalid compiled snapshot:\n",
                     absl::StrJoin(snapshot->integrity_problems(), "\n")));
  }
  return snapshot;
}

}  // namespace factgraph::store
