#include "service/store/snapshot_file_builder.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "service/store/collections.h"
#include "service/store/digest.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_format.h"
#include "xxhash.h"

namespace factgraph::store {
namespace {

namespace format = snapshot_format;
using format::SectionKind;
using google::protobuf::Message;

constexpr uint32_t KindOf(SectionKind kind) {
  return static_cast<uint32_t>(kind);
}

// One resource of the knowledge base, in the order the file stores it.
struct Entry {
  std::string_view name;
  uint32_t collection_field;  // KnowledgeBase field number.
  const Message* message;
  std::string_view bytes;  // Its stored form, once serialised.
};

// Every resource, ordered by name; stable, so duplicates keep their order.
std::vector<Entry> ResourcesByName(const v1::KnowledgeBase& kb) {
  std::vector<Entry> entries;
  const auto* reflection = kb.GetReflection();
  for (const Collection& collection : AllCollections()) {
    const auto* name_field = collection.descriptor->FindFieldByName("name");
    const int size = reflection->FieldSize(kb, collection.kb_field);
    for (int i = 0; i < size; ++i) {
      const Message& message =
          reflection->GetRepeatedMessage(kb, collection.kb_field, i);
      std::string scratch;
      const std::string& name = message.GetReflection()->GetStringReference(
          message, name_field, &scratch);
      // Generated messages return their own storage, never `scratch`.
      entries.push_back(
          Entry{name,
                static_cast<uint32_t>(collection.kb_field->number()),
                &message,
                {}});
    }
  }
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return entries;
}

// Serialises the entries that have no bytes yet into `*owned`.
absl::Status SerialiseMissing(std::vector<Entry>* entries, std::string* owned) {
  std::vector<size_t> missing, ends;
  for (size_t i = 0; i < entries->size(); ++i) {
    if (!(*entries)[i].bytes.empty()) continue;
    if (!format::AppendResourceBytes(*(*entries)[i].message, owned)) {
      return absl::InternalError(absl::StrCat("resource \"",
                                              std::string((*entries)[i].name),
                                              "\" cannot be serialised"));
    }
    missing.push_back(i);
    ends.push_back(owned->size());
  }
  size_t begin = 0;
  for (size_t m = 0; m < missing.size(); ++m) {
    (*entries)[missing[m]].bytes =
        std::string_view(*owned).substr(begin, ends[m] - begin);
    begin = ends[m];
  }
  return absl::OkStatus();
}

// RESOURCE_BYTES and NAME_BYTES: one string of each entry (its bytes or its
// name), concatenated in a section of `kind`; returns where each starts, and
// the end.
std::vector<uint64_t> WriteConcatenated(SectionKind kind,
                                        std::string_view Entry::*part,
                                        const std::vector<Entry>& entries,
                                        SnapshotFileWriter* writer) {
  std::vector<uint64_t> offsets;
  offsets.reserve(entries.size() + 1);
  writer->BeginSection(KindOf(kind));
  for (const Entry& entry : entries) {
    offsets.push_back(writer->section_size());
    writer->Append(entry.*part);
  }
  offsets.push_back(writer->section_size());
  writer->EndSection();
  return offsets;
}

// RESOURCE_OFFSETS and NAME_OFFSETS: u64 each.
void WriteOffsets(SectionKind kind, const std::vector<uint64_t>& offsets,
                  SnapshotFileWriter* writer) {
  std::string section;
  section.reserve(offsets.size() * 8);
  for (uint64_t offset : offsets) format::AppendU64(offset, &section);
  writer->AddSection(KindOf(kind), section);
}

// RESOURCE_COLLECTIONS: u32 KnowledgeBase field number per resource.
void WriteResourceCollections(const std::vector<Entry>& entries,
                              SnapshotFileWriter* writer) {
  std::string section;
  section.reserve(entries.size() * 4);
  for (const Entry& entry : entries) {
    format::AppendU32(entry.collection_field, &section);
  }
  writer->AddSection(KindOf(SectionKind::kResourceCollections), section);
}

// SNAPSHOT_ID: the first 16 bytes of the SHA-256 of the sorted knowledge
// base's deterministic serialisation (ContentId), computed from the stored
// resource bytes: each collection in field order, each resource in name
// order, as a length-delimited field.
std::string SnapshotIdSection(const std::vector<Entry>& entries) {
  std::vector<uint32_t> fields;
  for (const Entry& entry : entries) fields.push_back(entry.collection_field);
  std::sort(fields.begin(), fields.end());
  fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
  ContentIdHasher hasher;
  for (uint32_t field : fields) {
    for (const Entry& entry : entries) {
      if (entry.collection_field != field) continue;
      uint8_t prefix[20];
      uint8_t* end = google::protobuf::io::CodedOutputStream::WriteTagToArray(
          google::protobuf::internal::WireFormatLite::MakeTag(
              static_cast<int>(field),
              google::protobuf::internal::WireFormatLite::
                  WIRETYPE_LENGTH_DELIMITED),
          prefix);
      end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(
          entry.bytes.size(), end);
      hasher.Update(std::string_view(reinterpret_cast<const char*>(prefix),
                                     static_cast<size_t>(end - prefix)));
      hasher.Update(entry.bytes);
    }
  }
  return absl::HexStringToBytes(hasher.Finish());
}

// The core sections, in kind order, of `entries` (each with its bytes).
void WriteCore(const std::vector<Entry>& entries, SnapshotFileWriter* writer) {
  WriteOffsets(SectionKind::kResourceOffsets,
               WriteConcatenated(SectionKind::kResourceBytes, &Entry::bytes,
                                 entries, writer),
               writer);
  WriteResourceCollections(entries, writer);
  WriteOffsets(
      SectionKind::kNameOffsets,
      WriteConcatenated(SectionKind::kNameBytes, &Entry::name, entries, writer),
      writer);
  writer->AddSection(KindOf(SectionKind::kSnapshotId),
                     SnapshotIdSection(entries));
}

}  // namespace

// ---- SnapshotFileWriter ---------------------------------------------------

struct SnapshotFileWriter::Hasher {
  Hasher() : state(XXH3_createState()) {}
  ~Hasher() { XXH3_freeState(state); }
  XXH3_state_t* state;
};

SnapshotFileWriter::SnapshotFileWriter(size_t section_count,
                                       std::string* string_out)
    : section_count_(section_count),
      string_out_(string_out),
      hasher_(std::make_unique<Hasher>()) {
  table_.reserve(section_count);
}

std::unique_ptr<SnapshotFileWriter> SnapshotFileWriter::ToString(
    std::string* out, size_t section_count) {
  out->clear();
  std::unique_ptr<SnapshotFileWriter> writer(
      new SnapshotFileWriter(section_count, out));
  writer->Put(std::string(
      format::kHeaderBytes + section_count * format::kSectionEntryBytes, '\0'));
  return writer;
}

std::unique_ptr<SnapshotFileWriter> SnapshotFileWriter::ToFile(
    const std::string& path, size_t section_count) {
  std::unique_ptr<SnapshotFileWriter> writer(
      new SnapshotFileWriter(section_count, nullptr));
  writer->path_ = path;
  writer->temporary_ = absl::StrCat(path, ".tmp");
  writer->file_ = std::fopen(writer->temporary_.c_str(), "wb");
  if (writer->file_ == nullptr) {
    writer->status_ = absl::UnavailableError(
        absl::StrCat("cannot write ", writer->temporary_));
    return writer;
  }
  // Large writes: a section goes out in few system calls.
  std::setvbuf(writer->file_, nullptr, _IOFBF, size_t{1} << 20);
  writer->Put(std::string(
      format::kHeaderBytes + section_count * format::kSectionEntryBytes, '\0'));
  return writer;
}

SnapshotFileWriter::~SnapshotFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temporary_.c_str());
  }
}

