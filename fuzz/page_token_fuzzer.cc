// PageTokenCodec::Decode on any text: only INVALID_ARGUMENT errors, and a
// token that decodes re-encodes to itself (the MAC makes forging one by
// mutation practically impossible, so the corpus holds genuine tokens).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/query/page_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  static const query::PageTokenCodec codec;
  static const std::string fingerprint =
      query::RequestFingerprint({"fuzz", "request"});
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<query::PageCursor> cursor = codec.Decode(token, fingerprint);
  if (!cursor.ok()) {
    if (cursor.status().code() != absl::StatusCode::kInvalidArgument ||
        cursor.status().message().substr(0, 12) != "page_token: ") {
      fuzz::Fail(cursor.status().ToString());
    }
    return 0;
  }
  if (codec.Encode(*cursor) != token) fuzz::Fail("decoded token re-encodes");
  return 0;
}
