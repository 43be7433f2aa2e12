// factgraph compile DIR -o FILE: a checked seeds directory as one binary
// snapshot, with its search index, that factgraphd --snapshot loads fast.
#include <iostream>

#include "client/cli/offline_verbs.h"
#include "client/cli/seeds_check.h"
#include "service/query/compiled_snapshot.h"

namespace factgraph::cli {

absl::Status RunCompile(const Invocation& invocation) {
  const std::string output = invocation.String("output");
  if (output.empty()) return UsageError("-o FILE is required");
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      LoadSeedsReportingErrors(invocation.argument(0), std::cerr);
  if (!snapshot.ok()) return snapshot.status();
  if (absl::Status status =
          query::WriteCompiledSnapshotWithIndexes(**snapshot, output);
      !status.ok()) {
    return status;
  }
  std::cout << "compiled " << (*snapshot)->resource_count() << " resources, "
            << (*snapshot)->fact_count() << " facts into " << output
            << " (snapshot " << (*snapshot)->id() << ")\n";
  return absl::OkStatus();
}

}  // namespace factgraph::cli