void SnapshotFileWriter::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
}

void SnapshotFileWriter::Put(std::string_view bytes) {
  if (!status_.ok() || bytes.empty()) return;
  if (string_out_ != nullptr) {
    string_out_->append(bytes);
  } else if (std::fwrite(bytes.data(), 1, bytes.size(), file_) !=
             bytes.size()) {
    Fail(absl::UnavailableError(absl::StrCat("cannot write ", temporary_)));
    return;
  }
  position_ += bytes.size();
}

void SnapshotFileWriter::BeginSection(uint32_t kind) {
  if (!status_.ok()) return;
  const uint32_t previous = table_.empty() ? 0 : table_.back().kind;
  if (in_section_ || table_.size() == section_count_ || kind <= previous ||
      !(kind <= format::kSectionCount || format::IsIndexSectionKind(kind))) {
    Fail(absl::InvalidArgumentError(
        absl::StrCat("section kind ", kind,
                     " is not reserved or not in increasing order, or one "
                     "section too many")));
    return;
  }
  static constexpr char kZeros[format::kSectionAlignment] = {};
  Put(std::string_view(kZeros, (format::kSectionAlignment -
                                position_ % format::kSectionAlignment) %
                                   format::kSectionAlignment));
  in_section_ = true;
  section_begin_ = position_;
  XXH3_64bits_reset(hasher_->state);
  table_.push_back(TableEntry{kind, position_, 0, 0});
}

