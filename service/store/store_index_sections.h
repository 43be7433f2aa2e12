// The store's indexes as index sections of a compiled snapshot file (kinds
// 100..199, docs/snapshot-format.md "Store index sections"): written from a
// snapshot's indexes, and, when a file has them, validated in one linear
// pass and read in place instead of building the indexes.
#ifndef FACTGRAPH_SERVICE_STORE_STORE_INDEX_SECTIONS_H_
#define FACTGRAPH_SERVICE_STORE_STORE_INDEX_SECTIONS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_format.h"
#include "service/store/store_indexes.h"

namespace factgraph::store {

// The store index section kinds (docs/snapshot-format.md "Store index
// sections"), numbered from kStoreIndexKinds.first in this order.
enum StoreIndexSection : uint32_t {
  kResourceNameKeyBytes = snapshot_format::kStoreIndexKinds.first,
  kResourceNameKeyOffsets,
  kResourceNameSlots,
  kResourceFactBegins,
  kFactRecords,
  kFactPathBytes,
  kFactPathOffsets,
  kCoveringCitations,
  kPredicateKeyBytes,
  kPredicateKeyOffsets,
  kPredicateSlots,
  kFactsByPredicateBegins,
  kFactsByPredicateValues,
  kObjectKeyBytes,
  kObjectKeyOffsets,
  kObjectKeySlots,
  kFactsByObjectBegins,
  kFactsByObjectValues,
  kDocumentKeyBytes,
  kDocumentKeyOffsets,
  kDocumentSlots,
  kFactsByDocumentBegins,
  kFactsByDocumentValues,
  kLinksToBegins,
  kLinksToValues,
  kLinks,
  kLinksFromBegins,
  kNormalizedNameBytes,
  kNameEntries,
  kNameTokenKeyBytes,
  kNameTokenKeyOffsets,
  kNameTokenSlots,
  kNamesByTokenBegins,
  kNamesByTokenValues,
  kStoreIndexSectionEnd,
};
// "FACT_RECORDS" etc.; "UNKNOWN" for another kind.
const char* StoreIndexSectionName(uint32_t kind);

inline constexpr size_t kStoreIndexSectionCount =
    kStoreIndexSectionEnd - snapshot_format::kStoreIndexKinds.first;

// The store index sections of `snapshot`, handed to `out` in kind order
// straight from the snapshot's indexes (no copy of the large ones).
void WriteStoreIndexSections(const Snapshot& snapshot,
                             snapshot_format::SectionSink& out);

// Whether `sections` hold any store index section.
bool HasStoreIndexSections(absl::Span<const Snapshot::StoredSection> sections);

// Validates the store index sections among `sections` against `resources`
// (every resource in name order) and sets `*views` over them; fills what is
// not file-shaped into `*indexes` (paths, name entries, all_facts).
// INVALID_ARGUMENT naming the section and the file offset when a section is
// missing or inconsistent; nothing is read out of bounds either way.
absl::Status OpenStoreIndexSections(
    absl::Span<const Snapshot::StoredSection> sections,
    absl::Span<const google::protobuf::Message* const> resources,
    StoreIndexes* indexes, StoreIndexViews* views);

// Duplicate names and references to unknown entities, as BuildStoreIndexes
// reports them (at most kMaxIntegrityProblems), read from `views`.
void FindIntegrityProblems(const StoreIndexViews& views,
                           absl::Span<const InternedPath> paths,
                           std::vector<std::string>* problems);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_STORE_INDEX_SECTIONS_H_
