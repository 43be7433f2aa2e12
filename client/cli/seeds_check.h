// Loading a seeds directory for the offline verbs: every problem the loader
// finds is printed to stderr as "path:line: message", paths as the user can
// open them.
#ifndef FACTGRAPH_CLIENT_CLI_SEEDS_CHECK_H_
#define FACTGRAPH_CLIENT_CLI_SEEDS_CHECK_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "service/store/snapshot.h"

namespace factgraph::cli {

// The loaded snapshot; or, after printing every problem to `errors`,
// INVALID_ARGUMENT "N problems in DIR".
absl::StatusOr<std::shared_ptr<const store::Snapshot>> LoadSeedsReportingErrors(
    const std::string& seeds_dir, std::ostream& errors);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_SEEDS_CHECK_H_
