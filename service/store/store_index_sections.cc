#include "service/store/store_index_sections.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <optional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "service/store/collections.h"
#include "service/store/fact_path.h"
#include "service/store/facts.h"
#include "service/store/resource_fields.h"
#include "service/store/snapshot_format.h"
#include "service/store/snapshot_index_builder.h"

namespace factgraph::store {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The sections are the arrays' bytes as they lie in memory: little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "store index sections are read in place on little-endian hosts");

namespace {

constexpr uint32_t kFirst = snapshot_format::kStoreIndexKinds.first;
constexpr size_t kKindCount = kStoreIndexSectionEnd - kFirst;

constexpr const char* kNames[kKindCount] = {
    // By kind - kFirst.
    "RESOURCE_NAME_KEY_BYTES",
    "RESOURCE_NAME_KEY_OFFSETS",
    "RESOURCE_NAME_SLOTS",
    "RESOURCE_FACT_BEGINS",
    "FACT_RECORDS",
    "FACT_PATH_BYTES",
    "FACT_PATH_OFFSETS",
    "COVERING_CITATIONS",
    "PREDICATE_KEY_BYTES",
    "PREDICATE_KEY_OFFSETS",
    "PREDICATE_SLOTS",
    "FACTS_BY_PREDICATE_BEGINS",
    "FACTS_BY_PREDICATE_VALUES",
    "OBJECT_KEY_BYTES",
    "OBJECT_KEY_OFFSETS",
    "OBJECT_KEY_SLOTS",
    "FACTS_BY_OBJECT_BEGINS",
    "FACTS_BY_OBJECT_VALUES",
    "DOCUMENT_KEY_BYTES",
    "DOCUMENT_KEY_OFFSETS",
    "DOCUMENT_SLOTS",
    "FACTS_BY_DOCUMENT_BEGINS",
    "FACTS_BY_DOCUMENT_VALUES",
    "LINKS_TO_BEGINS",
    "LINKS_TO_VALUES",
    "LINKS",
    "LINKS_FROM_BEGINS",
    "NORMALIZED_NAME_BYTES",
    "NAME_ENTRIES",
    "NAME_TOKEN_KEY_BYTES",
    "NAME_TOKEN_KEY_OFFSETS",
    "NAME_TOKEN_SLOTS",
    "NAMES_BY_TOKEN_BEGINS",
    "NAMES_BY_TOKEN_VALUES",
};

// A name entry as stored: the resource, its normalised text's range in
// NORMALIZED_NAME_BYTES, and which text it is (-1: the display name, else
// that alias).
struct StoredNameEntry {
  uint32_t resource;
  uint32_t normalized_begin;
  uint32_t normalized_size;
  int32_t alias;
};
static_assert(sizeof(StoredNameEntry) == 16);

// A fact path as stored: its resource type's full name, a newline, the
// path text.
constexpr char kPathTypeSeparator = '\n';

template <typename T>
std::string_view BytesOf(absl::Span<const T> values) {
  return std::string_view(reinterpret_cast<const char*>(values.data()),
                          values.size() * sizeof(T));
}

void AddKeyTable(uint32_t first_kind, const KeyTableView& table,
                 snapshot_format::SectionSink& out) {
  out(first_kind, table.keys.bytes);
  out(first_kind + 1, BytesOf(table.keys.offsets));
  out(first_kind + 2, BytesOf(table.slots));
}

void AddPostingLists(uint32_t first_kind, const PostingListsView& lists,
                     snapshot_format::SectionSink& out) {
  out(first_kind, BytesOf(lists.begins));
  out(first_kind + 1, BytesOf(lists.values));
}

template <typename... Pieces>
absl::Status Invalid(const Pieces&... pieces) {
  return absl::InvalidArgumentError(absl::StrCat(pieces...));
}

// Reads and checks the sections; each check names the section and the file
// offset of the value it rejects.
class SectionChecker {
 public:
  explicit SectionChecker(absl::Span<const Snapshot::StoredSection> sections) {
    for (const Snapshot::StoredSection& section : sections) {
      if (section.kind >= kFirst && section.kind < kStoreIndexSectionEnd) {
        sections_[section.kind - kFirst] = &section;
      }
    }
  }

