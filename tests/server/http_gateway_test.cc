// The transcoder against a real in-process server (127.0.0.1:0): each
// request goes through the server's in-process channel and comes back as
// the JSON a gRPC call's response prints as.
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "service/server/http/transcoder.h"
#include "tests/server/test_server.h"

namespace factgraph::server::http {
namespace {

const google::protobuf::ServiceDescriptor* ServiceNamed(const char* name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      name);
}

// An HTTP request and the response written to it, without a socket.
class FakeExchange final : public HttpExchange {
 public:
  FakeExchange(std::string method, std::string path, std::string query = "",
               std::string body = "")
      : method_(std::move(method)),
        path_(std::move(path)),
        query_(std::move(query)),
        body_(std::move(body)) {}

  absl::string_view method() const override { return method_; }
  absl::string_view path() const override { return path_; }
  absl::string_view query() const override { return query_; }
  std::string peer() const override { return "ipv4:192.0.2.7:4242"; }
  std::optional<std::string> Header(absl::string_view name) const override {
    auto found = request_headers.find(std::string(name));
    if (found == request_headers.end()) return std::nullopt;
    return found->second;
  }
  absl::StatusOr<std::string> ReadBody(size_t limit) override {
    if (body_.size() > limit) return absl::OutOfRangeError("too large");
    return body_;
  }
  void Respond(int status, const HttpHeaders& headers,
               absl::string_view body) override {
    this->status = status;
    for (const auto& [name, value] : headers) this->headers[name] = value;
    response += std::string(body);
  }
  void StartChunked(int status, const HttpHeaders& headers) override {
    Respond(status, headers, "");
    chunked = true;
  }
  bool WriteChunk(absl::string_view data) override {
    response += std::string(data);
    return true;
  }
  void EndChunked() override { ended = true; }

  std::map<std::string, std::string> request_headers;
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string response;
  bool chunked = false;
  bool ended = false;

 private:
  std::string method_, path_, query_, body_;
};

class HttpGatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions options =
        test_support::TestServerOptions(test_support::RealSeedsDir());
    options.http_listen = "127.0.0.1:0";
    absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
        LoadSnapshot(options);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    absl::StatusOr<std::unique_ptr<Server>> server =
        Server::Start(options, *snapshot);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    absl::StatusOr<std::unique_ptr<Transcoder>> transcoder = Transcoder::Create(
        channel_, {ServiceNamed(v1::FactGraphService::service_full_name())},
        {1024, {}, {}});
    ASSERT_TRUE(transcoder.ok()) << transcoder.status();
    transcoder_ = transcoder->release();
  }
  static void TearDownTestSuite() {
    delete transcoder_;
    delete server_;
  }

  static std::string Json(const google::protobuf::Message& message) {
    std::string json;
    EXPECT_TRUE(
        google::protobuf::util::MessageToJsonString(message, &json).ok());
    return json + "\n";
  }

  static Server* server_;
  static std::shared_ptr<grpc::Channel> channel_;
  static Transcoder* transcoder_;
};

Server* HttpGatewayTest::server_ = nullptr;
std::shared_ptr<grpc::Channel> HttpGatewayTest::channel_;
Transcoder* HttpGatewayTest::transcoder_ = nullptr;

TEST_F(HttpGatewayTest, GetAnswersWhatGrpcAnswers) {
  FakeExchange exchange("GET", "/v1/institutions/kaist");
  transcoder_->Handle(exchange);
  EXPECT_EQ(exchange.status, 200);
  EXPECT_EQ(exchange.headers["Content-Type"], "application/json");

  auto stub = v1::FactGraphService::NewStub(channel_);
  grpc::ClientContext context;
  v1::GetInstitutionRequest request;
  request.set_name("institutions/kaist");
  v1::Institution institution;
  ASSERT_TRUE(stub->GetInstitution(&context, request, &institution).ok());
  EXPECT_EQ(exchange.response, Json(institution));
  EXPECT_EQ(exchange.headers["X-Factgraph-Snapshot-Id"],
            server_->CurrentSnapshot()->id());
}

