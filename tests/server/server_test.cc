// The server's behaviour around its snapshot: health before and after the
// first load, reload (valid and invalid), admin authorisation, page tokens
// across a reload.
#include <memory>
#include <string>

#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// An institution that is valid against the real documents.
constexpr char kExtraInstitution[] = R"pb(
  institutions {
    name: "institutions/test-extra"
    display_name: "Anam-dong"
    kind: INSTITUTION_KIND_DISTRICT
    citations {
      document: "documents/ku-kaist-symposium"
      quote: "Anam-dong"
      field_paths: [ "display_name", "kind" ]
    }
  }
)pb";

std::unique_ptr<server::Server> StartServer(const std::string& seeds) {
  auto started = server::Server::Start(test_support::TestServerOptions(seeds));
  EXPECT_TRUE(started.ok()) << started.status();
  return started.ok() ? *std::move(started) : nullptr;
}

HealthCheckResponse::ServingStatus Health(grpc::Channel* channel,
                                          const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(channel, [](grpc::Channel*) {}));
  grpc::ClientContext context;
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(ServerTest, NotServingAndUnavailableUntilTheFirstLoad) {
  auto server = StartServer(test_support::RealSeedsDir());
  auto channel = test_support::ChannelTo(server->port());
  EXPECT_EQ(Health(channel.get(), ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(channel.get(), "factgraph.v1.FactGraphService"),
            HealthCheckResponse::NOT_SERVING);

  auto stub = v1::FactGraphService::NewStub(channel);
  grpc::ClientContext context;
  v1::GetInstitutionRequest request;
  request.set_name("institutions/kaist");
  v1::Institution response;
  EXPECT_EQ(stub->GetInstitution(&context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  ASSERT_TRUE(server->Reload().ok());
  EXPECT_EQ(Health(channel.get(), ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(channel.get(), "factgraph.v1.FactGraphService"),
            HealthCheckResponse::SERVING);
  grpc::ClientContext again;
  ASSERT_TRUE(stub->GetInstitution(&again, request, &response).ok());
  EXPECT_EQ(response.display_name(), "KAIST");
}

TEST(ServerTest, HealthOfAnUnknownServiceIsNotFound) {
  auto server = StartServer(test_support::RealSeedsDir());
  auto stub = grpc::health::v1::Health::NewStub(
      test_support::ChannelTo(server->port()));
  grpc::ClientContext context;
  HealthCheckRequest request;
  request.set_service("no.such.Service");
  HealthCheckResponse response;
  EXPECT_EQ(stub->Check(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(ServerTest, HealthWatchReportsTheFirstLoadAndShutdown) {
  auto server = StartServer(test_support::RealSeedsDir());
  auto stub = grpc::health::v1::Health::NewStub(
      test_support::ChannelTo(server->port()));
  grpc::ClientContext context;
  auto stream = stub->Watch(&context, HealthCheckRequest());
  HealthCheckResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(server->Reload().ok());
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  server->Shutdown(absl::Seconds(5));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
  server->Wait();
}

TEST(ServerTest, InvalidReloadIsRefusedWithEveryErrorAndOldSnapshotServes) {
  test_support::SeedsCopy seeds;
  auto server = StartServer(seeds.path());
  ASSERT_TRUE(server->Reload().ok());
  const std::string before = server->CurrentSnapshot()->id();

  seeds.Write("kb/zz_broken.textproto",
              "institutions {\n"
              "  name: \"institutions/kaist\"\n"
              "}\n"
              "people {\n"
              "  name: \"people/test-nobody\"\n"
              "  display_name: \"Nobody\"\n"
              "  roles { institution { name: \"institutions/none\" } }\n"
              "  citations { document: \"documents/ku-kaist-symposium\" "
              "quote: \"not in the article\" field_paths: \"display_name\" }\n"
              "}\n");
  auto reloaded = server->Reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_EQ(reloaded.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(reloaded.status().message());
  EXPECT_NE(message.find("the previous snapshot keeps serving"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("kb/zz_broken.textproto:2:"), std::string::npos)
      << message;
  EXPECT_NE(message.find("kb/zz_broken.textproto:7:"), std::string::npos)
      << message;
  EXPECT_NE(message.find("kb/zz_broken.textproto:8:"), std::string::npos)
      << message;
  EXPECT_EQ(server->CurrentSnapshot()->id(), before);
  auto channel = test_support::ChannelTo(server->port());
  EXPECT_EQ(Health(channel.get(), ""), HealthCheckResponse::SERVING);
}

TEST(ServerTest, ReloadSwapsInChangedSeedsAndReportsBothIds) {
  test_support::SeedsCopy seeds;
  auto server = StartServer(seeds.path());
  auto first = server->Reload();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->changed());
  EXPECT_EQ(first->previous_snapshot_id(), "");

  auto same = server->Reload();
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->changed());
  EXPECT_EQ(same->snapshot_id(), first->snapshot_id());

  seeds.Write("kb/zz_extra.textproto", kExtraInstitution);
  auto changed = server->Reload();
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_TRUE(changed->changed());
  EXPECT_EQ(changed->previous_snapshot_id(), first->snapshot_id());
  EXPECT_NE(changed->snapshot_id(), first->snapshot_id());
  EXPECT_NE(server->CurrentSnapshot()->Find("institutions/test-extra"),
            nullptr);
}

TEST(ServerTest, PageTokenKeepsReadingItsSnapshotAcrossAReload) {
  test_support::SeedsCopy seeds;
  auto server = StartServer(seeds.path());
  ASSERT_TRUE(server->Reload().ok());
  const std::string old_id = server->CurrentSnapshot()->id();
  auto stub =
      v1::FactGraphService::NewStub(test_support::ChannelTo(server->port()));

  v1::ListInstitutionsRequest request;
  request.set_page_size(10);
  v1::ListInstitutionsResponse first;
  grpc::ClientContext first_context;
  ASSERT_TRUE(stub->ListInstitutions(&first_context, request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());

  seeds.Write("kb/zz_extra.textproto", kExtraInstitution);
  ASSERT_TRUE(server->Reload().ok());
  ASSERT_NE(server->CurrentSnapshot()->id(), old_id);

  request.set_page_token(first.next_page_token());
  v1::ListInstitutionsResponse second;
  grpc::ClientContext second_context;
  grpc::Status status =
      stub->ListInstitutions(&second_context, request, &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(test_support::SnapshotIdOf(second_context), old_id);
  EXPECT_EQ(second.total_size(), first.total_size());

  // A fresh listing reads the new snapshot, which has one more institution.
  v1::ListInstitutionsRequest fresh;
  fresh.set_page_size(10);
  v1::ListInstitutionsResponse third;
  grpc::ClientContext third_context;
  ASSERT_TRUE(stub->ListInstitutions(&third_context, fresh, &third).ok());
  EXPECT_EQ(test_support::SnapshotIdOf(third_context),
            server->CurrentSnapshot()->id());
  EXPECT_EQ(third.total_size(), first.total_size() + 1);

  // A token used with a different request is refused.
  request.set_filter("kind = INSTITUTION_KIND_UNIVERSITY");
  grpc::ClientContext changed_context;
  EXPECT_EQ(
      stub->ListInstitutions(&changed_context, request, &second).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(ServerTest, AdminReloadNeedsTheBearerToken) {
  auto server = StartServer(test_support::RealSeedsDir());
  ASSERT_TRUE(server->Reload().ok());
  auto stub =
      v1::AdminService::NewStub(test_support::ChannelTo(server->port()));
  for (const char* header :
       {"", "Bearer wrong", "test-admin-token", "Bearer test-admin-token "}) {
    grpc::ClientContext context;
    if (*header != '\0') context.AddMetadata("authorization", header);
    v1::ReloadKnowledgeBaseResponse response;
    EXPECT_EQ(stub->ReloadKnowledgeBase(&context, {}, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << header;
  }
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer test-admin-token");
  v1::ReloadKnowledgeBaseResponse response;
  ASSERT_TRUE(stub->ReloadKnowledgeBase(&context, {}, &response).ok());
  EXPECT_EQ(response.snapshot_id(), server->CurrentSnapshot()->id());
  EXPECT_FALSE(response.changed());
}

TEST(ServerTest, StartRefusesBadOptions) {
  server::ServerOptions options = test_support::TestServerOptions("");
  EXPECT_EQ(server::Server::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = test_support::TestServerOptions(test_support::RealSeedsDir());
  options.tls_cert_pem = "cert without key";
  EXPECT_EQ(server::Server::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = test_support::TestServerOptions(test_support::RealSeedsDir());
  options.listen = "not an address";
  EXPECT_EQ(server::Server::Start(options).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace factgraph
