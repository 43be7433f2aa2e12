// Writing a compiled snapshot file, format 3 (docs/snapshot-format.md): one
// function per core section, each over the resources in name order; index
// sections come ready-made from the layers that own them. The reader
// is snapshot_file_reader.h; the two share only snapshot_format.h.
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_BUILDER_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_BUILDER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "service/store/snapshot_format.h"

namespace factgraph::store {

// The bytes of a format-3 file holding `kb`, then `index_sections` (kinds in
// snapshot_format's reserved ranges, strictly increasing; else
// INVALID_ARGUMENT). Its resources are ordered by name (stably: duplicates
// keep their order, for the loader to report), so `kb` need not be sorted;
// the id is that of the sorted knowledge base, as Snapshot::Build computes
// it.
absl::StatusOr<std::string> BuildSnapshotFile(
    const v1::KnowledgeBase& kb,
    absl::Span<const snapshot_format::IndexSectionBytes> index_sections = {});

// Recomputes the checksums of `*file` (each section's that the table places
// within the file, then the table's) after its sections were edited: for
// tests and fuzzers that reach the checks behind the checksums. Does nothing
// to a file too short for a section table.
void ResealSnapshotFile(std::string* file);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_FILE_BUILDER_H_
