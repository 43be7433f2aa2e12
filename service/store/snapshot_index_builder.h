// Builds a snapshot's indexes (store_indexes.h) over its resources: one
// function per index, each writing arrays already in the shape a compiled
// snapshot would store them in. Snapshot calls BuildStoreIndexes and then
// only reads the result; docs/design.md "Building and reading the indexes".
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_INDEX_BUILDER_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_INDEX_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "service/store/store_indexes.h"

namespace factgraph::store {

// What the index functions take: every resource of a knowledge base, ordered
// by name, and where to report what makes it unfit to serve (duplicate names,
// references to unknown entities; at most kMaxIntegrityProblems in all).
using Resources = absl::Span<const google::protobuf::Message* const>;
inline constexpr size_t kMaxIntegrityProblems = 20;

// Fills `*indexes` (default-constructed, and never moved afterwards: its
// views point into itself) with every index over `resources`; the name index
// on a second thread beside the fact indexes.
void BuildStoreIndexes(Resources resources, StoreIndexes* indexes,
                       std::vector<std::string>* integrity_problems);

// The index functions, in an order that works: each reads only what those
// before it wrote (the name index needs only the resource table).
void BuildResourceTable(Resources resources, StoreIndexes* indexes,
                        std::vector<std::string>* integrity_problems);
void BuildFactRecords(Resources resources, StoreIndexes* indexes);
void BuildCoveringCitations(Resources resources, StoreIndexes* indexes);
void BuildFactsByPredicate(StoreIndexes* indexes);
// Returns each fact's object key id (in indexes->object_keys), which
// BuildLinks groups the links by.
std::vector<uint32_t> BuildFactsByObject(Resources resources,
                                         StoreIndexes* indexes);
void BuildFactsByDocument(Resources resources, StoreIndexes* indexes);
void BuildLinks(absl::Span<const uint32_t> fact_objects, StoreIndexes* indexes,
                std::vector<std::string>* integrity_problems);
void BuildNameIndex(Resources resources, StoreIndexes* indexes);

// `path` with what reading its facts needs (InternedPath).
InternedPath ResolvePath(FieldPath path);

// Writes a KeyTable key by key.
class KeyTableWriter {
 public:
  // `expected_keys` sizes the slots so that they need not grow.
  explicit KeyTableWriter(size_t expected_keys = 0);
  // The id of `key`, which gets the next id if it is new.
  uint32_t Intern(std::string_view key);
  // Gives `key` the next id even if it is there already (Find then keeps
  // answering the first id); returns whether it was new.
  bool Add(std::string_view key);
  size_t size() const { return table_.keys.size(); }
  KeyTable Finish() &&;

 private:
  // The slot holding `key` (hashed to `hash`), or the empty slot where it
  // would go.
  KeyTable::Slot& SlotFor(std::string_view key, uint32_t hash);
  uint32_t Append(std::string_view key, uint32_t hash, KeyTable::Slot* slot);
  void Grow();

  KeyTable table_;
  size_t occupied_ = 0;
};

// Item i, with value values[i] (or i when `values` is empty), goes to the
// list of key groups[i] < key_count; each list keeps the items' order.
PostingLists BuildPostingLists(size_t key_count,
                               absl::Span<const uint32_t> groups,
                               absl::Span<const uint32_t> values);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_INDEX_BUILDER_H_
