// OrderBy::Parse on any text for any resource type, and sorting the real
// resources of that type by what parses: the order must be total (every
// resource once, names strictly ascending within equal keys is checked by
// the unit tests; here: no crash, same resources).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "service/query/order_by.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  const fuzz::Selected input = fuzz::Select(data, size);
  const store::Collection& collection = fuzz::CollectionFor(input.selector);
  absl::StatusOr<query::OrderBy> order_by =
      query::OrderBy::Parse(input.payload, *collection.descriptor);
  if (!order_by.ok()) {
    if (order_by.status().code() != absl::StatusCode::kInvalidArgument) {
      fuzz::Fail(order_by.status().ToString());
    }
    return 0;
  }
  const auto resources = fuzz::SeedsSnapshot()->Resources(collection);
  std::vector<const google::protobuf::Message*> sorted(resources.begin(),
                                                       resources.end());
  order_by->Sort(&sorted);
  std::vector<const google::protobuf::Message*> before(resources.begin(),
                                                       resources.end());
  std::sort(before.begin(), before.end());
  std::sort(sorted.begin(), sorted.end());
  if (before != sorted) fuzz::Fail("Sort lost or duplicated resources");
  return 0;
}