  absl::Status CheckAllPresent() const {
    for (uint32_t k = 0; k < kKindCount; ++k) {
      if (sections_[k] == nullptr) {
        return Invalid("section ", kNames[k], " (kind ", kFirst + k,
                       "): missing; a file holds all store index sections "
                       "or none");
      }
    }
    return absl::OkStatus();
  }

  // "section FACT_RECORDS (file offset 1234)".
  std::string Where(uint32_t kind, size_t byte) const {
    return absl::StrCat("section ", kNames[kind - kFirst], " (file offset ",
                        sections_[kind - kFirst]->file_offset + byte, ")");
  }

  std::string_view Bytes(uint32_t kind) const {
    return sections_[kind - kFirst]->bytes;
  }

  // The section as an array of T; its length must be a whole number of T
  // and, unless `count` is npos, `count` elements.
  template <typename T>
  absl::Status Array(uint32_t kind, size_t count,
                     absl::Span<const T>* out) const {
    const std::string_view bytes = Bytes(kind);
    if (bytes.size() % sizeof(T) != 0 || (count != std::string_view::npos &&
                                          bytes.size() / sizeof(T) != count)) {
      return Invalid(Where(kind, 0), ": ", bytes.size(), " bytes, expected ",
                     count == std::string_view::npos
                         ? std::string("a whole number of")
                         : absl::StrCat(count),
                     " entries of ", sizeof(T), " bytes");
    }
    // Sections start 8-aligned in a page-aligned mapping (or a string).
    if (reinterpret_cast<uintptr_t>(bytes.data()) % alignof(T) != 0) {
      return Invalid(Where(kind, 0), ": not aligned in memory");
    }
    *out = absl::Span<const T>(reinterpret_cast<const T*>(bytes.data()),
                               bytes.size() / sizeof(T));
    return absl::OkStatus();
  }

  // An offset (or begins) table: `count` entries (npos: any, at least one),
  // starting at 0, never decreasing, ending at `end`.
  absl::Status Offsets(uint32_t kind, size_t count, size_t end,
                       absl::Span<const uint32_t>* out) const {
    if (absl::Status status = Array(kind, count, out); !status.ok()) {
      return status;
    }
    const absl::Span<const uint32_t> values = *out;
    if (values.empty()) {
      return Invalid(Where(kind, 0), ": empty, expected at least one entry");
    }
    uint32_t previous = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      const bool last = i + 1 == values.size();
      if (values[i] < previous || values[i] > end || (i == 0 && values[i]) ||
          (last && values[i] != end)) {
        return Invalid(Where(kind, 4 * i), ": entry ", i, " is ", values[i],
                       ", not within ", previous, "..", end,
                       i == 0 ? " (the first is 0)"
                              : (last ? " (the last is the end)" : ""));
      }
      previous = values[i];
    }
    return absl::OkStatus();
  }

