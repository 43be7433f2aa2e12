// The search normaliser on any bytes (valid UTF-8 out, single spaces, no
// empty tokens) and SearchEntities over the real knowledge base with the same
// text as its query.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/query/search.h"
#include "service/store/text_normalizer.h"
#include "unicode/utf8.h"

namespace {

bool IsValidUtf8(const std::string& text) {
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string normalized = store::NormalizeForSearch(text);
  if (!IsValidUtf8(normalized)) fuzz::Fail("normalised text is not UTF-8");
  if (!normalized.empty() &&
      (normalized.front() == ' ' || normalized.back() == ' ' ||
       normalized.find("  ") != std::string::npos)) {
    fuzz::Fail("normalised text has stray spaces: " + normalized);
  }
  for (std::string_view token : store::SplitTokens(normalized)) {
    if (token.empty()) fuzz::Fail("empty token");
  }

  static store::SnapshotHolder* holder = [] {
    auto* created = new store::SnapshotHolder();
    created->Swap(fuzz::SeedsSnapshot());
    return created;
  }();
  static const query::PageTokenCodec tokens;
  v1::SearchEntitiesRequest request;
  // Proto strings are UTF-8 on the wire; the service never sees other bytes.
  if (!IsValidUtf8(text)) return 0;
  request.set_query(text);
  absl::StatusOr<query::SearchOutcome> outcome = query::SearchEntities(
      *holder, holder->Current(), request, query::SearchLimits(), tokens);
  if (!outcome.ok()) {
    const absl::StatusCode code = outcome.status().code();
    if (code != absl::StatusCode::kInvalidArgument &&
        code != absl::StatusCode::kOutOfRange) {
      fuzz::Fail(outcome.status().ToString());
    }
    return 0;
  }
  if (outcome->response.results_size() > 10) fuzz::Fail("page too large");
  return 0;
}
