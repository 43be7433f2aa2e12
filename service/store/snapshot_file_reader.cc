#include "service/store/snapshot_file_reader.h"

#include <limits>

#include "absl/base/macros.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/store/collections.h"

namespace factgraph::store {
namespace {

namespace format = snapshot_format;
using format::SectionKind;

template <typename... Pieces>
absl::Status Invalid(const Pieces&... pieces) {
  return absl::InvalidArgumentError(absl::StrCat(pieces...));
}

// "RESOURCE_OFFSETS", or "index section 205".
std::string KindName(uint32_t kind) {
  if (kind >= 1 && kind <= format::kSectionCount) {
    return format::SectionName(static_cast<SectionKind>(kind));
  }
  return absl::StrCat("index section ", kind);
}

// "section RESOURCE_OFFSETS (file offset 1234)", the start of every error
// about a section.
std::string Where(SectionKind kind, uint64_t file_offset) {
  return absl::StrCat("section ", format::SectionName(kind), " (file offset ",
                      file_offset, ")");
}
std::string Where(uint32_t kind, uint64_t file_offset) {
  return absl::StrCat("section ", KindName(kind), " (file offset ", file_offset,
                      ")");
}

// The header: magic, version, size, section count, table checksum.
absl::Status CheckHeader(std::string_view file) {
  if (file.size() < format::kVersionOffset + 4) {
    return Invalid("only ", file.size(), " bytes, shorter than the header");
  }
  if (file.substr(0, format::kMagic.size()) != format::kMagic) {
    return Invalid("not a compiled snapshot (wrong magic number)");
  }
  const uint32_t version =
      format::LoadU32(file.data() + format::kVersionOffset);
  if (version != format::kVersion) {
    return Invalid("unsupported snapshot version ", version,
                   " (this server reads version ", format::kVersion,
                   "): compile the knowledge base again with factgraph "
                   "compile");
  }
  if (file.size() < format::kHeaderBytes) {
    return Invalid("only ", file.size(), " bytes, shorter than the header");
  }
  const uint64_t size = format::LoadU64(file.data() + format::kFileSizeOffset);
  if (size != file.size()) {
    return Invalid("truncated or extended: the header (file offset ",
                   format::kFileSizeOffset, ") announces ", size,
                   " bytes, the file holds ", file.size());
  }
  const uint32_t count =
      format::LoadU32(file.data() + format::kSectionCountOffset);
  if (count < format::kSectionCount) {
    return Invalid("header (file offset ", format::kSectionCountOffset,
                   "): ", count, " sections, fewer than the ",
                   format::kSectionCount, " core sections of format ",
                   format::kVersion);
  }
  if ((file.size() - format::kHeaderBytes) / format::kSectionEntryBytes <
      count) {
    return Invalid("section table (file offset ", format::kHeaderBytes,
                   "): truncated");
  }
  const size_t table_bytes = size_t{count} * format::kSectionEntryBytes;
  if (format::Checksum(file.substr(format::kHeaderBytes, table_bytes)) !=
      format::LoadU64(file.data() + format::kTableChecksumOffset)) {
    return Invalid("section table (file offset ", format::kHeaderBytes,
                   "): checksum mismatch");
  }
  return absl::OkStatus();
}

// A u64 offset table of `entries` values: starts at 0, never decreases, ends
// at `end` (the length of the section it indexes).
absl::Status CheckOffsetTable(SectionKind kind, uint64_t file_offset,
                              std::string_view table, size_t entries,
                              uint64_t end) {
  if (table.size() / 8 != entries || table.size() % 8 != 0) {
    return Invalid(Where(kind, file_offset), ": ", table.size(),
                   " bytes, expected ", entries, " offsets of 8 bytes");
  }
  uint64_t previous = 0;
  for (size_t i = 0; i < entries; ++i) {
    const uint64_t value = format::LoadU64(table.data() + 8 * i);
    const bool last = i + 1 == entries;
    if (value < previous || value > end || (i == 0 && value != 0) ||
        (last && value != end)) {
      return Invalid(Where(kind, file_offset + 8 * i), ": entry ", i, " is ",
                     value, ", not within ", previous, "..", end,
                     i == 0
                         ? " (the first is 0)"
                         : (last ? " (the last is the indexed length)" : ""));
    }
    previous = value;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SnapshotFileReader> SnapshotFileReader::Open(
    std::string_view file) {
  if (absl::Status header = CheckHeader(file); !header.ok()) return header;
  SnapshotFileReader reader;
  reader.file_ = file;
  std::array<uint64_t, format::kSectionCount> starts{};
  const uint32_t section_count =
      format::LoadU32(file.data() + format::kSectionCountOffset);
  // Sections follow the table in kind order, each at the first aligned
  // offset after the previous one, with zero padding: every byte of the file
  // is either checked against a value or covered by a checksum. The core
  // sections come first, each once; index sections follow, kinds reserved
  // and strictly increasing.
  uint64_t end = format::kHeaderBytes +
                 uint64_t{section_count} * format::kSectionEntryBytes;
  uint32_t previous_kind = 0;
  for (uint32_t i = 0; i < section_count; ++i) {
    const uint64_t entry_at =
        format::kHeaderBytes + uint64_t{i} * format::kSectionEntryBytes;
    const char* entry = file.data() + entry_at;
    const bool core = i < format::kSectionCount;
    const uint32_t stored_kind = format::LoadU32(entry);
    const uint32_t reserved = format::LoadU32(entry + 4);
    const uint64_t offset = format::LoadU64(entry + 8);
    const uint64_t length = format::LoadU64(entry + 16);
    const uint64_t checksum = format::LoadU64(entry + 24);
    if (core && (stored_kind != i + 1 || reserved != 0)) {
      return Invalid("section table entry ", i, " (file offset ", entry_at,
                     "): kind ", stored_kind, ", reserved ", reserved,
                     "; expected kind ", i + 1, " (", KindName(i + 1),
                     "), reserved 0");
    }
    if (!core && (!format::IsIndexSectionKind(stored_kind) ||
                  stored_kind <= previous_kind || reserved != 0)) {
      return Invalid(
          "section table entry ", i, " (file offset ", entry_at, "): kind ",
          stored_kind, ", reserved ", reserved,
          "; expected an index section kind (", format::kStoreIndexKinds.first,
          "..", format::kStoreIndexKinds.last, " or ",
          format::kSearchIndexKinds.first, "..", format::kSearchIndexKinds.last,
          ") above ", previous_kind, ", reserved 0");
    }
    previous_kind = stored_kind;
    const uint64_t aligned = (end + format::kSectionAlignment - 1) /
                             format::kSectionAlignment *
                             format::kSectionAlignment;
    if (offset != aligned) {
      return Invalid(Where(stored_kind, offset), ": expected at file offset ",
                     aligned, " (aligned to ", format::kSectionAlignment,
                     ", right after the previous section)");
    }
    if (offset > file.size() || length > file.size() - offset) {
      return Invalid(Where(stored_kind, offset), ": ", length,
                     " bytes run past the end of the file (", file.size(),
                     " bytes)");
    }
    for (uint64_t pad = end; pad < offset; ++pad) {
      if (file[pad] != '\0') {
        return Invalid(Where(stored_kind, offset),
                       ": padding byte at file offset ", pad, " is not zero");
      }
    }
    const std::string_view bytes = file.substr(offset, length);
    if (format::Checksum(bytes) != checksum) {
      return Invalid(Where(stored_kind, offset), ": checksum mismatch");
    }
    if (core) {
      reader.sections_[i] = bytes;
      starts[i] = offset;
    } else {
      reader.index_sections_.push_back(
          Snapshot::StoredSection{stored_kind, bytes, offset});
    }
    end = offset + length;
  }
  if (end != file.size()) {
    return Invalid("file offset ", end, ": ", file.size() - end,
                   " bytes after the last section");
  }
  const auto start = [&](SectionKind kind) {
    return starts[static_cast<uint32_t>(kind) - 1];
  };

  const std::string_view collections =
      reader.section(SectionKind::kResourceCollections);
  if (collections.size() % 4 != 0) {
    return Invalid(Where(SectionKind::kResourceCollections,
                         start(SectionKind::kResourceCollections)),
                   ": ", collections.size(),
                   " bytes, not a whole number of 4-byte entries");
  }
  const size_t count = collections.size() / 4;
  reader.resource_count_ = count;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t field = format::LoadU32(collections.data() + 4 * i);
    if (CollectionIndexOfField(field) < 0) {
      return Invalid(Where(SectionKind::kResourceCollections,
                           start(SectionKind::kResourceCollections) + 4 * i),
                     ": entry ", i, " is ", field,
                     ", not the field number of a KnowledgeBase collection");
    }
  }
  for (const auto& [offsets, indexed] :
       {std::pair(SectionKind::kResourceOffsets, SectionKind::kResourceBytes),
        std::pair(SectionKind::kNameOffsets, SectionKind::kNameBytes)}) {
    if (absl::Status table =
            CheckOffsetTable(offsets, start(offsets), reader.section(offsets),
                             count + 1, reader.section(indexed).size());
        !table.ok()) {
      return table;
    }
  }
  for (size_t i = 1; i < count; ++i) {
    if (reader.Name(i) < reader.Name(i - 1)) {
      return Invalid(Where(SectionKind::kNameBytes,
                           start(SectionKind::kNameBytes) +
                               reader.Offset(SectionKind::kNameOffsets, i)),
                     ": name ", i, " \"",
                     absl::CHexEscape(std::string(reader.Name(i))),
                     "\" is not in order after \"",
                     absl::CHexEscape(std::string(reader.Name(i - 1))), "\"");
    }
  }
  const std::string_view id = reader.section(SectionKind::kSnapshotId);
  if (id.size() != format::kSnapshotIdBytes) {
    return Invalid(
        Where(SectionKind::kSnapshotId, start(SectionKind::kSnapshotId)), ": ",
        id.size(), " bytes, expected ", format::kSnapshotIdBytes);
  }
  return reader;
}

uint64_t SnapshotFileReader::Offset(SectionKind kind, size_t i) const {
  const std::string_view table = section(kind);
  ABSL_HARDENING_ASSERT(i < table.size() / 8);
  return format::LoadU64(table.data() + 8 * i);
}

std::string_view SnapshotFileReader::Entry(SectionKind offsets,
                                           SectionKind bytes, size_t i) const {
  ABSL_HARDENING_ASSERT(i < resource_count_);
  const uint64_t begin = Offset(offsets, i);
  const uint64_t end = Offset(offsets, i + 1);
  const std::string_view all = section(bytes);
  ABSL_HARDENING_ASSERT(begin <= end && end <= all.size());
  return all.substr(begin, end - begin);
}

std::string_view SnapshotFileReader::ResourceBytes(size_t i) const {
  return Entry(SectionKind::kResourceOffsets, SectionKind::kResourceBytes, i);
}

uint64_t SnapshotFileReader::ResourceFileOffset(size_t i) const {
  return static_cast<uint64_t>(ResourceBytes(i).data() - file_.data());
}

uint32_t SnapshotFileReader::ResourceCollectionField(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resource_count_);
  return format::LoadU32(section(SectionKind::kResourceCollections).data() +
                         4 * i);
}

std::string_view SnapshotFileReader::Name(size_t i) const {
  return Entry(SectionKind::kNameOffsets, SectionKind::kNameBytes, i);
}

std::string SnapshotFileReader::IdHex() const {
  return absl::BytesToHexString(std::string(section(SectionKind::kSnapshotId)));
}

}  // namespace factgraph::store