  // Every value below `limit`; ascending (strictly) when `ascending`.
  absl::Status Below(uint32_t kind, absl::Span<const uint32_t> values,
                     size_t limit, bool ascending = false) const {
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i] >= limit ||
          (ascending && i > 0 && values[i] <= values[i - 1])) {
        return Invalid(
            Where(kind, 4 * i), ": entry ", i, " is ", values[i],
            ascending ? ", not ascending or not below " : ", not below ",
            limit);
      }
    }
    return absl::OkStatus();
  }

  // Each list of posting lists `begins` ascending (fact order).
  absl::Status ListsAscending(uint32_t values_kind,
                              const PostingListsView& lists) const {
    for (size_t k = 0; k + 1 < lists.begins.size(); ++k) {
      for (uint32_t i = lists.begins[k] + 1; i < lists.begins[k + 1]; ++i) {
        if (lists.values[i] <= lists.values[i - 1]) {
          return Invalid(Where(values_kind, 4 * size_t{i}), ": entry ", i,
                         " is ", lists.values[i],
                         ", not above the previous of its list");
        }
      }
    }
    return absl::OkStatus();
  }

  // A key table: bytes, offsets, slots (first_kind .. first_kind + 2).
  absl::Status Keys(uint32_t first_kind, KeyTableView* table) const {
    table->keys.bytes = Bytes(first_kind);
    if (table->keys.bytes.size() > UINT32_MAX) {
      return Invalid(Where(first_kind, 0), ": longer than 4 GiB");
    }
    if (absl::Status status =
            Offsets(first_kind + 1, std::string_view::npos,
                    table->keys.bytes.size(), &table->keys.offsets);
        !status.ok()) {
      return status;
    }
    const uint32_t slots_kind = first_kind + 2;
    if (absl::Status status =
            Array(slots_kind, std::string_view::npos, &table->slots);
        !status.ok()) {
      return status;
    }
    const absl::Span<const KeyTable::Slot> slots = table->slots;
    const size_t keys = table->keys.size();
    if (slots.size() < 1 || (slots.size() & (slots.size() - 1)) != 0 ||
        slots.size() <= keys) {
      return Invalid(Where(slots_kind, 0), ": ", slots.size(),
                     " slots, expected a power of two above the ", keys,
                     " keys");
    }
    const absl::Span<const uint32_t> offsets = table->keys.offsets;
    size_t empty = 0;
    for (size_t i = 0; i < slots.size(); ++i) {
      const KeyTable::Slot& slot = slots[i];
      if (slot.id == KeyTable::kNotFound) {
        ++empty;
        continue;
      }
      if (slot.id >= keys || slot.key_begin != offsets[slot.id] ||
          slot.key_size != offsets[slot.id + 1] - offsets[slot.id]) {
        return Invalid(Where(slots_kind, sizeof(KeyTable::Slot) * i), ": slot ",
                       i, " (id ", slot.id, ", key at ", slot.key_begin, ", ",
                       slot.key_size, " bytes) is not that of a key of ", keys);
      }
    }
    if (empty == 0) {
      return Invalid(Where(slots_kind, 0), ": no empty slot");
    }
    return absl::OkStatus();
  }

  // Posting lists over `keys` keys with values below `limit`.
  absl::Status Lists(uint32_t first_kind, size_t keys, size_t limit,
                     PostingListsView* lists) const {
    if (absl::Status status =
            Array(first_kind + 1, std::string_view::npos, &lists->values);
        !status.ok()) {
      return status;
    }
    if (absl::Status status =
            Offsets(first_kind, keys + 1, lists->values.size(), &lists->begins);
        !status.ok()) {
      return status;
    }
    if (absl::Status status = Below(first_kind + 1, lists->values, limit);
        !status.ok()) {
      return status;
    }
    return ListsAscending(first_kind + 1, *lists);
  }

 private:
  const Snapshot::StoredSection* sections_[kKindCount] = {};
};

#define RETURN_IF_ERROR(expr)                                         \
  do {                                                                \
    if (absl::Status _status = (expr); !_status.ok()) return _status; \
  } while (false)

// Fact path `p` of FACT_PATH_BYTES: "<type>\n<path>", resolved against the
// generated descriptors; it must be a path ForEachFactPath could visit.
absl::Status ResolveStoredPath(const SectionChecker& checker, uint32_t p,
                               const StringTableView& texts,
                               InternedPath* out) {
  const std::string_view stored = texts[p];
  const std::string where = checker.Where(kFactPathBytes, texts.offsets[p]);
  const size_t separator = stored.find(kPathTypeSeparator);
  const Descriptor* type = nullptr;
  if (separator != std::string_view::npos) {
    const std::string_view type_name = stored.substr(0, separator);
    for (const Collection& collection : AllCollections()) {
      if (collection.descriptor->full_name() == type_name) {
        type = collection.descriptor;
      }
    }
  }
  if (type == nullptr) {
    return Invalid(where, ": path ", p,
                   " does not start with a resource type and a newline");
  }
  absl::StatusOr<std::vector<PathStep>> steps =
      ParseFieldPath(type, stored.substr(separator + 1));
  if (!steps.ok()) {
    return Invalid(where, ": path ", p, ": ", steps.status().message());
  }
  for (size_t i = 0; i < steps->size(); ++i) {
    const PathStep& step = (*steps)[i];
    const bool leaf = i + 1 == steps->size();
    const bool value = step.field->type() != FieldDescriptor::TYPE_MESSAGE ||
                       IsValueMessage(step.field->message_type());
    if ((step.field->is_repeated() && step.index < 0) || leaf != value ||
        (i == 0 && IsExcludedFromFacts(step.field))) {
      return Invalid(where, ": path ", p, " is not the path of a fact");
    }
  }
  *out = ResolvePath(MakeFieldPath(*steps));
  return absl::OkStatus();
}

