// Seeds -> Snapshot, with every check the knowledge base must pass.
#ifndef FACTGRAPH_SERVICE_STORE_LOADER_H_
#define FACTGRAPH_SERVICE_STORE_LOADER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_format.h"

namespace factgraph::store {

// One problem found in the input, located as precisely as the input allows.
struct LoadError {
  std::string file;  // Path as given, relative to the seeds directory.
  int line = 0;      // 1-based; 0 when the problem concerns a whole file.
  std::string message;
  // "file:line: message" (or "file: message" without a line).
  std::string ToString() const;
};

// Reads a seeds directory: documents/ (the article files), documents.textproto
// (the manifest, a KnowledgeBase text holding only documents) and
// kb/*.textproto (KnowledgeBase texts). Checks everything — parse errors,
// duplicate names, names outside their collection, references to unknown
// entities, quotes not found in their document, bad field paths in citations,
// asserted fields no citation covers, malformed dates and money, document
// hashes — and fills the output-only fields (offsets, display names, document
// content).
//
// On any problem returns INVALID_ARGUMENT whose message lists every problem,
// one "file:line: message" per line, and `errors` (if given) receives them
// as structured values. Never returns a partial snapshot.
absl::StatusOr<std::shared_ptr<const Snapshot>> LoadSeeds(
    const std::string& seeds_dir, std::vector<LoadError>* errors = nullptr);

// Writes the snapshot's knowledge base as a compiled snapshot file (format 3,
// docs/snapshot-format.md), to be loaded fast by LoadCompiledSnapshot.
// `index_sections` are written after the core sections (kinds in
// snapshot_format's reserved ranges, increasing): the indexes of upper
// layers, e.g. query::WriteCompiledSnapshotWithIndexes's search index.
absl::Status WriteCompiledSnapshot(
    const Snapshot& snapshot, const std::string& path,
    absl::Span<const snapshot_format::IndexSectionBytes> index_sections = {});

// The same with the upper layers' index sections made while the file is
// written (docs/snapshot-format.md "Writing"): `write_index_sections` hands
// exactly `index_section_count` sections to its sink, in kind order, each
// written to the file as it comes; its error, if any, is returned and no
// file is left.
absl::Status WriteCompiledSnapshot(
    const Snapshot& snapshot, const std::string& path,
    size_t index_section_count,
    absl::FunctionRef<absl::Status(snapshot_format::SectionSink&)>
        write_index_sections);

// The same for a knowledge base that is not (yet) a snapshot, e.g. a
// generated one. Its collections should be sorted by name, as a snapshot's
// are; otherwise the file loads fine but its id costs a second hash.
absl::Status WriteCompiledKnowledgeBase(
    const v1::KnowledgeBase& kb, const std::string& path,
    absl::Span<const snapshot_format::IndexSectionBytes> index_sections = {});

// Largest compiled snapshot file LoadCompiledSnapshot maps: it is mapped,
// not read, so the bound is far above kMaxKnowledgeBaseFileBytes (a file of
// five million synthetic entities is about 2.2 GB).
inline constexpr size_t kMaxMappedSnapshotBytes = size_t{64} << 30;

// Maps a file written by WriteCompiledSnapshot (format 3,
// docs/snapshot-format.md) and refuses, with INVALID_ARGUMENT naming the
// file, the section and the file offset, anything the format does not
// allow (another version, bounds, alignment, checksums, offsets, names out
// of order) before any resource is parsed; then re-checks references and
// names (not quotes: the documents' content is inside). Only a regular file
// is mapped (RegularFile). The snapshot keeps the mapping alive.
absl::StatusOr<std::shared_ptr<const Snapshot>> LoadCompiledSnapshot(
    const std::string& path);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_LOADER_H_
