// One synthetic knowledge base per size, as a snapshot and as its SQLite
// mirror, with the query parameters the store benchmarks rotate over.
#ifndef FACTGRAPH_BENCH_STORE_BENCH_DATA_H_
#define FACTGRAPH_BENCH_STORE_BENCH_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/store/sqlite_mirror.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::bench {

struct BenchData {
  int64_t entities = 0;
  std::shared_ptr<const store::Snapshot> snapshot;
  store::SnapshotHolder holder;  // Holds `snapshot`, for search.
  std::unique_ptr<SqliteMirror> sqlite;
  // Samples, in a fixed pseudo-random order (kSamples each).
  std::vector<std::string> institutions;   // Any institution.
  std::vector<std::string> organisations;  // Institutions that are not cities.
  std::vector<std::string> cities;        // Institutions others are located in.
  std::vector<std::string> search_words;  // First words of display names.
};

inline constexpr size_t kSamples = 1024;

// The data for `entities`, built on first use. Building another size frees
// the previous one, so run the sizes one after the other.
const BenchData& DataFor(int64_t entities);

}  // namespace factgraph::bench

#endif  // FACTGRAPH_BENCH_STORE_BENCH_DATA_H_
