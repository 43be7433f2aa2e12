// The queries of a query-set file in the form of tests/relevance/queries.tsv
// (a query, then a tab and what it must find), for the tests and benchmarks
// that send them.
#ifndef FACTGRAPH_TESTS_SUPPORT_QUERY_SET_H_
#define FACTGRAPH_TESTS_SUPPORT_QUERY_SET_H_

#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace factgraph::test_support {

// Each line up to its first tab; empty lines and lines starting with # are
// skipped. NotFound when the file cannot be read.
inline absl::StatusOr<std::vector<std::string>> ReadQuerySet(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<std::string> queries;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    queries.push_back(line.substr(0, line.find('\t')));
  }
  return queries;
}

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_SUPPORT_QUERY_SET_H_
