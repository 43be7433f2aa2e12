// An immutable, fully indexed version of the knowledge base. Built once by the
// loader (or read from a compiled snapshot file) and then only read, from any
// number of threads, through a std::shared_ptr<const Snapshot>.
//
// Memory matters (a snapshot of a million entities must stay within a few
// times its file size), so facts are not stored as v1::Fact messages: each is
// a small record (resource, interned path) and v1::Fact is materialised on
// demand by GetFact(). The indexes are built by snapshot_index_builder.h into
// flat arrays (store_indexes.h), which the snapshot only reads.
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/macros.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "factgraph/v1/fact.pb.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message.h"
#include "service/store/collections.h"
#include "service/store/store_indexes.h"

namespace factgraph::store {

class Snapshot {
 public:
  // The store indexes as views, for writing them as sections
  // (store_index_sections.h), and the interned paths and name entries.
  const StoreIndexViews& store_index_views() const { return views_; }
  absl::Span<const InternedPath> interned_paths() const {
    return indexes_.paths;
  }

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

  // Why the store index sections of the file it was loaded from were
  // refused (INVALID_ARGUMENT naming the section and file offset), or OK;
  // the loader refuses such a snapshot.
  const absl::Status& stored_index_status() const {
    return stored_index_status_;
  }

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
  size_t resource_count() const { return resources_.size(); }

  // The fact view: every set field of every resource (see facts.h), ordered
  // by subject, then by field declaration order and element index.
  size_t fact_count() const { return views_.facts.size(); }
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
  absl::Span<const NameEntry> NameEntries() const { return indexes_.names; }
  // Positions in NameEntries() of the entries whose normalized text contains
  // `normalized_token` as a whole space-separated token, ascending.
  absl::Span<const uint32_t> NameEntriesWithToken(
      std::string_view normalized_token) const;

 private:
  Snapshot() = default;

  // Sorts the collections (returning whether they already were).
  bool SortCollections();
  // Orders the resources by name, attaches their wire bytes and builds every
  // index.
  void IndexAll();
  // Sets wire_bytes_: from stored_.resources when they match the knowledge
  // base, else serialised into owned_wire_bytes_. `kb_order` is each
  // resource's position in KnowledgeBase order.
  void AttachWireBytes(const std::vector<uint32_t>& kb_order);
  // The position of the resource named `name`, or KeyTable::kNotFound.
  uint32_t FindEntry(std::string_view name) const {
    return views_.resource_names.Find(name);
  }
  // The record of fact `index`, whose bounds (and its record's) are
  // asserted.
  const FactRecord& Record(FactIndex index) const {
    ABSL_HARDENING_ASSERT(index < views_.facts.size());
    const FactRecord& record = views_.facts[index];
    ABSL_HARDENING_ASSERT(record.resource < resources_.size() &&
                          record.path < indexes_.paths.size());
    return record;
  }

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

  // All resources, ordered by name (so collections are contiguous), and
  // their wire bytes.
  std::vector<const google::protobuf::Message*> resources_;
  std::vector<std::string_view> wire_bytes_;
  // Per collection (AllCollections() order): its range of resources_.
  std::vector<std::pair<uint32_t, uint32_t>> collection_ranges_;

  // What Snapshot reads: views over indexes_ (built) or over the file's
  // store index sections (docs/snapshot-format.md "Store index sections"),
  // beside the parts of indexes_ that are never file-shaped (paths, name
  // entries) or cheap to make (all_facts).
  StoreIndexes indexes_;
  StoreIndexViews views_;
  std::vector<std::string> integrity_problems_;
  absl::Status stored_index_status_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_
