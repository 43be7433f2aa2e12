// An immutable, fully indexed version of the knowledge base. Built once by the
// loader (or read from a compiled snapshot file) and then only read, from any
// number of threads, through a std::shared_ptr<const Snapshot>.
//
// Memory matters (a snapshot of a million entities must stay within a few
// times its file size), so facts are not stored as v1::Fact messages: each is
// a small record (resource, interned path) and v1::Fact is materialised on
// demand by GetFact(). All string keys of the indexes are views into the
// knowledge base, which the snapshot owns and never changes.
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_set.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "factgraph/v1/fact.pb.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message.h"
#include "service/store/collections.h"
#include "service/store/fact_path.h"

namespace factgraph::store {

// Position of a fact in the snapshot's fact list, 0 .. fact_count()-1.
using FactIndex = uint32_t;

// A name or alias of a resource, for SearchEntities.
struct NameEntry {
  const google::protobuf::Message* resource;
  // The resource's name, a view into the knowledge base.
  std::string_view resource_name;
  // As written; a view into the snapshot's knowledge base.
  std::string_view text;
  // NormalizeForSearch(text); a view into the snapshot.
  std::string_view normalized;
  // True for display_name, false for an alias.
  bool is_display_name;
};

class Snapshot {
 public:
  // Builds the indexes over a validated knowledge base. `kb` must have every
  // output-only field filled (the loader does that); `source` says where it
  // came from. Each collection is sorted by name. The id is derived from the
  // content of `kb` alone.
  static std::shared_ptr<const Snapshot> Build(v1::KnowledgeBase kb,
                                               std::string source,
                                               absl::Time load_time);

  // As above for a knowledge base allocated on `arena` (which the snapshot
  // takes over). When `precomputed_id` is non-empty and `kb` is already
  // sorted, it is used as the id instead of hashing `kb` again; the caller
  // guarantees it is the hash of kb's deterministic serialisation.
  // `stored` gives the resources' wire bytes as they lie in a file; without
  // it (or when `kb` was not sorted) they are serialised here.
  // An index section of a compiled snapshot file, in kind order.
  struct StoredSection {
    uint32_t kind = 0;
    std::string_view bytes;
    uint64_t file_offset = 0;  // For error messages.
  };
  struct StoredBytes {
    // What the views point into (e.g. the file's mapping), kept alive as
    // long as the snapshot.
    std::shared_ptr<const void> backing;
    // One per resource of `kb`, in KnowledgeBase order: collection by
    // collection in field order, each in its repeated field's order. Each
    // is the deterministic serialisation of that resource.
    std::vector<std::string_view> resources;
    // The file's index sections (docs/snapshot-format.md "Index sections"),
    // verified for bounds and checksums only: their content is the business
    // of the layer that owns their kind, which validates it before use.
    std::vector<StoredSection> index_sections;
  };
  static std::shared_ptr<const Snapshot> BuildOnArena(
      std::unique_ptr<google::protobuf::Arena> arena, v1::KnowledgeBase* kb,
      std::string source, absl::Time load_time, std::string precomputed_id = "",
      StoredBytes stored = {});

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

  // Content-derived id: hex of a SHA-256 over the deterministic
  // serialisation of the knowledge base, first 16 bytes (32 hex digits).
  const std::string& id() const { return id_; }
  absl::Time load_time() const { return load_time_; }
  const std::string& source() const { return source_; }
  const v1::KnowledgeBase& knowledge_base() const { return *kb_; }

  // The resource with this name, or nullptr. O(1).
  const google::protobuf::Message* Find(std::string_view name) const;

  // The wire bytes of `resource`, a resource of this snapshot: its
  // deterministic serialisation, which is what serialising it would give,
  // stored once (in the file's mapping for a compiled snapshot). Valid while
  // the snapshot lives. Empty for a message that is not one of its
  // resources.
  std::string_view WireBytes(const google::protobuf::Message& resource) const;

  // Resource `i` (< resource_count()) in name order, its name and its wire
  // bytes: the position is the resource's index in the file's tables.
  const google::protobuf::Message& ResourceAt(size_t i) const;
  std::string_view ResourceNameAt(size_t i) const;
  std::string_view WireBytesAt(size_t i) const;
  // The position of the resource with this name, or nullopt. O(1).
  std::optional<size_t> ResourceIndex(std::string_view name) const;

