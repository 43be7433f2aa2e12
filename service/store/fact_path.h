// Field paths inside a resource ("roles[1].institution"), shared by the fact
// view, citations and the loader's checks.
#ifndef FACTGRAPH_SERVICE_STORE_FACT_PATH_H_
#define FACTGRAPH_SERVICE_STORE_FACT_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace factgraph::store {

struct PathStep {
  const google::protobuf::FieldDescriptor* field;
  // Element of a repeated field; -1 for a singular field, or, in a citation
  // path, for a repeated field named without an index (all its elements).
  int index;
};

struct FieldPath {
  std::vector<PathStep> steps;
  std::string text;       // With indexes: "roles[1].institution".
  std::string predicate;  // Without indexes: "roles.institution".
};

FieldPath MakeFieldPath(absl::Span<const PathStep> steps);
std::string FormatPath(absl::Span<const PathStep> steps);
std::string FormatPredicate(absl::Span<const PathStep> steps);

// Parses a citation field path ("roles[1].title", "roles", "display_name")
// against the fields of `descriptor`. Fails with INVALID_ARGUMENT saying what
// is wrong (syntax, unknown field, index on a singular field, a step below a
// scalar).
absl::StatusOr<std::vector<PathStep>> ParseFieldPath(
    const google::protobuf::Descriptor* descriptor, std::string_view path);

// Fails with INVALID_ARGUMENT when an index of `steps` is out of range in
// `resource` (naming the repeated field and its size).
absl::Status CheckIndexesInRange(const google::protobuf::Message& resource,
                                 absl::Span<const PathStep> steps);

// True when a citation path covers a fact path: they are equal, or the fact
// path continues the citation path with '.' or '[', or the citation names a
// repeated field without an index where the fact path has one
// ("roles.title" covers "roles[2].title").
bool PathCovers(std::string_view citation_path, std::string_view fact_path);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_FACT_PATH_H_
