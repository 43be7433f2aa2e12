// Compiled snapshot files with the indexes of the query layer
// (docs/snapshot-format.md "Index sections"): the store writes and verifies
// the frame, the search layer builds and validates its sections. Every
// writer of compiled snapshots (factgraph compile, the synthetic generator,
// the load generator) and the server's loader go through here.
#ifndef FACTGRAPH_SERVICE_QUERY_COMPILED_SNAPSHOT_H_
#define FACTGRAPH_SERVICE_QUERY_COMPILED_SNAPSHOT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "service/store/snapshot.h"

namespace factgraph::query {

// Writes `snapshot` as a compiled snapshot file (store::WriteCompiledSnapshot)
// with its search index sections.
absl::Status WriteCompiledSnapshotWithIndexes(const store::Snapshot& snapshot,
                                              const std::string& path);

// The same for a knowledge base that is not yet a snapshot (a generated
// one): it is built into one first, since its indexes read the snapshot.
absl::Status WriteCompiledKnowledgeBaseWithIndexes(v1::KnowledgeBase kb,
                                                   const std::string& path);

// store::LoadCompiledSnapshot, then the search index opened (validated)
// from the file's sections: a file whose index is inconsistent is refused
// like one whose frame is (INVALID_ARGUMENT naming the file, the section and
// the file offset).
absl::StatusOr<std::shared_ptr<const store::Snapshot>>
LoadCompiledSnapshotWithIndexes(const std::string& path);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_COMPILED_SNAPSHOT_H_