  // The index section of this kind of the file the snapshot was loaded
  // from, or nullopt (none for seeds, or not written).
  std::optional<StoredSection> IndexSection(uint32_t kind) const;

  // All resources of a collection, ordered by name.
  absl::Span<const google::protobuf::Message* const> Resources(
      const Collection& collection) const;

  // Number of resources over all collections.
  size_t resource_count() const { return by_name_.size(); }

  // The fact view: every set field of every resource (see facts.h), ordered
  // by subject, then by field declaration order and element index.
  size_t fact_count() const { return facts_.size(); }
  // The fact, with its covering citations. `index` < fact_count() (asserted
  // in hardened and debug builds, as by every accessor below).
  v1::Fact GetFact(FactIndex index) const;
  // The same fact written over `*fact`, every field of which it sets. A
  // message reused for many facts keeps the storage of its strings and
  // citations, so that materialising into it allocates nothing once it has
  // held a fact as large (QueryFacts reuses its batch's facts this way).
  void GetFact(FactIndex index, v1::Fact* fact) const;
  // Cheap accessors that do not materialise the fact.
  const google::protobuf::Message& FactResource(FactIndex index) const;
  std::string_view FactSubject(FactIndex index) const;
  std::string_view FactPredicate(FactIndex index) const;
  std::string_view FactPath(FactIndex index) const;
  // ObjectKey(GetFact(index).object()) (see facts.h).
  std::string FactObjectKey(FactIndex index) const;
  // The same key without copying it: a view into the knowledge base, or,
  // for keys that are computed (numbers, dates, amounts), into `*scratch`,
  // which it overwrites. Valid while both live and `*scratch` is unchanged.
  std::string_view FactObjectKey(FactIndex index, std::string* scratch) const;

  // Indexes into the facts, each list in fact order. Unknown keys give an
  // empty span.
  absl::Span<const FactIndex> FactsBySubject(std::string_view subject) const;
  absl::Span<const FactIndex> FactsByPredicate(
      std::string_view predicate) const;
  // Object key: the target name for references; else the value as text (see
  // ObjectKey in facts.h).
  absl::Span<const FactIndex> FactsByObject(std::string_view object_key) const;
  // Facts with at least one citation of this document.
  absl::Span<const FactIndex> FactsByDocument(std::string_view document) const;

  // Facts whose object is a reference (the graph's edges), by subject and by
  // target: the outgoing and incoming links of an entity.
  absl::Span<const FactIndex> LinksFrom(std::string_view name) const;
  absl::Span<const FactIndex> LinksTo(std::string_view name) const;

  // What makes this knowledge base unfit to serve although it could be
  // indexed: duplicate names and references to unknown entities, one
  // message each (at most 20). Empty for anything the loader accepted.
  const std::vector<std::string>& integrity_problems() const {
    return integrity_problems_;
  }

  // The name index for search: the display_name and every alias of every
  // resource, ordered by `normalized` (then by resource name).
  absl::Span<const NameEntry> NameEntries() const { return names_; }
  // Positions in NameEntries() of the entries whose normalized text contains
  // `normalized_token` as a whole space-separated token, ascending.
  absl::Span<const uint32_t> NameEntriesWithToken(
      std::string_view normalized_token) const;

 private:
  Snapshot() = default;

  // A list of uint32 values per key, stored as one flat array.
  class PostingIndex {
   public:
    // Item i, with value values[i] (or i when `values` is empty), belongs
    // to group groups[i], whose key is keys[groups[i]]. Each key's list
    // keeps the items' order. Groups are dense ids so that building hashes
    // each key once, not once per item.
    void Build(absl::Span<const std::string_view> keys,
               absl::Span<const uint32_t> groups,
               absl::Span<const uint32_t> values);
    absl::Span<const uint32_t> Lookup(std::string_view key) const;

   private:
    // Key -> (first position in values_, count).
    absl::flat_hash_map<std::string_view, std::pair<uint32_t, uint32_t>>
        ranges_;
    std::vector<uint32_t> values_;
  };

  struct ResourceEntry {
    std::string_view name;
    const google::protobuf::Message* message;
    std::string_view wire_bytes;
    FactIndex first_fact;
    FactIndex end_fact;
  };
  struct FactRecord {
    uint32_t resource;  // Index into resources_.
    uint32_t path;      // Index into paths_.
  };