// The bytes of a top-level length-delimited field `number` in the wire
// bytes `wire` (validated: they parsed): its `occurrence`-th (0-based)
// occurrence, or with -1 its last, as parsing a singular field keeps; or
// nullopt when there is none.
std::optional<std::string_view> StoredStringField(std::string_view wire,
                                                  int number, int occurrence) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const uint8_t*>(wire.data()),
      static_cast<int>(wire.size()));
  std::optional<std::string_view> found;
  int seen = 0;
  while (const uint32_t tag = input.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == number &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t size = 0;
      if (!input.ReadVarint32(&size)) return std::nullopt;
      const int at = input.CurrentPosition();
      if (size > wire.size() - static_cast<size_t>(at)) return std::nullopt;
      found = wire.substr(static_cast<size_t>(at), size);
      if (occurrence >= 0 && seen++ == occurrence) return found;
      if (!input.Skip(static_cast<int>(size))) return std::nullopt;
      continue;
    }
    if (!WireFormatLite::SkipField(&input, tag)) return std::nullopt;
  }
  return occurrence < 0 ? found : std::nullopt;
}

}  // namespace

const char* StoreIndexSectionName(uint32_t kind) {
  return kind >= kFirst && kind < kStoreIndexSectionEnd ? kNames[kind - kFirst]
                                                        : "UNKNOWN";
}

void WriteStoreIndexSections(const Snapshot& snapshot,
                             snapshot_format::SectionSink& out) {
  const StoreIndexViews& views = snapshot.store_index_views();
  AddKeyTable(kResourceNameKeyBytes, views.resource_names, out);
  out(kResourceFactBegins, BytesOf(views.resource_fact_begins));
  out(kFactRecords, BytesOf(views.facts));
  std::string path_bytes;
  std::vector<uint32_t> path_offsets = {0};
  for (const InternedPath& path : snapshot.interned_paths()) {
    absl::StrAppend(
        &path_bytes,
        path.path.steps.front().field->containing_type()->full_name(),
        std::string(1, kPathTypeSeparator), path.path.text);
    path_offsets.push_back(static_cast<uint32_t>(path_bytes.size()));
  }
  out(kFactPathBytes, path_bytes);
  out(kFactPathOffsets, BytesOf(absl::MakeConstSpan(path_offsets)));
  out(kCoveringCitations, BytesOf(views.covering_citations));
  AddKeyTable(kPredicateKeyBytes, views.predicates, out);
  AddPostingLists(kFactsByPredicateBegins, views.facts_by_predicate, out);
  AddKeyTable(kObjectKeyBytes, views.object_keys, out);
  AddPostingLists(kFactsByObjectBegins, views.facts_by_object, out);
  AddKeyTable(kDocumentKeyBytes, views.documents, out);
  AddPostingLists(kFactsByDocumentBegins, views.facts_by_document, out);
  AddPostingLists(kLinksToBegins, views.links_to, out);
  out(kLinks, BytesOf(views.links));
  out(kLinksFromBegins, BytesOf(views.links_from_begins));
  // Name entries: their normalised texts end to end, in entry order.
  std::string normalized;
  std::vector<StoredNameEntry> entries;
  for (const NameEntry& entry : snapshot.NameEntries()) {
    // Entry.resource may only stand in for the resource's type (it does for
    // a compiled file's snapshot).
    const Message& resource = *snapshot.Find(entry.resource_name);
    int32_t alias = -1;
    if (!entry.is_display_name) {
      const FieldDescriptor* aliases =
          FieldsOf(resource.GetDescriptor()).aliases;
      const auto* reflection = resource.GetReflection();
      for (int i = 0; i < reflection->FieldSize(resource, aliases); ++i) {
        std::string scratch;
        if (reflection->GetRepeatedStringReference(resource, aliases, i,
                                                   &scratch) == entry.text) {
          alias = i;
          break;
        }
      }
    }
    entries.push_back(StoredNameEntry{
        static_cast<uint32_t>(*snapshot.ResourceIndex(entry.resource_name)),
        static_cast<uint32_t>(normalized.size()),
        static_cast<uint32_t>(entry.normalized.size()), alias});
    normalized.append(entry.normalized);
  }
  out(kNormalizedNameBytes, normalized);
  out(kNameEntries, BytesOf(absl::MakeConstSpan(entries)));
  AddKeyTable(kNameTokenKeyBytes, views.name_tokens, out);
  AddPostingLists(kNamesByTokenBegins, views.names_by_token, out);
}

