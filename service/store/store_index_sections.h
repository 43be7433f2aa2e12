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

#include "absl/functional/function_ref.h"
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

// Opening a compiled file's store index sections takes three steps, so
// that the resources need not be kept parsed (docs/snapshot-format.md
// "Mapping and retention"): every check is INVALID_ARGUMENT naming the
// section and the file offset, and nothing is read out of bounds.
//
// 1. Validates the store index sections among `sections` for
// `resource_count` resources in name order, as far as the resources' content
// is not needed, and sets `*views` over them; fills what is not file-shaped
// into `*indexes` (paths, all_facts). INVALID_ARGUMENT too when a section is
// missing.
absl::Status OpenStoreIndexSections(
    absl::Span<const Snapshot::StoredSection> sections, size_t resource_count,
    StoreIndexes* indexes, StoreIndexViews* views);

// 2. Checks the sections (opened by step 1) against resource `r`, parsed:
// its key is its name, its facts' paths are paths it has, their covering
// citations citations it has.
absl::Status CheckStoredResource(
    absl::Span<const Snapshot::StoredSection> sections, uint32_t r,
    const google::protobuf::Message& resource, const StoreIndexes& indexes,
    const StoreIndexViews& views);

// 3. Fills indexes->names from the NAME_ENTRIES section: each entry's text
// a view into its resource's wire bytes (`wire_bytes_of(r)`, which must
// have parsed), its `resource` `stand_in_of(r)`, a message of the
// resource's type.
absl::Status OpenStoredNameEntries(
    absl::Span<const Snapshot::StoredSection> sections,
    absl::FunctionRef<std::string_view(uint32_t)> wire_bytes_of,
    absl::FunctionRef<const google::protobuf::Message&(uint32_t)> stand_in_of,
    const StoreIndexViews& views, StoreIndexes* indexes);

// Duplicate names and references to unknown entities, as BuildStoreIndexes
// reports them (at most kMaxIntegrityProblems), read from `views`.
void FindIntegrityProblems(const StoreIndexViews& views,
                           absl::Span<const InternedPath> paths,
                           std::vector<std::string>* problems);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_STORE_INDEX_SECTIONS_H_
