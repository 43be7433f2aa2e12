#include "service/store/snapshot_file_builder.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "service/store/collections.h"
#include "service/store/digest.h"
#include "service/store/snapshot_format.h"

namespace factgraph::store {
namespace {

namespace format = snapshot_format;
using google::protobuf::Message;

// One resource of the knowledge base, in the order the file stores it.
struct Entry {
  std::string_view name;
  uint32_t collection_field;  // KnowledgeBase field number.
  const Message* message;
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
          Entry{name, static_cast<uint32_t>(collection.kb_field->number()),
                &message});
    }
  }
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return entries;
}

// RESOURCE_BYTES: each resource's deterministic serialisation; `*offsets`
// receives where each starts, and the end.
absl::StatusOr<std::string> ResourceBytesSection(
    const std::vector<Entry>& entries, std::vector<uint64_t>* offsets) {
  std::string bytes;
  offsets->clear();
  offsets->reserve(entries.size() + 1);
  for (const Entry& entry : entries) {
    offsets->push_back(bytes.size());
    if (!format::AppendResourceBytes(*entry.message, &bytes)) {
      return absl::InternalError(absl::StrCat(
          "resource \"", std::string(entry.name), "\" cannot be serialised"));
    }
  }
  offsets->push_back(bytes.size());
  return bytes;
}

// RESOURCE_OFFSETS and NAME_OFFSETS: u64 each.
std::string OffsetsSection(const std::vector<uint64_t>& offsets) {
  std::string section;
  section.reserve(offsets.size() * 8);
  for (uint64_t offset : offsets) format::AppendU64(offset, &section);
  return section;
}

// RESOURCE_COLLECTIONS: u32 KnowledgeBase field number per resource.
std::string ResourceCollectionsSection(const std::vector<Entry>& entries) {
  std::string section;
  section.reserve(entries.size() * 4);
  for (const Entry& entry : entries) {
    format::AppendU32(entry.collection_field, &section);
  }
  return section;
}

// NAME_BYTES: the names concatenated; `*offsets` receives where each starts,
// and the end.
std::string NameBytesSection(const std::vector<Entry>& entries,
                             std::vector<uint64_t>* offsets) {
  std::string section;
  offsets->clear();
  offsets->reserve(entries.size() + 1);
  for (const Entry& entry : entries) {
    offsets->push_back(section.size());
    section.append(entry.name);
  }
  offsets->push_back(section.size());
  return section;
}

// SNAPSHOT_ID: the first 16 bytes of the SHA-256 of the sorted knowledge
// base's deterministic serialisation (ContentId), computed from the stored
// resource bytes: each collection in field order, each resource in name
// order, as a length-delimited field.
std::string SnapshotIdSection(const std::vector<Entry>& entries,
                              std::string_view resource_bytes,
                              const std::vector<uint64_t>& offsets) {
  std::vector<uint32_t> fields;
  for (const Entry& entry : entries) fields.push_back(entry.collection_field);
  std::sort(fields.begin(), fields.end());
  fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
  ContentIdHasher hasher;
  for (uint32_t field : fields) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].collection_field != field) continue;
      const std::string_view bytes =
          resource_bytes.substr(offsets[i], offsets[i + 1] - offsets[i]);
      uint8_t prefix[20];
      uint8_t* end = google::protobuf::io::CodedOutputStream::WriteTagToArray(
          google::protobuf::internal::WireFormatLite::MakeTag(
              static_cast<int>(field),
              google::protobuf::internal::WireFormatLite::
                  WIRETYPE_LENGTH_DELIMITED),
          prefix);
      end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(
          bytes.size(), end);
      hasher.Update(std::string_view(reinterpret_cast<const char*>(prefix),
                                     static_cast<size_t>(end - prefix)));
      hasher.Update(bytes);
    }
  }
  return absl::HexStringToBytes(hasher.Finish());
}

// Header, section table and the sections, each aligned and zero-padded.
std::string Assemble(const std::vector<format::IndexSectionBytes>& sections) {
  std::string table;
  size_t offset =
      format::kHeaderBytes + sections.size() * format::kSectionEntryBytes;
  std::vector<size_t> offsets;
  for (size_t i = 0; i < sections.size(); ++i) {
    offset = (offset + format::kSectionAlignment - 1) /
             format::kSectionAlignment * format::kSectionAlignment;
    offsets.push_back(offset);
    format::AppendU32(sections[i].kind, &table);
    format::AppendU32(0, &table);  // reserved
    format::AppendU64(offset, &table);
    format::AppendU64(sections[i].bytes.size(), &table);
    format::AppendU64(format::Checksum(sections[i].bytes), &table);
    offset += sections[i].bytes.size();
  }
  std::string file(format::kMagic);
  format::AppendU32(format::kVersion, &file);
  format::AppendU32(static_cast<uint32_t>(sections.size()), &file);
  format::AppendU64(offset, &file);  // The file's size.
  format::AppendU64(format::Checksum(table), &file);
  file.append(table);
  file.reserve(offset);
  for (size_t i = 0; i < sections.size(); ++i) {
    file.resize(offsets[i], '\0');
    file.append(sections[i].bytes);
  }
  return file;
}

}  // namespace

absl::StatusOr<std::string> BuildSnapshotFile(
    const v1::KnowledgeBase& kb,
    absl::Span<const format::IndexSectionBytes> index_sections) {
  uint32_t previous_kind = 0;
  for (const format::IndexSectionBytes& section : index_sections) {
    if (!format::IsIndexSectionKind(section.kind) ||
        section.kind <= previous_kind) {
      return absl::InvalidArgumentError(
          absl::StrCat("index section kind ", section.kind,
                       " is not reserved or not in increasing order"));
    }
    previous_kind = section.kind;
  }
  const std::vector<Entry> entries = ResourcesByName(kb);
  std::vector<uint64_t> resource_offsets, name_offsets;
  std::vector<std::string> sections(format::kSectionCount);
  absl::StatusOr<std::string> resource_bytes =
      ResourceBytesSection(entries, &resource_offsets);
  if (!resource_bytes.ok()) return resource_bytes.status();
  sections[5] = SnapshotIdSection(entries, *resource_bytes, resource_offsets);
  sections[0] = *std::move(resource_bytes);
  sections[1] = OffsetsSection(resource_offsets);
  sections[2] = ResourceCollectionsSection(entries);
  sections[3] = NameBytesSection(entries, &name_offsets);
  sections[4] = OffsetsSection(name_offsets);
  std::vector<format::IndexSectionBytes> all;
  all.reserve(sections.size() + index_sections.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    all.push_back({static_cast<uint32_t>(i + 1), sections[i]});
  }
  all.insert(all.end(), index_sections.begin(), index_sections.end());
  return Assemble(all);
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