  // What reading the facts of one interned path needs, resolved once when
  // the snapshot is built: Message::GetReflection() and GetDescriptor() go
  // through a call_once and a thread-local access on every call, which cost
  // as much as the rest of reading a fact.
  struct PathAccess {
    // reflections[i] is that of the message holding steps[i].field.
    std::vector<const google::protobuf::Reflection*> reflections;
    // Of the resource type; nullptr if it has none.
    const google::protobuf::FieldDescriptor* display_name = nullptr;
    const google::protobuf::FieldDescriptor* citations = nullptr;
  };

  // Sorts the collections (returning whether they already were) and builds
  // every index.
  bool SortCollections();
  // Builds the indexes; the name index on a second thread.
  void IndexAll();
  void IndexResources();
  // Sets every ResourceEntry::wire_bytes: from stored_.resources when they
  // match the knowledge base, else serialised into owned_wire_bytes_.
  // `kb_order` is each entry's position in KnowledgeBase order.
  void AttachWireBytes(const std::vector<uint32_t>& kb_order);
  void IndexFacts();
  void IndexNames();
  // Interns a fact path; returns its index in paths_.
  uint32_t InternPath(absl::Span<const PathStep> steps);
  // Fills path_access_ once paths_ is complete (IndexFacts calls it before
  // it reads any fact's object).
  void ResolvePathAccess();
  // The message holding the leaf field of a fact, through path_access_.
  const google::protobuf::Message& FactLeafParent(
      const FactRecord& record) const;
  // The object key of a fact as a view that stays valid while the snapshot
  // lives (computed keys are kept in computed_keys_).
  std::string_view ObjectKeyView(FactIndex index);

  // The resources' wire bytes as they lie in a compiled file, and the
  // mapping that holds them (docs/snapshot-format.md "Mapping and
  // retention"). Declared first, destroyed last.
  StoredBytes stored_;
  // The resources' wire bytes when no file holds them (seeds).
  std::string owned_wire_bytes_;
  std::unique_ptr<google::protobuf::Arena> arena_;
  std::unique_ptr<v1::KnowledgeBase> owned_kb_;
  v1::KnowledgeBase* kb_ = nullptr;
  std::string id_;
  std::string source_;
  absl::Time load_time_;

  // All resources, ordered by name (so collections are contiguous).
  std::vector<ResourceEntry> resources_;
  absl::flat_hash_map<std::string_view, uint32_t> by_name_;
  // Per collection (AllCollections() order): resource messages by name.
  std::vector<std::vector<const google::protobuf::Message*>> by_collection_;

  std::vector<FieldPath> paths_;
  std::vector<PathAccess> path_access_;  // Parallel to paths_.
  // Key: each step's field pointer and index, as bytes (field descriptors are
  // unique per message type, so the steps identify the type too).
  absl::flat_hash_map<std::string, uint32_t> path_ids_;
  std::vector<FactRecord> facts_;
  // Per fact, which of its resource's citations cover it: bit c for
  // citation c, so that reading a fact does not match citation paths again
  // (PathCovers over every citation path on every read cost as much as
  // copying the citations). A resource with more than kMaxMaskedCitations
  // citations has kCoveringNotMasked set and is matched on reading.
  static constexpr int kMaxMaskedCitations = 31;
  static constexpr uint32_t kCoveringNotMasked = uint32_t{1} << 31;
  std::vector<uint32_t> covering_citations_;
  std::vector<FactIndex> all_fact_indexes_;  // 0..n-1, for subject spans.
  // Storage for object keys that are not views into the knowledge base
  // (numbers, dates, amounts); nodes keep their addresses stable.
  absl::node_hash_set<std::string> computed_keys_;
  PostingIndex facts_by_predicate_;
  PostingIndex facts_by_object_;
  PostingIndex facts_by_document_;
  PostingIndex links_to_;
  std::vector<FactIndex> links_;  // Link facts in fact order.
  std::vector<std::pair<uint32_t, uint32_t>>
      links_from_range_;  // Per resource.

  std::vector<std::string> integrity_problems_;
  // Every NameEntry::normalized, concatenated.
  std::string normalized_names_;
  std::vector<NameEntry> names_;
  PostingIndex names_by_token_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_
