// The store's indexes over a snapshot, in the shape a compiled snapshot file
// would hold them as sections: fixed-width integer arrays, strings stored end
// to end with an offset table, and hash tables of fixed-width slots. Written
// by snapshot_index_builder.h, read (only) by Snapshot; docs/design.md
// "Building and reading the indexes".
#ifndef FACTGRAPH_SERVICE_STORE_STORE_INDEXES_H_
#define FACTGRAPH_SERVICE_STORE_STORE_INDEXES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/macros.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "service/store/fact_path.h"

namespace factgraph::store {

// Position of a fact in the snapshot's fact list, 0 .. fact_count()-1.
using FactIndex = uint32_t;

// A name or alias of a resource, for SearchEntities.
struct NameEntry {
  // The resource for a snapshot built in memory. A compiled file's snapshot
  // does not parse its resources at load (docs/snapshot-format.md "Mapping
  // and retention"): there it is the default instance of the resource's
  // type, which tells only the type; Snapshot::Find(resource_name) gives the
  // resource.
  const google::protobuf::Message* resource;
  // The resource's name, a view into the snapshot.
  std::string_view resource_name;
  // As written; a view into the snapshot's knowledge base, or into the
  // resource's stored wire bytes.
  std::string_view text;
  // NormalizeForSearch(text); a view into the snapshot.
  std::string_view normalized;
  // True for display_name, false for an alias.
  bool is_display_name;
};

// Strings numbered 0 .. size()-1, stored end to end: string i is
// bytes[offsets[i], offsets[i + 1]).
struct StringTable {
  std::string bytes;
  std::vector<uint32_t> offsets = {0};

  size_t size() const { return offsets.size() - 1; }
  std::string_view operator[](uint32_t i) const {
    ABSL_HARDENING_ASSERT(i < size());
    return std::string_view(bytes).substr(offsets[i],
                                          offsets[i + 1] - offsets[i]);
  }
};

// The id of each key of a StringTable: open addressing with linear probing
// over a power-of-two array of fixed-width slots, hashed with XXH3. A slot
// carries the key's place in the bytes, so that a lookup reads one slot (and
// its neighbours) and the key's bytes, nothing else.
struct KeyTable {
  static constexpr uint32_t kNotFound = UINT32_MAX;
  struct Slot {
    uint32_t hash;  // Hash32(key); which slot it starts probing from.
    uint32_t id;    // kNotFound for an empty slot.
    uint32_t key_begin;
    uint32_t key_size;
  };
  StringTable keys;
  // Capacity a power of two, never full.
  std::vector<Slot> slots;

  // The id of `key`, or kNotFound. Where keys repeat, the first one's id.
  uint32_t Find(std::string_view key) const;
  size_t size() const { return keys.size(); }
  static_assert(sizeof(Slot) == 16, "a slot is stored as 16 bytes");
  // The 32-bit hash of a key (the upper half of its XXH3-64).
  static uint32_t Hash32(std::string_view key);
};

// values[begins[k], begins[k + 1]), its bounds asserted; empty for
// KeyTable::kNotFound.
inline absl::Span<const uint32_t> RangeOf(absl::Span<const uint32_t> begins,
                                          absl::Span<const uint32_t> values,
                                          uint32_t k) {
  if (k == KeyTable::kNotFound) return {};
  ABSL_HARDENING_ASSERT(k + 1 < begins.size() && begins[k] <= begins[k + 1] &&
                        begins[k + 1] <= values.size());
  return values.subspan(begins[k], begins[k + 1] - begins[k]);
}

// The same tables as views (over a StoreIndexes or over the sections of a
// compiled snapshot file, store_index_sections.h): what Snapshot reads.
struct StringTableView {
  std::string_view bytes;
  absl::Span<const uint32_t> offsets = {};

