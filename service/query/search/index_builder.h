// Building the search index of a snapshot (docs/search.md, "Index") as the
// sections of index_format.h: one named function per section or group of
// sections that are made together. The same bytes go into a compiled
// snapshot file (query::WriteCompiledSnapshotWithIndexes) and, for a seeds
// snapshot, stay in memory; either way SearchIndex (index.h) reads them.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_BUILDER_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_BUILDER_H_

#include "absl/status/statusor.h"
#include "service/query/search/index_format.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_format.h"

namespace factgraph::query::search {

// The search sections of `snapshot`, in kind order. Fails (INTERNAL) only
// for a knowledge base too large for the format's 32-bit counts.
absl::StatusOr<SearchSections> BuildSearchSections(
    const store::Snapshot& snapshot);

// The same sections handed to `out` one by one, in kind order, each part of
// the builder's draft freed once handed over: what a compiled snapshot
// writer streams into its file (docs/snapshot-format.md "Writing").
absl::Status WriteSearchSections(const store::Snapshot& snapshot,
                                 store::snapshot_format::SectionSink& out);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_BUILDER_H_
