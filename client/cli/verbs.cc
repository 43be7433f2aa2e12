#include "client/cli/verbs.h"

#include "absl/strings/str_split.h"

namespace factgraph::cli {

const std::vector<VerbSpec>& AllVerbs() {
  static const auto* const verbs = new std::vector<VerbSpec>{
      GetVerb(),       BatchGetVerb(), ListVerb(),   SearchVerb(), FactsVerb(),
      NeighborsVerb(), PathsVerb(),    GraphVerb(),  InfoVerb(),   ReloadVerb(),
      DescribeVerb(),  ValidateVerb(), CompileVerb()};
  return *verbs;
}

absl::StatusOr<std::unique_ptr<Connection>> Connect(
    const Invocation& invocation) {
  absl::StatusOr<ConnectionOptions> options = ConnectionOptionsFrom(invocation);
  if (!options.ok()) return options.status();
  return std::make_unique<Connection>(*std::move(options));
}

std::vector<std::string> SplitList(const std::string& value) {
  return absl::StrSplit(value, ',', absl::SkipWhitespace());
}

}  // namespace factgraph::cli