bool HasStoreIndexSections(absl::Span<const Snapshot::StoredSection> sections) {
  for (const Snapshot::StoredSection& section : sections) {
    if (section.kind >= snapshot_format::kStoreIndexKinds.first &&
        section.kind <= snapshot_format::kStoreIndexKinds.last) {
      return true;
    }
  }
  return false;
}

absl::Status OpenStoreIndexSections(
    absl::Span<const Snapshot::StoredSection> sections, size_t resource_count,
    StoreIndexes* indexes, StoreIndexViews* views) {
  for (const Snapshot::StoredSection& section : sections) {
    if (section.kind >= kStoreIndexSectionEnd &&
        section.kind <= snapshot_format::kStoreIndexKinds.last) {
      return Invalid("section store index ", section.kind, " (file offset ",
                     section.file_offset, "): unknown store index kind");
    }
  }
  const SectionChecker checker(sections);
  RETURN_IF_ERROR(checker.CheckAllPresent());

  // The resource table: resource r's key is its name (CheckStoredResource).
  RETURN_IF_ERROR(checker.Keys(kResourceNameKeyBytes, &views->resource_names));
  const StringTableView& names = views->resource_names.keys;
  if (names.size() != resource_count) {
    return Invalid(checker.Where(kResourceNameKeyOffsets, 0), ": ",
                   names.size(), " keys, expected one per resource (",
                   resource_count, ")");
  }

  // Fact records and their paths.
  RETURN_IF_ERROR(
      checker.Array(kFactRecords, std::string_view::npos, &views->facts));
  const size_t fact_count = views->facts.size();
  if (fact_count >= UINT32_MAX) {
    return Invalid(checker.Where(kFactRecords, 0), ": too many facts");
  }
  RETURN_IF_ERROR(checker.Offsets(kResourceFactBegins, resource_count + 1,
                                  fact_count, &views->resource_fact_begins));
  StringTableView path_texts{checker.Bytes(kFactPathBytes)};
  RETURN_IF_ERROR(checker.Offsets(kFactPathOffsets, std::string_view::npos,
                                  path_texts.bytes.size(),
                                  &path_texts.offsets));
  indexes->paths.resize(path_texts.size());
  for (uint32_t p = 0; p < path_texts.size(); ++p) {
    RETURN_IF_ERROR(
        ResolveStoredPath(checker, p, path_texts, &indexes->paths[p]));
  }
  for (uint32_t r = 0; r < resource_count; ++r) {
    for (FactIndex i = views->resource_fact_begins[r];
         i < views->resource_fact_begins[r + 1]; ++i) {
      const FactRecord& record = views->facts[i];
      if (record.resource != r || record.path >= indexes->paths.size()) {
        return Invalid(checker.Where(kFactRecords, sizeof(FactRecord) * i),
                       ": fact ", i, " (resource ", record.resource, ", path ",
                       record.path, ") is not a fact of resource ", r,
                       " with one of the ", indexes->paths.size(), " paths");
      }
    }
  }
  indexes->all_facts.resize(fact_count);
  std::iota(indexes->all_facts.begin(), indexes->all_facts.end(), 0);

  // Covering citations (their bits: CheckStoredResource).
  RETURN_IF_ERROR(checker.Array(kCoveringCitations, fact_count,
                                &views->covering_citations));

  // Facts by predicate, object and document; links.
  RETURN_IF_ERROR(checker.Keys(kPredicateKeyBytes, &views->predicates));
  RETURN_IF_ERROR(checker.Lists(kFactsByPredicateBegins,
                                views->predicates.size(), fact_count,
                                &views->facts_by_predicate));
  RETURN_IF_ERROR(checker.Keys(kObjectKeyBytes, &views->object_keys));
  RETURN_IF_ERROR(checker.Lists(kFactsByObjectBegins, views->object_keys.size(),
                                fact_count, &views->facts_by_object));
  RETURN_IF_ERROR(checker.Keys(kDocumentKeyBytes, &views->documents));
  RETURN_IF_ERROR(checker.Lists(kFactsByDocumentBegins, views->documents.size(),
                                fact_count, &views->facts_by_document));
  RETURN_IF_ERROR(checker.Lists(kLinksToBegins, views->object_keys.size(),
                                fact_count, &views->links_to));
  RETURN_IF_ERROR(checker.Array(kLinks, std::string_view::npos, &views->links));
  RETURN_IF_ERROR(checker.Below(kLinks, views->links, fact_count, true));
  RETURN_IF_ERROR(checker.Offsets(kLinksFromBegins, resource_count + 1,
                                  views->links.size(),
                                  &views->links_from_begins));
  for (uint32_t r = 0; r < resource_count; ++r) {
    for (uint32_t l = views->links_from_begins[r];
         l < views->links_from_begins[r + 1]; ++l) {
      if (views->links[l] < views->resource_fact_begins[r] ||
          views->links[l] >= views->resource_fact_begins[r + 1]) {
        return Invalid(checker.Where(kLinks, 4 * size_t{l}), ": link ", l,
                       " (fact ", views->links[l],
                       ") is not a fact of resource ", r);
      }
    }
  }

  // The name index (its entries: OpenStoredNameEntries).
  RETURN_IF_ERROR(checker.Keys(kNameTokenKeyBytes, &views->name_tokens));
  absl::Span<const StoredNameEntry> stored_names;
  RETURN_IF_ERROR(
      checker.Array(kNameEntries, std::string_view::npos, &stored_names));
  RETURN_IF_ERROR(checker.Lists(kNamesByTokenBegins, views->name_tokens.size(),
                                stored_names.size(), &views->names_by_token));
  return absl::OkStatus();
}