  size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::string_view operator[](uint32_t i) const {
    ABSL_HARDENING_ASSERT(i < size() && offsets[i] <= offsets[i + 1] &&
                          offsets[i + 1] <= bytes.size());
    return bytes.substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

struct KeyTableView {
  StringTableView keys;
  absl::Span<const KeyTable::Slot> slots;

  // As KeyTable::Find.
  uint32_t Find(std::string_view key) const;
  size_t size() const { return keys.size(); }
};

// A list of uint32 values per key id: list k is
// values[begins[k], begins[k + 1]).
struct PostingLists {
  std::vector<uint32_t> begins = {0};
  std::vector<uint32_t> values;

  // The list of key `key`; empty for KeyTable::kNotFound.
  absl::Span<const uint32_t> List(uint32_t key) const {
    return RangeOf(begins, values, key);
  }
};

struct PostingListsView {
  absl::Span<const uint32_t> begins;
  absl::Span<const uint32_t> values;

  absl::Span<const uint32_t> List(uint32_t key) const {
    return RangeOf(begins, values, key);
  }
};

struct FactRecord {
  uint32_t resource;  // Position of the resource in name order.
  uint32_t path;      // Index into StoreIndexes::paths.
};
static_assert(sizeof(FactRecord) == 8, "a fact record is stored as 8 bytes");

// An interned fact path with what reading its facts needs, resolved once
// when the indexes are built: Message::GetReflection() and GetDescriptor()
// go through a call_once and a thread-local access on every call, which cost
// as much as the rest of reading a fact.
struct InternedPath {
  FieldPath path;
  // reflections[i] is that of the message holding path.steps[i].field.
  std::vector<const google::protobuf::Reflection*> reflections;
  // Of the resource type; nullptr if it has none.
  const google::protobuf::FieldDescriptor* display_name = nullptr;
  const google::protobuf::FieldDescriptor* citations = nullptr;
};

// The message holding the leaf field of the fact at `path` of `resource`.
const google::protobuf::Message& FactLeafParent(
    const google::protobuf::Message& resource, const InternedPath& path);
// ObjectKey of that fact's object (facts.h) as a view into `resource`, or,
// for keys that are computed (numbers, dates, amounts), into `*scratch`.
std::string_view FactObjectKeyOf(const google::protobuf::Message& resource,
                                 const InternedPath& path,
                                 std::string* scratch);

// Per fact, which of its resource's citations cover it: bit c for citation
// c. A resource with more than kMaxMaskedCitations citations has
// kCoveringNotMasked set and is matched on reading.
inline constexpr int kMaxMaskedCitations = 31;
inline constexpr uint32_t kCoveringNotMasked = uint32_t{1} << 31;

// Every index of a snapshot. Resources are numbered in name order, facts
// in fact order (by subject, then field declaration order and element
// index); every list is in ascending order.
struct StoreIndexes {
  // Resource table: key r is the name of resource r; a repeated name finds
  // its first resource. Resource r's facts are
  // [resource_fact_begins[r], resource_fact_begins[r + 1]).
  KeyTable resource_names;
  std::vector<FactIndex> resource_fact_begins = {0};

  // Fact records and interned paths.
  std::vector<FactRecord> facts;
  std::vector<InternedPath> paths;
  std::vector<FactIndex> all_facts;  // 0 .. n-1, for subject spans.

  // Covering citations, one mask per fact.
  std::vector<uint32_t> covering_citations;

  // Facts by predicate, by object key and by cited document; links (facts
  // whose object is a reference) by target, over the object keys.
  KeyTable predicates;
  PostingLists facts_by_predicate;
  KeyTable object_keys;
  PostingLists facts_by_object;
  KeyTable documents;
  PostingLists facts_by_document;
  PostingLists links_to;

  // Links from: the link facts in fact order; resource r's are
  // links[links_from_begins[r], links_from_begins[r + 1]).
  std::vector<FactIndex> links;
  std::vector<uint32_t> links_from_begins = {0};

  // The name index: every display_name and alias, ordered by normalised
  // text (then resource name); the entries holding each normalised token.
  std::string normalized_names;  // What NameEntry::normalized views.
  std::vector<NameEntry> names;
  KeyTable name_tokens;
  PostingLists names_by_token;
};

// The file-shaped part of StoreIndexes as views: over a built StoreIndexes
// (ViewsOf) or over a compiled snapshot's store index sections.
struct StoreIndexViews {
  KeyTableView resource_names;
  absl::Span<const FactIndex> resource_fact_begins;
  absl::Span<const FactRecord> facts;
  absl::Span<const uint32_t> covering_citations;
  KeyTableView predicates;
  PostingListsView facts_by_predicate;
  KeyTableView object_keys;
  PostingListsView facts_by_object;
  KeyTableView documents;
  PostingListsView facts_by_document;
  PostingListsView links_to;
  absl::Span<const FactIndex> links;
  absl::Span<const uint32_t> links_from_begins;
  KeyTableView name_tokens;
  PostingListsView names_by_token;
};

StringTableView ViewOf(const StringTable& table);
KeyTableView ViewOf(const KeyTable& table);
PostingListsView ViewOf(const PostingLists& lists);
StoreIndexViews ViewsOf(const StoreIndexes& indexes);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_STORE_INDEXES_H_
