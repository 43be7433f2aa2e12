// Broken knowledge bases offered at reload: refused with every error listed,
// the old snapshot keeps serving and health stays SERVING. Two of them, as
// the loader stops after parse errors: testdata/every_error (every error
// found in parsed files, plus a manifest whose hash and size are wrong) and
// testdata/parse_errors (two files that do not parse), each added to a copy
// of the real seeds. The same knowledge bases at start are tested against
// the real binary in transport_and_startup_test.py.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/server/test_server.h"
#include "tests/support/file_bytes.h"
#include "tests/support/param_name.h"

namespace factgraph {
namespace {

using test_support::ReadFileBytes;

namespace fs = std::filesystem;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

const fs::path kTestdata =
    fs::path(FACTGRAPH_SOURCE_DIR) / "tests/hardening/testdata";

// Every line the loader must report for a broken knowledge base, in order
// (shared with the Python test of the same knowledge base at start).
std::vector<std::string> ExpectedErrors(const std::string& name) {
  return absl::StrSplit(ReadFileBytes(kTestdata / name / "expected_errors.txt"),
                        '\n', absl::SkipEmpty());
}

void Replace(std::string* text, const std::string& from,
             const std::string& to) {
  const size_t at = text->find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text->replace(at, from.size(), to);
}

class BadKnowledgeBaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("factgraph-every-error-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::copy(test_support::RealSeedsDir(), dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Breaks the copy: adds the broken kb files and, for every_error, changes
  // the first document's size and hash in the manifest.
  void Break() {
    for (const auto& entry :
         fs::directory_iterator(kTestdata / GetParam() / "kb")) {
      fs::copy_file(entry.path(), dir_ / "kb" / entry.path().filename());
    }
    if (GetParam() != "every_error") return;
    std::string manifest = ReadFileBytes(dir_ / "documents.textproto");
    Replace(&manifest, "size_bytes: 3168", "size_bytes: 3169");
    Replace(&manifest, "sha256: \"7a69", "sha256: \"0000");
    std::ofstream(dir_ / "documents.textproto") << manifest;
  }

  fs::path dir_;
};

TEST_P(BadKnowledgeBaseTest, ReloadIsRefusedWithEveryErrorAndServingGoesOn) {
  auto started = server::Server::Start(test_support::TestServerOptions(dir_));
  ASSERT_TRUE(started.ok()) << started.status();
  auto& server = *started;
  ASSERT_TRUE(server->Reload().ok());
  const std::string before = server->CurrentSnapshot()->id();
  Break();

  auto channel = test_support::ChannelTo(server->port());
  auto admin = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer test-admin-token");
  v1::ReloadKnowledgeBaseResponse response;
  const grpc::Status status =
      admin->ReloadKnowledgeBase(&context, {}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  std::vector<std::string> lines = absl::StrSplit(status.error_message(), '\n');
  ASSERT_GE(lines.size(), 2u) << status.error_message();
  EXPECT_EQ(lines[0],
            "the knowledge base was refused; the previous snapshot keeps "
            "serving:");
  const std::vector<std::string> expected = ExpectedErrors(GetParam());
  ASSERT_GE(expected.size(), 2u);
  EXPECT_THAT(lines[1],
              ::testing::EndsWith(" has " + std::to_string(expected.size()) +
                                  " problems:"));
  lines.erase(lines.begin(), lines.begin() + 2);
  EXPECT_THAT(lines, ::testing::ElementsAreArray(expected));

  EXPECT_EQ(server->CurrentSnapshot()->id(), before);
  auto health = grpc::health::v1::Health::NewStub(channel);
  for (const std::string service : {"", "factgraph.v1.FactGraphService"}) {
    grpc::ClientContext health_context;
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse answer;
    ASSERT_TRUE(health->Check(&health_context, request, &answer).ok());
    EXPECT_EQ(answer.status(), HealthCheckResponse::SERVING) << service;
  }
  auto stub = v1::FactGraphService::NewStub(channel);
  grpc::ClientContext info_context;
  v1::GetKnowledgeBaseInfoResponse info;
  ASSERT_TRUE(stub->GetKnowledgeBaseInfo(&info_context, {}, &info).ok());
  EXPECT_EQ(info.snapshot_id(), before);
  EXPECT_EQ(test_support::SnapshotIdOf(info_context), before);
}

INSTANTIATE_TEST_SUITE_P(Testdata, BadKnowledgeBaseTest,
                         ::testing::Values("every_error", "parse_errors"),
                         ::factgraph::test_support::StringParamName());

}  // namespace
}  // namespace factgraph