absl::Status CheckStoredResource(
    absl::Span<const Snapshot::StoredSection> sections, uint32_t r,
    const Message& resource, const StoreIndexes& indexes,
    const StoreIndexViews& views) {
  // Where-strings are made only on error: this runs once per resource.
  if (views.resource_names.keys[r] != NameOf(resource)) {
    const SectionChecker checker(sections);
    return Invalid(checker.Where(kResourceNameKeyBytes,
                                 views.resource_names.keys.offsets[r]),
                   ": key ", r, " is not the name of resource ", r);
  }
  const Descriptor* type = resource.GetDescriptor();
  const FieldDescriptor* citations = FieldsOf(type).citations;
  const int count = citations == nullptr ? 0
                                         : resource.GetReflection()->FieldSize(
                                               resource, citations);
  const uint32_t allowed =
      count > kMaxMaskedCitations
          ? kCoveringNotMasked
          : static_cast<uint32_t>((uint64_t{1} << count) - 1);
  for (FactIndex i = views.resource_fact_begins[r];
       i < views.resource_fact_begins[r + 1]; ++i) {
    const FieldPath& path = indexes.paths[views.facts[i].path].path;
    if (path.steps.front().field->containing_type() != type ||
        !CheckIndexesInRange(resource, path.steps).ok()) {
      const SectionChecker checker(sections);
      return Invalid(checker.Where(kFactRecords, sizeof(FactRecord) * i),
                     ": fact ", i, " has path \"", path.text,
                     "\", which resource ", r, " does not have");
    }
    const uint32_t mask = views.covering_citations[i];
    if (count > kMaxMaskedCitations ? mask != kCoveringNotMasked
                                    : (mask & ~allowed) != 0) {
      const SectionChecker checker(sections);
      return Invalid(checker.Where(kCoveringCitations, 4 * size_t{i}),
                     ": fact ", i, " has mask ", mask, ", its resource ", count,
                     " citations");
    }
  }
  return absl::OkStatus();
}

