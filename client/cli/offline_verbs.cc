#include "client/cli/offline_verbs.h"

namespace factgraph::cli {

const std::vector<VerbSpec>& OfflineVerbs() {
  static const auto* const verbs = new std::vector<VerbSpec>{
      {"validate",
       {"DIR"},
       "Checks a seeds directory as the server's loader does, offline.\n"
       "Prints every problem as 'file:line: message' and exits 3\n"
       "(INVALID_ARGUMENT); else prints the coverage report (with --json\n"
       "as JSON) and the provenance report: values stated and curated\n"
       "(each curated one with its note), values checked against their\n"
       "quotes, and per article each sentence and whether a stated\n"
       "citation covers it.",
       {},
       true,
       RunValidate},
      {"compile",
       {"DIR"},
       "Checks a seeds directory and writes it as one compiled snapshot\n"
       "file for factgraphd --snapshot=FILE.",
       {{"output", true, "the snapshot file to write", 'o'}},
       false,
       RunCompile}};
  return *verbs;
}

}  // namespace factgraph::cli
