// Filter::Parse on any text for any resource type, and evaluation of what
// parses on every resource of that type in the real knowledge base.
#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "fuzz/fuzz_support.h"
#include "service/query/filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  const fuzz::Selected input = fuzz::Select(data, size);
  const store::Collection& collection = fuzz::CollectionFor(input.selector);
  absl::StatusOr<query::Filter> filter =
      query::Filter::Parse(input.payload, *collection.descriptor);
  if (!filter.ok()) {
    // Bad input is always one of the two documented error kinds.
    const absl::StatusCode code = filter.status().code();
    if (code != absl::StatusCode::kInvalidArgument &&
        code != absl::StatusCode::kOutOfRange) {
      fuzz::Fail(filter.status().ToString());
    }
    return 0;
  }
  for (const google::protobuf::Message* resource :
       fuzz::SeedsSnapshot()->Resources(collection)) {
    filter->Matches(*resource);
  }
  return 0;
}
