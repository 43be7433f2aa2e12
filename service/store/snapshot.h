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

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/macros.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "factgraph/v1/fact.pb.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message.h"
#include "service/store/collections.h"
#include "service/store/store_indexes.h"

namespace factgraph::store {

class SnapshotFileReader;

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

  // An index section of a compiled snapshot file, in kind order.
  struct StoredSection {
    uint32_t kind = 0;
    std::string_view bytes;
    uint64_t file_offset = 0;  // For error messages.
  };
  // Opens the verified compiled snapshot file `file`, whose bytes `backing`
  // keeps alive (e.g. the file's mapping), with the id the file records.
  // The resources are not kept parsed: each is parsed from its stored bytes
  // on first access (docs/snapshot-format.md "Mapping and retention"). The
  // load still parses every resource once, to validate it and the store
  // index sections against it, and drops what it parsed. INVALID_ARGUMENT
  // naming the section and file offset (the caller adds the path) for a
  // resource that does not parse, is misnamed or is out of its collection,
  // or for store index sections inconsistent with the resources.
  static absl::StatusOr<std::shared_ptr<const Snapshot>> OpenCompiled(
      const SnapshotFileReader& file, std::shared_ptr<const void> backing,
      std::string source, absl::Time load_time);

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

  // Content-derived id: hex of a SHA-256 over the deterministic
  // serialisation of the knowledge base, first 16 bytes (32 hex digits).
  const std::string& id() const { return id_; }
  absl::Time load_time() const { return load_time_; }
  const std::string& source() const { return source_; }
  // The whole knowledge base, each collection in name order, holding the
  // snapshot's own resources. For a compiled file it is assembled on the
  // first call, which parses every resource (and keeps them): for tests and
  // tools; the server reads resources one by one.
  const v1::KnowledgeBase& knowledge_base() const;

  // The resource with this name, or nullptr. O(1), plus parsing it on its
  // first access (as for every accessor below that returns a message).
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
  // Asks the memory for the table entries ResourceNameAt(i) and
  // WireBytesAt(i) read (a cache miss each in a large snapshot), so that
  // reading them later does not wait: a search prefetches them for the hits
  // of its page together (docs/search.md, "Ranking cost").
  void PrefetchResourceEntries(size_t i) const {
    if (i >= resource_count_) return;
    __builtin_prefetch(wire_bytes_.data() + i);
    __builtin_prefetch(views_.resource_names.keys.offsets.data() + i);
  }
  // The position of the resource with this name, or nullopt. O(1).
  std::optional<size_t> ResourceIndex(std::string_view name) const;
  // The collection of the resource at position `i` (< resource_count()),
  // without touching the resource.
  const Collection& CollectionAt(size_t i) const;

  // The index section of this kind of the file the snapshot was loaded
  // from, or nullopt (none for seeds, or not written).
  std::optional<StoredSection> IndexSection(uint32_t kind) const;

  // The resources of one collection, ordered by name: a range whose
  // iterators (random access) yield const Message*, each resource parsed
  // when its element is read, not before.
  class ResourceRange {
   public:
    class iterator {
     public:
      using iterator_category = std::random_access_iterator_tag;
      using value_type = const google::protobuf::Message*;
      using difference_type = std::ptrdiff_t;
      using pointer = void;
      using reference = const google::protobuf::Message*;

      iterator() = default;
      reference operator*() const { return &snapshot_->ResourceAt(i_); }
      reference operator[](difference_type n) const { return *(*this + n); }
      iterator& operator++() {
        ++i_;
        return *this;
      }
      iterator operator++(int) {
        iterator old = *this;
        ++i_;
        return old;
      }
      iterator& operator--() {
        --i_;
        return *this;
      }
      iterator operator--(int) {
        iterator old = *this;
        --i_;
        return old;
      }
      iterator& operator+=(difference_type n) {
        i_ += n;
        return *this;
      }
      iterator& operator-=(difference_type n) {
        i_ -= n;
        return *this;
      }
      friend iterator operator+(iterator it, difference_type n) {
        return it += n;
      }
      friend iterator operator+(difference_type n, iterator it) {
        return it += n;
      }
      friend iterator operator-(iterator it, difference_type n) {
        return it -= n;
      }
      friend difference_type operator-(const iterator& a, const iterator& b) {
        return static_cast<difference_type>(a.i_) -
               static_cast<difference_type>(b.i_);
      }
      friend bool operator==(const iterator& a, const iterator& b) {
        return a.i_ == b.i_;
      }
      friend bool operator!=(const iterator& a, const iterator& b) {
        return a.i_ != b.i_;
      }
      friend bool operator<(const iterator& a, const iterator& b) {
        return a.i_ < b.i_;
      }

