#include "service/query/compiled_snapshot.h"

#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "service/query/search.h"
#include "service/query/search/index_builder.h"
#include "service/store/loader.h"
#include "service/store/snapshot_format.h"

namespace factgraph::query {

absl::Status WriteCompiledSnapshotWithIndexes(const store::Snapshot& snapshot,
                                              const std::string& path) {
  // Streamed: each search section is written as it is made.
  return store::WriteCompiledSnapshot(
      snapshot, path, search::kSearchSectionCount,
      [&](store::snapshot_format::SectionSink& out) {
        return search::WriteSearchSections(snapshot, out);
      });
}

absl::Status WriteCompiledKnowledgeBaseWithIndexes(v1::KnowledgeBase kb,
                                                   const std::string& path) {
  const std::shared_ptr<const store::Snapshot> snapshot =
      store::Snapshot::Build(std::move(kb), path, absl::Now());
  return WriteCompiledSnapshotWithIndexes(*snapshot, path);
}

absl::StatusOr<std::shared_ptr<const store::Snapshot>>
LoadCompiledSnapshotWithIndexes(const std::string& path) {
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      store::LoadCompiledSnapshot(path);
  if (!snapshot.ok()) return snapshot;
  if (absl::StatusOr<std::shared_ptr<const search::SearchIndex>> index =
          OpenSearchIndex(*snapshot);
      !index.ok()) {
    return index.status();
  }
  return snapshot;
}

}  // namespace factgraph::query
