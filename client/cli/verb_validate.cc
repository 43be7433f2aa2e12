// factgraph validate DIR: the loader's checks and the coverage report,
// without a server.
#include <iostream>

#include "client/cli/seeds_check.h"
#include "client/cli/verbs.h"
#include "service/store/coverage.h"
#include "service/store/provenance_report.h"

namespace factgraph::cli {
namespace {

absl::Status RunValidate(const Invocation& invocation) {
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      LoadSeedsReportingErrors(invocation.argument(0), std::cerr);
  if (!snapshot.ok()) return snapshot.status();
  std::cout << store::FormatCoverageReport(store::ComputeCoverage(**snapshot))
            << store::FormatProvenanceReport(
                   store::ComputeProvenance(**snapshot));
  return absl::OkStatus();
}

}  // namespace

VerbSpec ValidateVerb() {
  return {"validate",
          {"DIR"},
          "Checks a seeds directory as the server's loader does, offline.\n"
          "Prints every problem as 'file:line: message' and exits 3\n"
          "(INVALID_ARGUMENT); else prints the coverage report and the\n"
          "provenance report: values stated and curated (each curated one\n"
          "with its note), values checked against their quotes, and per\n"
          "article each sentence and whether a stated citation covers it.",
          {},
          false,
          RunValidate};
}

}  // namespace factgraph::cli
