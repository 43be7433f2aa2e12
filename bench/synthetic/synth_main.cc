// factgraph_synth: writes a synthetic knowledge base as a seeds directory or a
// compiled snapshot, for benchmarks.
//
//   factgraph_synth --entities=100000 [--seed=1] (--seeds_dir=DIR |
//   --snapshot=FILE)
#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bench/synthetic/synthetic_kb.h"
#include "service/query/compiled_snapshot.h"

namespace {

constexpr char kUsage[] =
    "usage: factgraph_synth --entities=N [--seed=S] "
    "(--seeds_dir=DIR | --snapshot=FILE)\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "factgraph_synth: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  factgraph::synthetic::SyntheticOptions options;
  std::string seeds_dir;
  std::string snapshot;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    const std::string flag = arg.substr(0, equals);
    const std::string value =
        equals == std::string::npos ? "" : arg.substr(equals + 1);
    if (flag == "--entities") {
      if (!absl::SimpleAtoi(value, &options.entities) ||
          options.entities < 10) {
        return Fail(absl::StrCat("--entities must be an integer >= 10, got \"",
                                 value, "\""));
      }
    } else if (flag == "--seed") {
      if (!absl::SimpleAtoi(value, &options.seed)) {
        return Fail(
            absl::StrCat("--seed must be an integer, got \"", value, "\""));
      }
    } else if (flag == "--seeds_dir" && !value.empty()) {
      seeds_dir = value;
    } else if (flag == "--snapshot" && !value.empty()) {
      snapshot = value;
    } else {
      return Fail(absl::StrCat("unknown or empty flag \"", arg, "\""));
    }
  }
  if (seeds_dir.empty() == snapshot.empty()) {
    return Fail("give exactly one of --seeds_dir and --snapshot");
  }
  factgraph::v1::KnowledgeBase kb =
      factgraph::synthetic::GenerateKnowledgeBase(options);
  const absl::Status status =
      seeds_dir.empty()
          ? factgraph::query::WriteCompiledKnowledgeBaseWithIndexes(
                std::move(kb), snapshot)
          : factgraph::synthetic::WriteSeedsDirectory(kb, seeds_dir);
  if (!status.ok()) {
    std::fprintf(stderr, "factgraph_synth: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
