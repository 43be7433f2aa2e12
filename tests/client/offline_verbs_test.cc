// The offline verbs run from factgraph_cli_offline alone: this test links no
// gRPC (tests/client/CMakeLists.txt), so it fails to link if they need it.
#include "client/cli/offline_verbs.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace factgraph::cli {
namespace {

TEST(OfflineVerbsTest, ValidateChecksTheRealSeeds) {
  const VerbSpec& verb = OfflineVerbs()[0];
  EXPECT_EQ(verb.name, "validate");
  const Invocation invocation(&verb, {FACTGRAPH_SOURCE_DIR "/seeds"}, {});
  testing::internal::CaptureStdout();
  const absl::Status status = verb.run(invocation);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_THAT(out, testing::Not(testing::IsEmpty()));
}

TEST(OfflineVerbsTest, CompileWithoutOutputIsAUsageError) {
  const VerbSpec& verb = OfflineVerbs()[1];
  EXPECT_EQ(verb.name, "compile");
  const Invocation invocation(&verb, {FACTGRAPH_SOURCE_DIR "/seeds"}, {});
  const absl::Status status = verb.run(invocation);
  EXPECT_TRUE(IsUsageError(status)) << status;
  EXPECT_EQ(status.message(), "-o FILE is required");
}

}  // namespace
}  // namespace factgraph::cli
