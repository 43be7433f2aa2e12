#include "service/query/resource_name.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "service/query/error_details.h"
#include "service/query/text_position.h"

namespace factgraph::query {
namespace {

constexpr size_t kMaxIdLength = 256;

absl::Status InvalidName(std::string_view field, std::string_view message) {
  return FieldError(absl::StatusCode::kInvalidArgument, field, v1::INVALID_NAME,
                    message);
}

bool IsIdChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string CollectionIds() {
  std::vector<std::string> ids;
  for (const store::Collection& c : store::AllCollections()) {
    ids.emplace_back(c.id);
  }
  return absl::StrJoin(ids, ", ");
}

// The shape a name should have, for error messages only (formatting it on
// every valid name cost about 600 instructions, a seventh of what the Get
// handler does).
std::string ExpectedShape(std::string_view expected_collection) {
  return expected_collection.empty()
             ? std::string("\"{collection}/{id}\"")
             : absl::StrFormat("\"%s/{id}\"", expected_collection);
}

// Checks the "<collection>/<id>" shape; returns the collection part.
absl::Status CheckShape(std::string_view name, std::string_view field,
                        std::string_view expected_collection,
                        std::string_view* collection_id) {
  if (name.empty()) {
    return InvalidName(
        field, absl::StrFormat("%s: a resource name is required, %s", field,
                               ExpectedShape(expected_collection)));
  }
  const size_t slash = name.find('/');
  if (slash == std::string_view::npos || slash == 0 ||
      slash + 1 == name.size()) {
    return InvalidName(
        field, absl::StrFormat("%s: \"%s\" is not a resource name, expected %s",
                               field, PrintableText(name),
                               ExpectedShape(expected_collection)));
  }
  const std::string_view id = name.substr(slash + 1);
  for (size_t i = 0; i < id.size(); ++i) {
    if (!IsIdChar(id[i])) {
      return InvalidName(field,
                         absl::StrFormat("%s: \"%s\" is not a resource name: "
                                         "character %d of its id is not "
                                         "one of A-Z a-z 0-9 - . _ ~",
                                         field, PrintableText(name), i + 1));
    }
  }
  if (id.size() > kMaxIdLength) {
    return InvalidName(
        field,
        absl::StrFormat("%s: the id of \"%s\" is longer than %d characters",
                        field, PrintableText(name), kMaxIdLength));
  }
  *collection_id = name.substr(0, slash);
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateResourceName(const store::Collection& collection,
                                  std::string_view name,
                                  std::string_view field) {
  std::string_view collection_id;
  absl::Status shape = CheckShape(name, field, collection.id, &collection_id);
  if (!shape.ok()) return shape;
  if (collection_id != collection.id) {
    return InvalidName(
        field, absl::StrFormat("%s: \"%s\" is not a name of collection \"%s\", "
                               "expected \"%s/{id}\"",
                               field, PrintableText(name), collection.id,
                               collection.id));
  }
  return absl::OkStatus();
}

absl::Status ValidateAnyResourceName(std::string_view name,
                                     std::string_view field) {
  std::string_view collection_id;
  absl::Status shape = CheckShape(name, field, "", &collection_id);
  if (!shape.ok()) return shape;
  if (store::CollectionById(collection_id) == nullptr) {
    return InvalidName(
        field, absl::StrFormat("%s: \"%s\" is not a resource name: \"%s\" is "
                               "not a collection (one of "
                               "%s)",
                               field, PrintableText(name),
                               PrintableText(collection_id), CollectionIds()));
  }
  return absl::OkStatus();
}

}  // namespace factgraph::query