void SnapshotFileWriter::Append(std::string_view bytes) {
  if (!status_.ok()) return;
  if (!in_section_) {
    Fail(absl::InternalError("bytes written outside a section"));
    return;
  }
  XXH3_64bits_update(hasher_->state, bytes.data(), bytes.size());
  Put(bytes);
}

void SnapshotFileWriter::EndSection() {
  if (!status_.ok()) return;
  if (!in_section_) {
    Fail(absl::InternalError("a section ended that did not begin"));
    return;
  }
  in_section_ = false;
  table_.back().length = position_ - section_begin_;
  table_.back().checksum = XXH3_64bits_digest(hasher_->state);
}

absl::Status SnapshotFileWriter::Finish() {
  if (status_.ok() && (in_section_ || table_.size() != section_count_)) {
    Fail(absl::InternalError(absl::StrCat(table_.size(), " sections of ",
                                          section_count_, " written")));
  }
  if (!status_.ok()) return status_;
  std::string table;
  for (const TableEntry& entry : table_) {
    format::AppendU32(entry.kind, &table);
    format::AppendU32(0, &table);  // reserved
    format::AppendU64(entry.offset, &table);
    format::AppendU64(entry.length, &table);
    format::AppendU64(entry.checksum, &table);
  }
  std::string head(format::kMagic);
  format::AppendU32(format::kVersion, &head);
  format::AppendU32(static_cast<uint32_t>(table_.size()), &head);
  format::AppendU64(position_, &head);  // The file's size.
  format::AppendU64(format::Checksum(table), &head);
  head.append(table);
  if (string_out_ != nullptr) {
    string_out_->replace(0, head.size(), head);
    return absl::OkStatus();
  }
  const bool written =
      std::fseek(file_, 0, SEEK_SET) == 0 &&
      std::fwrite(head.data(), 1, head.size(), file_) == head.size();
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!written || !closed) {
    std::remove(temporary_.c_str());
    return status_ = absl::UnavailableError(
               absl::StrCat("cannot write ", temporary_));
  }
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    std::remove(temporary_.c_str());
    return status_ = absl::UnavailableError(
               absl::StrCat("cannot rename ", temporary_, " to ", path_));
  }
  return absl::OkStatus();
}

// ---- The file ---------------------------------------------------------------

void WriteCoreSections(const Snapshot& snapshot, SnapshotFileWriter* writer) {
  std::vector<Entry> entries = ResourcesByName(snapshot.knowledge_base());
  for (Entry& entry : entries) entry.bytes = snapshot.WireBytes(*entry.message);
  // Only resources the snapshot holds no bytes for (a duplicate name's
  // second resource) are serialised here.
  std::string owned;
  if (absl::Status status = SerialiseMissing(&entries, &owned); !status.ok()) {
    writer->Fail(std::move(status));
    return;
  }
  WriteCore(entries, writer);
}

absl::StatusOr<std::string> BuildSnapshotFile(
    const v1::KnowledgeBase& kb,
    absl::Span<const format::IndexSectionBytes> index_sections) {
  std::vector<Entry> entries = ResourcesByName(kb);
  std::string owned;
  if (absl::Status status = SerialiseMissing(&entries, &owned); !status.ok()) {
    return status;
  }
  std::string file;
  const std::unique_ptr<SnapshotFileWriter> writer =
      SnapshotFileWriter::ToString(
          &file, format::kSectionCount + index_sections.size());
  WriteCore(entries, writer.get());
  for (const format::IndexSectionBytes& section : index_sections) {
    writer->AddSection(section.kind, section.bytes);
  }
  if (absl::Status status = writer->Finish(); !status.ok()) return status;
  return file;
}

void ResealSnapshotFile(std::string* file) {
  if (file->size() < format::kHeaderBytes) return;
  const uint64_t count =
      format::LoadU32(file->data() + format::kSectionCountOffset);
  if (count >
      (file->size() - format::kHeaderBytes) / format::kSectionEntryBytes) {
    return;
  }
  const size_t table_bytes = count * format::kSectionEntryBytes;
  const auto store = [file](uint64_t value, size_t at) {
    std::string bytes;
    format::AppendU64(value, &bytes);
    file->replace(at, bytes.size(), bytes);
  };
  for (size_t i = 0; i < count; ++i) {
    const size_t entry = format::kHeaderBytes + i * format::kSectionEntryBytes;
    const uint64_t offset = format::LoadU64(file->data() + entry + 8);
    const uint64_t length = format::LoadU64(file->data() + entry + 16);
    if (offset > file->size() || length > file->size() - offset) continue;
    store(format::Checksum(std::string_view(*file).substr(offset, length)),
          entry + 24);
  }
  store(format::Checksum(
            std::string_view(*file).substr(format::kHeaderBytes, table_bytes)),
        format::kTableChecksumOffset);
}

}  // namespace factgraph::store