     private:
      friend class ResourceRange;
      iterator(const Snapshot* snapshot, size_t i)
          : snapshot_(snapshot), i_(i) {}
      const Snapshot* snapshot_ = nullptr;
      size_t i_ = 0;
    };

    ResourceRange() = default;
    iterator begin() const { return iterator(snapshot_, begin_); }
    iterator end() const { return iterator(snapshot_, end_); }
    size_t size() const { return end_ - begin_; }
    bool empty() const { return begin_ == end_; }
    const google::protobuf::Message* operator[](size_t i) const {
      return begin()[static_cast<std::ptrdiff_t>(i)];
    }
    // Position of the first resource in the snapshot's name order.
    size_t first_index() const { return begin_; }

   private:
    friend class Snapshot;
    ResourceRange(const Snapshot* snapshot, size_t begin, size_t end)
        : snapshot_(snapshot), begin_(begin), end_(end) {}
    const Snapshot* snapshot_ = nullptr;
    size_t begin_ = 0;
    size_t end_ = 0;
  };
  ResourceRange Resources(const Collection& collection) const;

  // Number of resources over all collections.
  size_t resource_count() const { return resource_count_; }

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

  // Sorts the collections of kb_ (a seeds snapshot's).
  void SortCollections();
  // Orders kb_'s resources by name, fills their slots, serialises their
  // wire bytes and builds every index.
  void IndexAll();
  // Sets collection_ranges_ from each resource's position in name order:
  // false when a collection's resources are not contiguous.
  bool SetCollectionRanges(absl::Span<const uint32_t> collection_of);
  // Parses resource `i` from its wire bytes into lazy_arena_ and publishes
  // it in its slot, unless another thread did first; returns the slot's.
  const google::protobuf::Message& ParseResource(size_t i) const;
  // The position of the resource named `name`, or KeyTable::kNotFound.
  uint32_t FindEntry(std::string_view name) const {
    return views_.resource_names.Find(name);
  }
  // The record of fact `index`, whose bounds (and its record's) are
  // asserted.
  const FactRecord& Record(FactIndex index) const {
    ABSL_HARDENING_ASSERT(index < views_.facts.size());
    const FactRecord& record = views_.facts[index];
    ABSL_HARDENING_ASSERT(record.resource < resource_count_ &&
                          record.path < indexes_.paths.size());
    return record;
  }

  // What the stored wire bytes point into (a compiled file's mapping), kept
  // alive as long as the snapshot (docs/snapshot-format.md "Mapping and
  // retention"). Declared first, destroyed last.
  std::shared_ptr<const void> backing_;
  // The file's index sections, verified for bounds and checksums only:
  // their content is the business of the layer that owns their kind, which
  // validates it before use.
  std::vector<StoredSection> index_sections_;
  // The resources' wire bytes when no file holds them (seeds).
  std::string owned_wire_bytes_;
  // A seeds snapshot's knowledge base (whose messages fill every slot at
  // build time), or a compiled snapshot's as knowledge_base() assembles it
  // on lazy_arena_.
  std::unique_ptr<v1::KnowledgeBase> owned_kb_;
  mutable absl::once_flag kb_once_;
  mutable const v1::KnowledgeBase* kb_ = nullptr;
  // Where resources parsed on first access live (thread-safe allocation),
  // as long as the snapshot.
  mutable google::protobuf::Arena lazy_arena_;
  std::string id_;
  std::string source_;
  absl::Time load_time_;

  // All resources, ordered by name (so collections are contiguous): one
  // slot each, null until the resource is first parsed, and their wire
  // bytes.
  size_t resource_count_ = 0;
  std::unique_ptr<std::atomic<const google::protobuf::Message*>[]> parsed_;
  std::vector<std::string_view> wire_bytes_;
  // Per collection (AllCollections() order): its range of positions.
  std::vector<std::pair<uint32_t, uint32_t>> collection_ranges_;

  // What Snapshot reads: views over indexes_ (built) or over the file's
  // store index sections (docs/snapshot-format.md "Store index sections"),
  // beside the parts of indexes_ that are never file-shaped (paths, name
  // entries) or cheap to make (all_facts).
  StoreIndexes indexes_;
  StoreIndexViews views_;
  std::vector<std::string> integrity_problems_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_H_
