// factgraph validate DIR: the loader's checks and the coverage report,
// without a server.
#include <iostream>

#include "client/cli/seeds_check.h"
#include "client/cli/verbs.h"
#include "service/store/coverage.h"

namespace factgraph::cli {
namespace {

absl::Status RunValidate(const Invocation& invocation) {
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      LoadSeedsReportingErrors(invocation.argument(0), std::cerr);
  if (!snapshot.ok()) return snapshot.status();
  std::cout << store::FormatCoverageReport(store::ComputeCoverage(**snapshot));
  return absl::OkStatus();
}

}  // namespace

VerbSpec ValidateVerb() {
  return {"validate",
          {"DIR"},
          "Checks a seeds directory as the server's loader does, offline.\n"
          "Prints every problem as 'file:line: message' and exits 3\n"
          "(INVALID_ARGUMENT); else prints the coverage report.",
          {},
          false,
          RunValidate};
}

}  // namespace factgraph::cli
