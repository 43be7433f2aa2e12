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

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

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

namespace {

// Names outside their collection: what Snapshot::integrity_problems() does
// not cover.
std::vector<std::string> FindNameProblems(const v1::KnowledgeBase& kb) {
  constexpr size_t kMaxProblems = 20;
  std::vector<std::string> problems;
  const Reflection* reflection = kb.GetReflection();
  for (const Collection& collection : AllCollections()) {
    const FieldDescriptor* name_field =
        collection.descriptor->FindFieldByName("name");
    const int size = reflection->FieldSize(kb, collection.kb_field);
    for (int i = 0; i < size && problems.size() < kMaxProblems; ++i) {
      const Message& resource =
          reflection->GetRepeatedMessage(kb, collection.kb_field, i);
      std::string scratch;
      const absl::Status problem = CheckResourceName(
          collection, resource.GetReflection()->GetStringReference(
                          resource, name_field, &scratch));
      if (!problem.ok()) problems.emplace_back(problem.message());
    }
  }
  return problems;
}

}  // namespace

namespace {

// The knowledge base of a verified file, on `arena`: each resource parsed
// from its own slice of the file, in the file's (name) order, so each
// collection comes out sorted. `*stored` receives the slices in
// KnowledgeBase order (Snapshot::StoredBytes).
absl::StatusOr<v1::KnowledgeBase*> ParseResources(
    const SnapshotFileReader& file, google::protobuf::Arena* arena,
    std::vector<std::string_view>* stored) {
  auto* kb = google::protobuf::Arena::CreateMessage<v1::KnowledgeBase>(arena);
  // Per KnowledgeBase field number.
  std::vector<std::vector<std::string_view>> by_field(
      kb->GetDescriptor()->field_count() + 1);
  const Reflection* reflection = kb->GetReflection();
  const google::protobuf::Descriptor* descriptor = kb->GetDescriptor();
  for (size_t i = 0; i < file.resource_count(); ++i) {
    // The reader checked that the number is that of a collection.
    const FieldDescriptor* field =
        descriptor->FindFieldByNumber(file.ResourceCollectionField(i));
    Message* resource = reflection->AddMessage(kb, field);
    const std::string_view bytes = file.ResourceBytes(i);
    if (!resource->ParseFromArray(bytes.data(),
                                  static_cast<int>(bytes.size()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "section RESOURCE_BYTES (file offset ", file.ResourceFileOffset(i),
          "): resource ", i, " is not a valid ",
          resource->GetDescriptor()->full_name()));
    }
    std::string scratch;
    const std::string_view name = resource->GetReflection()->GetStringReference(
        *resource, resource->GetDescriptor()->FindFieldByName("name"),
        &scratch);
    if (name != file.Name(i)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "section RESOURCE_BYTES (file offset ", file.ResourceFileOffset(i),
          "): resource ", i, " is named \"", std::string(name),
          "\", the name table says \"", std::string(file.Name(i)), "\""));
    }
    by_field[static_cast<size_t>(field->index())].push_back(bytes);
  }
  stored->clear();
  stored->reserve(file.resource_count());
  for (const Collection& collection : AllCollections()) {
    for (std::string_view bytes :
         by_field[static_cast<size_t>(collection.kb_field->index())]) {
      stored->push_back(bytes);
    }
  }
  return kb;
}

}  // namespace

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
  auto arena = std::make_unique<google::protobuf::Arena>();
  Snapshot::StoredBytes stored;
  absl::StatusOr<v1::KnowledgeBase*> kb =
      ParseResources(*file, arena.get(), &stored.resources);
  if (!kb.ok()) return refuse(kb.status());
  const std::vector<std::string> problems = FindNameProblems(**kb);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": invalid compiled snapshot:\n", absl::StrJoin(problems, "\n")));
  }
  // The id was computed by the writer (snapshot-format.md "Snapshot id");
  // the checksums vouch that it is the one it wrote.
  stored.index_sections = file->index_sections();
  stored.backing = *std::move(mapped);
  std::shared_ptr<const Snapshot> snapshot =
      Snapshot::BuildOnArena(std::move(arena), *kb, path, absl::Now(),
                             file->IdHex(), std::move(stored));
#ifdef __GLIBC__
  // Building leaves the temporary buffers' pages in the heap; a snapshot of
  // a million entities would otherwise keep tens of megabytes it never uses.
  malloc_trim(0);
#endif
  if (!snapshot->stored_index_status().ok()) {
    return refuse(snapshot->stored_index_status());
  }
  if (!snapshot->integrity_problems().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": invalid compiled snapshot:\n",
                     absl::StrJoin(snapshot->integrity_problems(), "\n")));
  }
  return snapshot;
}

}  // namespace factgraph::store
