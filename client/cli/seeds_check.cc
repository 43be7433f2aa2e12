#include "client/cli/seeds_check.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "service/store/loader.h"

namespace factgraph::cli {

absl::StatusOr<std::shared_ptr<const store::Snapshot>> LoadSeedsReportingErrors(
    const std::string& seeds_dir, std::ostream& errors) {
  std::vector<store::LoadError> problems;
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      store::LoadSeeds(seeds_dir, &problems);
  if (snapshot.ok()) return snapshot;
  if (problems.empty()) return snapshot.status();
  for (store::LoadError problem : problems) {
    // The loader names files relative to the seeds directory.
    if (problem.file != seeds_dir) {
      problem.file = absl::StrCat(seeds_dir, seeds_dir.back() == '/' ? "" : "/",
                                  problem.file);
    }
    errors << problem.ToString() << "\n";
  }
  return absl::InvalidArgumentError(absl::StrCat(
      problems.size(), problems.size() == 1 ? " problem" : " problems", " in ",
      seeds_dir));
}

}  // namespace factgraph::cli