absl::Status OpenStoredNameEntries(
    absl::Span<const Snapshot::StoredSection> sections,
    absl::FunctionRef<std::string_view(uint32_t)> wire_bytes_of,
    absl::FunctionRef<const Message&(uint32_t)> stand_in_of,
    const StoreIndexViews& views, StoreIndexes* indexes) {
  const SectionChecker checker(sections);
  const StringTableView& names = views.resource_names.keys;
  const size_t resource_count = names.size();
  const std::string_view normalized = checker.Bytes(kNormalizedNameBytes);
  absl::Span<const StoredNameEntry> stored_names;
  RETURN_IF_ERROR(
      checker.Array(kNameEntries, std::string_view::npos, &stored_names));
  indexes->names.resize(stored_names.size());
  for (size_t e = 0; e < stored_names.size(); ++e) {
    const StoredNameEntry& stored = stored_names[e];
    // Entries are in text order, their resources anywhere: fetching a later
    // entry's resource now hides most of the cache misses.
    constexpr size_t kPrefetchDistance = 16;
    if (e + kPrefetchDistance < stored_names.size() &&
        stored_names[e + kPrefetchDistance].resource < resource_count) {
      __builtin_prefetch(
          wire_bytes_of(stored_names[e + kPrefetchDistance].resource).data());
    }
    const auto where = [&] { return checker.Where(kNameEntries, 16 * e); };
    if (stored.resource >= resource_count ||
        stored.normalized_begin > normalized.size() ||
        stored.normalized_size > normalized.size() - stored.normalized_begin) {
      return Invalid(where(), ": entry ", e, " is out of range");
    }
    const Message& stand_in = stand_in_of(stored.resource);
    const ResourceFields& fields = FieldsOf(stand_in.GetDescriptor());
    const std::string_view wire = wire_bytes_of(stored.resource);
    std::optional<std::string_view> text;
    if (stored.alias < 0) {
      if (fields.display_name == nullptr || stored.alias != -1) {
        return Invalid(where(), ": entry ", e, " names no display name");
      }
      // Absent from the bytes when empty (proto3).
      text = StoredStringField(wire, fields.display_name->number(), -1)
                 .value_or(std::string_view());
    } else {
      if (fields.aliases != nullptr) {
        text = StoredStringField(wire, fields.aliases->number(), stored.alias);
      }
      if (!text.has_value()) {
        return Invalid(where(), ": entry ", e, " names alias ", stored.alias,
                       ", which its resource does not have");
      }
    }
    indexes->names[e] = NameEntry{
        &stand_in, names[stored.resource], *text,
        normalized.substr(stored.normalized_begin, stored.normalized_size),
        stored.alias < 0};
  }
  return absl::OkStatus();
}

void FindIntegrityProblems(const StoreIndexViews& views,
                           absl::Span<const InternedPath> paths,
                           std::vector<std::string>* problems) {
  const StringTableView& names = views.resource_names.keys;
  for (uint32_t r = 1;
       r < names.size() && problems->size() < kMaxIntegrityProblems; ++r) {
    if (names[r] == names[r - 1]) {
      problems->push_back(
          absl::StrCat("duplicate name \"", std::string(names[r]), "\""));
    }
  }
  // References to unknown entities, in link (fact) order, as the builder
  // reports them: each target looked up once.
  std::vector<std::pair<FactIndex, uint32_t>> dangling;
  for (uint32_t k = 0; k + 1 < views.links_to.begins.size(); ++k) {
    const absl::Span<const uint32_t> links = views.links_to.List(k);
    if (links.empty() || views.resource_names.Find(views.object_keys.keys[k]) !=
                             KeyTable::kNotFound) {
      continue;
    }
    for (uint32_t fact : links) dangling.emplace_back(fact, k);
  }
  std::sort(dangling.begin(), dangling.end());
  for (const auto& [fact, key] : dangling) {
    if (problems->size() >= kMaxIntegrityProblems) break;
    problems->push_back(
        absl::StrCat(std::string(names[views.facts[fact].resource]), " ",
                     paths[views.facts[fact].path].path.text,
                     ": reference to unknown entity \"",
                     std::string(views.object_keys.keys[key]), "\""));
  }
}

}  // namespace factgraph::store
