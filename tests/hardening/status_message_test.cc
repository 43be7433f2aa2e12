// Status messages are cut to fit the trailers clients accept, saying so, and
// never in the middle of a UTF-8 character.
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "service/api/status.h"

namespace factgraph::api {
namespace {

TEST(StatusMessageTest, ShortMessagesPassUnchanged) {
  const grpc::Status status =
      ToGrpcStatus(absl::NotFoundError("people/x not found"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "people/x not found");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusMessageTest, LongMessagesAreCutAt4KiBSayingSo) {
  const grpc::Status status =
      ToGrpcStatus(absl::FailedPreconditionError(std::string(10000, 'x')));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      status.error_message(),
      std::string(4096, 'x') + "\n... (message cut at 4096 of 10000 bytes)");
}

TEST(StatusMessageTest, CutsBeforeAMultiByteCharacter) {
  // 4095 ASCII bytes, then a 3-byte character across the 4096 boundary.
  const std::string message = std::string(4095, 'a') + "\xea\xb0\x80" + "tail";
  const grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError(message));
  EXPECT_EQ(
      status.error_message(),
      std::string(4095, 'a') + "\n... (message cut at 4095 of 4102 bytes)");
}

}  // namespace
}  // namespace factgraph::api
