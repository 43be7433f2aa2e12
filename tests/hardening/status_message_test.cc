// Status messages are cut to fit the trailers clients accept, saying so, and
// never in the middle of a UTF-8 character.
#include <string>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/api/status.h"
#include "service/query/error_details.h"

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

TEST(StatusMessageTest, DetailsStayBoundedAndKeepTheReason) {
  const std::string message(10000, 'x');
  const grpc::Status status =
      ToGrpcStatus(query::FieldError(absl::StatusCode::kInvalidArgument,
                                     "filter", v1::INVALID_FILTER, message, 7));
  EXPECT_LE(status.error_details().size(), 2048u);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), 3);
  EXPECT_EQ(details.message(), "");
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "INVALID_FILTER");
  EXPECT_EQ(info.metadata().at("position"), "7");
}

TEST(StatusMessageTest, EveryErrorHasAnErrorInfo) {
  const grpc::Status status =
      ToGrpcStatus(absl::DeadlineExceededError("too slow"));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.message(), "too slow");
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "DEADLINE_EXCEEDED");
  EXPECT_EQ(info.domain(), "factgraph.dev");
}

TEST(StatusMessageTest, CutsBeforeAMultiByteCharacter) {
  // 4095 ASCII bytes, then a 3-byte character across the 4096 boundary.
  const std::string message = std::string(4095, 'a') + "\xea\xb0\x80" + "tail";
  const grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError(message));
  EXPECT_EQ(
      status.error_message(),
      std::string(4095, 'a') + "\n... (message cut at 4095 of 4102 bytes)");
}

TEST(StatusMessageTest, AQueryStoppedByItsDeadlineIsDeadlineExceeded) {
  const absl::Status stopped = query::WithReason(
      absl::CancelledError("QueryFacts cancelled"), v1::CANCELLED);
  const absl::Status deadline = StoppedQueryStatus(stopped, true);
  EXPECT_EQ(deadline.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(deadline.message(), "QueryFacts cancelled");
  const grpc::Status status = ToGrpcStatus(deadline);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), 4);
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "CANCELLED");

  EXPECT_EQ(StoppedQueryStatus(stopped, false), stopped);
  const absl::Status other = absl::InvalidArgumentError("bad");
  EXPECT_EQ(StoppedQueryStatus(other, true), other);
}

}  // namespace
}  // namespace factgraph::api