TEST_F(HttpGatewayTest, ListTakesItsFieldsFromTheQuery) {
  FakeExchange exchange("GET", "/v1/people", "page_size=2&order_by=name+desc");
  transcoder_->Handle(exchange);
  ASSERT_EQ(exchange.status, 200) << exchange.response;

  auto stub = v1::FactGraphService::NewStub(channel_);
  grpc::ClientContext context;
  v1::ListPeopleRequest request;
  request.set_page_size(2);
  request.set_order_by("name desc");
  v1::ListPeopleResponse people;
  ASSERT_TRUE(stub->ListPeople(&context, request, &people).ok());
  ASSERT_EQ(people.people_size(), 2);
  EXPECT_EQ(exchange.response, Json(people));
}

TEST_F(HttpGatewayTest, StreamsFactsAsNdjson) {
  FakeExchange exchange("GET", "/v1/facts",
                        "subject=institutions/kaist&limit=3");
  transcoder_->Handle(exchange);
  ASSERT_EQ(exchange.status, 200) << exchange.response;
  EXPECT_TRUE(exchange.chunked);
  EXPECT_TRUE(exchange.ended);
  EXPECT_EQ(exchange.headers["Content-Type"], "application/x-ndjson");

  auto stub = v1::FactGraphService::NewStub(channel_);
  grpc::ClientContext context;
  v1::QueryFactsRequest request;
  request.set_subject("institutions/kaist");
  request.set_limit(3);
  auto reader = stub->QueryFacts(&context, request);
  std::string expected;
  v1::QueryFactsResponse batch;
  while (reader->Read(&batch)) {
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(batch, &json).ok());
    expected += "{\"result\":" + json + "}\n";
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(exchange.response, expected);
}

TEST_F(HttpGatewayTest, ErrorsAreJsonStatusesWithTheirHttpStatus) {
  FakeExchange missing("GET", "/v1/institutions/no-such");
  transcoder_->Handle(missing);
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(absl::StartsWith(
      missing.response, "{\"code\":5,\"message\":\"institutions/no-such"))
      << missing.response;
  EXPECT_TRUE(absl::StrContains(missing.response, "RESOURCE_NOT_FOUND"));

  FakeExchange bad("GET", "/v1/institutions", "page_size=-1");
  transcoder_->Handle(bad);
  EXPECT_EQ(bad.status, 400);

  FakeExchange unknown("GET", "/v1/nothing");
  transcoder_->Handle(unknown);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(absl::StrContains(unknown.response, "NO_SUCH_PATH"));

  FakeExchange wrong_method("DELETE", "/v1/institutions/kaist");
  transcoder_->Handle(wrong_method);
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers["Allow"], "GET");

  FakeExchange too_large("GET", "/v1/institutions/kaist", "",
                         std::string(2000, 'x'));
  transcoder_->Handle(too_large);
  EXPECT_EQ(too_large.status, 413);

  FakeExchange bad_timeout("GET", "/v1/institutions/kaist", "timeout=soon");
  transcoder_->Handle(bad_timeout);
  EXPECT_EQ(bad_timeout.status, 400);
  EXPECT_TRUE(absl::StrContains(bad_timeout.response,
                                "timeout: \\\"soon\\\" is not a duration"))
      << bad_timeout.response;

  FakeExchange no_asset("GET", "/no-such-page.html");
  transcoder_->Handle(no_asset);
  EXPECT_EQ(no_asset.status, 404);
}

TEST_F(HttpGatewayTest, DeadlineEndsAStream) {
  // The whole stream takes several milliseconds, so a deadline of 1 ms
  // passes before it ends: before its first batch (504), or after it, when
  // 200 has gone out and a last line says so.
  FakeExchange exchange("GET", "/v1/facts", "timeout=1ms");
  transcoder_->Handle(exchange);
  if (exchange.status == 504) {
    EXPECT_EQ(exchange.response,
              "{\"code\":4,\"message\":\"Deadline Exceeded\"}\n");
    return;
  }
  ASSERT_EQ(exchange.status, 200);
  EXPECT_TRUE(exchange.ended);
  EXPECT_TRUE(absl::StartsWith(exchange.response, "{\"result\":{\"facts\":["));
  EXPECT_TRUE(absl::EndsWith(
      exchange.response,
      "\n{\"error\":{\"code\":4,\"message\":\"Deadline Exceeded\"}}\n"))
      << exchange.response.substr(exchange.response.size() - 200);
}

}  // namespace
}  // namespace factgraph::server::http
