// factgraph: the command-line client of factgraphd, plus the offline checks
// of a seeds directory. See `factgraph help`.
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/cli/command_line.h"
#include "client/cli/verbs.h"
#include "factgraph_version.h"

namespace factgraph::cli {
namespace {

int Main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.size() == 1 && (words[0] == "--version" || words[0] == "version")) {
    std::cout << "factgraph " << FACTGRAPH_VERSION_STRING << "\n";
    return 0;
  }
  const std::vector<VerbSpec>& verbs = AllVerbs();
  absl::StatusOr<ParsedCommandLine> parsed = ParseCommandLine(words, verbs);
  if (!parsed.ok()) {
    std::cerr << parsed.status().message()
              << " (run 'factgraph help' for usage)\n";
    return kUsageExitCode;
  }
  if (parsed->help) {
    for (const VerbSpec& verb : verbs) {
      if (verb.name == parsed->help_verb) {
        std::cout << VerbUsage(verb);
        return 0;
      }
    }
    std::cout << Overview(verbs);
    return 0;
  }
  const Invocation& invocation = *parsed->invocation;
  absl::Status status = invocation.verb().run(invocation);
  std::cout.flush();
  if (status.ok()) return 0;
  // One line: the newlines of a multi-problem message become "; ".
  std::string message = absl::StrReplaceAll(status.message(), {{"\n", "; "}});
  if (IsUsageError(status)) {
    std::cerr << "factgraph " << invocation.verb().name << ": " << message
              << " (run 'factgraph help " << invocation.verb().name
              << "' for usage)\n";
    return kUsageExitCode;
  }
  std::cerr << "factgraph " << invocation.verb().name << ": "
            << absl::StatusCodeToString(status.code()) << ": " << message
            << "\n";
  return static_cast<int>(status.code());
}

}  // namespace
}  // namespace factgraph::cli

int main(int argc, char** argv) { return factgraph::cli::Main(argc, argv); }
