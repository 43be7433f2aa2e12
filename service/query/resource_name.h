// Validation of resource names given by callers ("institutions/kaist"), so
// that a malformed name is INVALID_ARGUMENT and only a well-formed name of
// the right collection can be NOT_FOUND.
#ifndef FACTGRAPH_SERVICE_QUERY_RESOURCE_NAME_H_
#define FACTGRAPH_SERVICE_QUERY_RESOURCE_NAME_H_

#include <string_view>

#include "absl/status/status.h"
#include "service/store/collections.h"

namespace factgraph::query {

// OK when `name` is "<collection id>/<id>", the id being 1 to 256 of
// [A-Za-z0-9._~-] (AIP-122). Otherwise INVALID_ARGUMENT naming `field`
// (e.g. "name", "names[3]") and what is wrong: empty, malformed, or a name of
// another collection.
absl::Status ValidateResourceName(const store::Collection& collection,
                                  std::string_view name,
                                  std::string_view field);

// As above without a fixed collection: any collection's name is accepted.
absl::Status ValidateAnyResourceName(std::string_view name,
                                     std::string_view field);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_RESOURCE_NAME_H_
