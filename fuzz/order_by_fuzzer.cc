// OrderBy::Parse on any text for any resource type (errors are
// INVALID_ARGUMENT, or OUT_OF_RANGE exactly when the text is over the length
// limit), and sorting the real resources of that type by what parses keeps
// every resource once.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "service/query/order_by.h"
#include "service/query/text_position.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  const fuzz::Selected input = fuzz::Select(data, size);
  const store::Collection& collection = fuzz::CollectionFor(input.selector);
  absl::StatusOr<query::OrderBy> order_by =
      query::OrderBy::Parse(input.payload, *collection.descriptor);
  // Over the length limit is OUT_OF_RANGE, anything else wrong is
  // INVALID_ARGUMENT.
  const bool too_long =
      query::CharacterCount(input.payload) > query::kMaxOrderByLength;
  if (!order_by.ok()) {
    const absl::StatusCode expected = too_long
                                          ? absl::StatusCode::kOutOfRange
                                          : absl::StatusCode::kInvalidArgument;
    if (order_by.status().code() != expected) {
      fuzz::Fail(order_by.status().ToString());
    }
    return 0;
  }
  if (too_long) fuzz::Fail("an order_by over the length limit parsed");
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
