// Issue 20, in process (SECURITY.md "Holding under abuse"): log lines nobody
// can forge, reloads that a FIFO cannot block and that never pile up, empty
// knowledge bases refused, duplicate authorization headers refused, caller
// text from page tokens cut, repeated BatchGet names refused, cancelled calls
// logged as CANCELLED.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/query/page_token.h"
#include "service/server/connection_guard.h"
#include "service/server/log_text.h"
#include "service/store/loader.h"
#include "tests/server/test_server.h"
#include "tests/support/file_bytes.h"

namespace factgraph {
namespace {

using test_support::ReadFileBytes;

using server::EscapeLogField;
using server::EscapeLogMessage;

TEST(LogTextTest, FieldsCannotSplitOrEndALine) {
  EXPECT_EQ(EscapeLogField("/factgraph.v1.FactGraphService/GetInstitution"),
            "/factgraph.v1.FactGraphService/GetInstitution");
  EXPECT_EQ(EscapeLogField("/x\n2026-01-01T00:00:00Z ipv4:1.2.3.4:5 "
                           "/factgraph.v1.AdminService/ReloadKnowledgeBase OK "
                           "1us"),
            "/x\\x0a2026-01-01T00:00:00Z\\x20ipv4:1.2.3.4:5\\x20"
            "/factgraph.v1.AdminService/ReloadKnowledgeBase\\x20OK\\x201us");
  EXPECT_EQ(EscapeLogField(std::string("a\0b\r\t\x1b[31m\x7f\\", 12)),
            "a\\x00b\\x0d\\x09\\x1b[31m\\x7f\\\\");
  // Valid UTF-8 passes; invalid bytes, C1 controls and line separators do
  // not.
  EXPECT_EQ(EscapeLogField("카이스트"), "카이스트");
  EXPECT_EQ(EscapeLogField("\xff\xc3(\xe2\x82"), "\\xff\\xc3(\\xe2\\x82");
  EXPECT_EQ(EscapeLogField("\xc0\xaf"), "\\xc0\\xaf");  // Overlong "/".
  EXPECT_EQ(EscapeLogField("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // Surrogate.
  EXPECT_EQ(EscapeLogField("\xc2\x85|\xe2\x80\xa8"), "\\u0085|\\u2028");
}

TEST(LogTextTest, MessagesKeepSpacesAndIndentContinuationLines) {
  EXPECT_EQ(EscapeLogMessage("reload refused:\nkb/a.textproto:3: bad\r"),
            "reload refused:\n  kb/a.textproto:3: bad\\x0d");
  EXPECT_EQ(EscapeLogMessage("x\n2026-01-01T00:00:00.000Z factgraphd: stopped"),
            "x\n  2026-01-01T00:00:00.000Z factgraphd: stopped");
}

// A server on a private copy of the seeds.
struct CopyServer {
  explicit CopyServer(server::ServerOptions extra = {}) {
    server::ServerOptions options =
        test_support::TestServerOptions(seeds.path());
    options.access_log_path = extra.access_log_path;
    options.log_format = extra.log_format;
    options.allow_empty_knowledge_base = extra.allow_empty_knowledge_base;
    auto loaded = server::LoadSnapshot(options);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    auto started = server::Server::Start(options, *loaded);
    EXPECT_TRUE(started.ok()) << started.status();
    server = *std::move(started);
  }
  test_support::SeedsCopy seeds;
  std::unique_ptr<server::Server> server;
};

TEST(ReloadTest, AFifoAmongTheSeedsIsRefusedAtOnce) {
  CopyServer copy;
  const std::string id = copy.server->CurrentSnapshot()->id();
  const std::string fifo = copy.seeds.path() + "/kb/zz-fifo.textproto";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  auto reloaded = copy.server->Reload();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(reloaded.ok());
  EXPECT_EQ(reloaded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(reloaded.status().message().find(
                "kb/zz-fifo.textproto: cannot read the file: a FIFO, not a "
                "regular file"),
            std::string::npos)
      << reloaded.status();
  EXPECT_EQ(copy.server->CurrentSnapshot()->id(), id);
}

TEST(ReloadTest, ADocumentThatIsAFifoIsRefused) {
  CopyServer copy;
  const std::string id = copy.server->CurrentSnapshot()->id();
  std::vector<std::string> documents;
  for (const auto& entry :
       std::filesystem::directory_iterator(copy.seeds.path() + "/documents")) {
    documents.push_back(entry.path().string());
  }
  ASSERT_FALSE(documents.empty());
  std::sort(documents.begin(), documents.end());
  std::filesystem::remove(documents[0]);
  ASSERT_EQ(::mkfifo(documents[0].c_str(), 0600), 0);
  auto reloaded = copy.server->Reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_NE(reloaded.status().message().find(
                " cannot be read: a FIFO, not a regular file"),
            std::string::npos)
      << reloaded.status();
  EXPECT_EQ(copy.server->CurrentSnapshot()->id(), id);
}

TEST(ReloadTest, EmptyKnowledgeBasesAreRefusedUnlessIntended) {
  CopyServer copy;
  const std::string id = copy.server->CurrentSnapshot()->id();
  // What a half-published seeds directory looks like: an empty manifest and
  // an empty kb/.
  for (const auto& entry :
       std::filesystem::directory_iterator(copy.seeds.path() + "/kb")) {
    std::filesystem::remove(entry.path());
  }
  {
    std::ofstream manifest(copy.seeds.path() + "/documents.textproto",
                           std::ios::trunc);
  }
  auto reloaded = copy.server->Reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_EQ(std::string(reloaded.status().message()),
            "the knowledge base was refused; the previous snapshot keeps "
            "serving:\n" +
                copy.seeds.path() +
                ": the knowledge base has no documents and no entities (start "
                "with --allow_empty_knowledge_base if that is intended)");
  EXPECT_EQ(copy.server->CurrentSnapshot()->id(), id);
  server::ServerOptions options =
      test_support::TestServerOptions(copy.seeds.path());
  options.allow_empty_knowledge_base = true;
  EXPECT_TRUE(server::LoadSnapshot(options).ok());

  // A compiled snapshot with one document and no entity.
  v1::KnowledgeBase documents_only;
  *documents_only.add_documents() =
      copy.server->CurrentSnapshot()->knowledge_base().documents(0);
  documents_only.mutable_documents(0)->clear_publisher();
  const std::string compiled = copy.seeds.path() + "/documents-only.fgsnap";
  ASSERT_TRUE(store::WriteCompiledKnowledgeBase(documents_only, compiled).ok());
  options = test_support::TestServerOptions("");
  options.seeds_dir.clear();
  options.snapshot_file = compiled;
  EXPECT_EQ(std::string(server::LoadSnapshot(options).status().message()),
            compiled +
                ": the knowledge base has no entities (start with "
                "--allow_empty_knowledge_base if that is intended)");
  options.allow_empty_knowledge_base = true;
  EXPECT_TRUE(server::LoadSnapshot(options).ok());
}

TEST(ReloadTest, StartedReloadsRunOneAtATime) {
  CopyServer copy;
  std::promise<absl::Status> first;
  std::promise<absl::Status> second;
  copy.server->StartReload(
      [&](absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result) {
        first.set_value(result.status());
      });
  // Loading the seeds takes far longer than this call.
  copy.server->StartReload(
      [&](absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result) {
        second.set_value(result.status());
      });
  const absl::Status refused = second.get_future().get();
  EXPECT_EQ(refused.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(refused.message(),
            "a reload is already in progress; retry once it has finished");
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_FALSE(copy.server->ReloadInFlight());
  // After it, another starts; after shutdown none does.
  std::promise<absl::Status> third;
  copy.server->StartReload(
      [&](absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result) {
        third.set_value(result.status());
      });
  EXPECT_TRUE(third.get_future().get().ok());
  copy.server->Shutdown(absl::ZeroDuration());
  std::promise<absl::Status> late;
  copy.server->StartReload(
      [&](absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result) {
        late.set_value(result.status());
      });
  EXPECT_EQ(late.get_future().get().code(), absl::StatusCode::kUnavailable);
}

TEST(ReloadTest, ManyAdminReloadsStartNoThreadEach) {
  CopyServer copy;
  auto admin =
      v1::AdminService::NewStub(test_support::ChannelTo(copy.server->port()));
  auto threads = [] {
    int count = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/self/task")) {
      ++count;
    }
    return count;
  };
  const int before = threads();
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  const v1::ReloadKnowledgeBaseRequest request;
  std::vector<v1::ReloadKnowledgeBaseResponse> responses(200);
  std::vector<std::promise<grpc::Status>> done(200);
  for (int i = 0; i < 200; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->AddMetadata("authorization", "Bearer test-admin-token");
    admin->async()->ReloadKnowledgeBase(contexts.back().get(), &request,
                                        &responses[i],
                                        [&done, i](grpc::Status status) {
                                          done[i].set_value(std::move(status));
                                        });
  }
  int ok = 0;
  int aborted = 0;
  for (auto& result : done) {
    const grpc::Status status = result.get_future().get();
    if (status.ok()) ++ok;
    if (status.error_code() == grpc::StatusCode::ABORTED) ++aborted;
  }
  EXPECT_GE(ok, 1);
  EXPECT_EQ(ok + aborted, 200);
  // gRPC's own threads may grow a little; a thread per reload would be 200.
  EXPECT_LT(threads() - before, 20);
}

TEST(AdminTest, DuplicateAuthorizationHeadersAreRefused) {
  CopyServer copy;
  auto admin =
      v1::AdminService::NewStub(test_support::ChannelTo(copy.server->port()));
  for (const auto& [first, second] :
       {std::pair{"Bearer test-admin-token", "Bearer wrong"},
        std::pair{"Bearer wrong", "Bearer test-admin-token"},
        std::pair{"Bearer test-admin-token", "Bearer test-admin-token"}}) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", first);
    context.AddMetadata("authorization", second);
    v1::ReloadKnowledgeBaseResponse response;
    const grpc::Status status = admin->ReloadKnowledgeBase(
        &context, v1::ReloadKnowledgeBaseRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(status.error_message(),
              "more than one \"authorization\" metadata entry");
  }
}

TEST(CallerTextTest, ASnapshotIdFromAForgedTokenIsCut) {
  CopyServer copy;
  auto stub = v1::FactGraphService::NewStub(
      test_support::ChannelTo(copy.server->port()));
  query::PageCursor cursor;
  cursor.snapshot_id =
      std::string(200, 'a') + std::string("\n\0x", 3) + std::string(52, 'b');
  cursor.request_fingerprint =
      query::RequestFingerprint({"List", "institutions", "", ""});
  cursor.offset = 1;
  v1::ListInstitutionsRequest request;
  request.set_page_size(1);
  request.set_page_token(query::PageTokenCodec().Encode(cursor));
  grpc::ClientContext context;
  v1::ListInstitutionsResponse response;
  const grpc::Status status =
      stub->ListInstitutions(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "page_token: the knowledge base snapshot " + std::string(128, 'a') +
                "... (255 bytes) that this listing started on is no longer "
                "served; start the listing again without a page_token");
}

TEST(BatchGetTest, RepeatedNamesAreRefused) {
  CopyServer copy;
  auto stub = v1::FactGraphService::NewStub(
      test_support::ChannelTo(copy.server->port()));
  v1::BatchGetInstitutionsRequest request;
  for (int i = 0; i < 260; ++i) request.add_names("institutions/kaist");
  grpc::ClientContext context;
  v1::BatchGetInstitutionsResponse response;
  const grpc::Status status =
      stub->BatchGetInstitutions(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "names[1]: institutions/kaist repeats names[0]; ask for each "
            "resource once");
}

// The status field of each access log line, sorted: a cancelled call's line
// is written when gRPC closes it, which may come after the next call.
void CancelledThenOkStatuses(server::LogFormat format,
                             std::vector<std::string>* codes);

TEST(AccessLogTest, CancelledCallsAreLoggedAsCancelled) {
  std::vector<std::string> codes;
  CancelledThenOkStatuses(server::LogFormat::kText, &codes);
  EXPECT_EQ(codes,
            (std::vector<std::string>{
                "GetInstitution CANCELLED", "GetInstitution CANCELLED",
                "GetInstitution CANCELLED", "GetInstitution OK",
                "SearchEntities CANCELLED", "SearchEntities CANCELLED"}));
}

TEST(AccessLogTest, CancelledCallsAreLoggedAsCancelledInJson) {
  std::vector<std::string> codes;
  CancelledThenOkStatuses(server::LogFormat::kJson, &codes);
  EXPECT_EQ(codes,
            (std::vector<std::string>{
                "GetInstitution CANCELLED", "GetInstitution CANCELLED",
                "GetInstitution CANCELLED", "GetInstitution OK",
                "SearchEntities CANCELLED", "SearchEntities CANCELLED"}));
}

void CancelledThenOkStatuses(server::LogFormat format,
                             std::vector<std::string>* codes) {
  const std::string log_path =
      (std::filesystem::temp_directory_path() /
       ("factgraph-access-" + std::to_string(::getpid()) + ".log"))
          .string();
  std::filesystem::remove(log_path);
  {
    server::ServerOptions options;
    options.access_log_path = log_path;
    options.log_format = format;
    CopyServer copy(options);
    auto channel = test_support::ChannelTo(copy.server->port());
    grpc::GenericStub stub(channel);
    grpc::CompletionQueue queue;
    // Started and cancelled before the request is sent: the handler never
    // sees a request. Both kinds of handlers that take the request's bytes:
    // a standard method's and SearchEntities'.
    for (int i = 0; i < 5; ++i) {
      grpc::ClientContext context;
      auto call = stub.PrepareCall(
          &context,
          i % 2 == 0 ? "/factgraph.v1.FactGraphService/GetInstitution"
                     : "/factgraph.v1.FactGraphService/SearchEntities",
          &queue);
      call->StartCall(reinterpret_cast<void*>(1));
      void* tag = nullptr;
      bool ok = false;
      ASSERT_TRUE(queue.Next(&tag, &ok));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      context.TryCancel();
      grpc::Status status;
      call->Finish(&status, reinterpret_cast<void*>(2));
      ASSERT_TRUE(queue.Next(&tag, &ok));
      EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
    }
    v1::GetInstitutionRequest request;
    request.set_name("institutions/kaist");
    v1::Institution response;
    grpc::ClientContext context;
    ASSERT_TRUE(v1::FactGraphService::NewStub(channel)
                    ->GetInstitution(&context, request, &response)
                    .ok());
    queue.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) {
    }
  }
  const std::vector<std::string> lines =
      absl::StrSplit(ReadFileBytes(log_path), '\n', absl::SkipEmpty());
  // Each line as "<method> <status>", the method without its service.
  for (const std::string& line : lines) {
    std::string method, status;
    if (format == server::LogFormat::kJson) {
      auto value_of = [&line](const char* key) {
        const std::string quoted = absl::StrCat("\"", key, "\":\"");
        const size_t at = line.find(quoted);
        if (at == std::string::npos) return std::string();
        const size_t start = at + quoted.size();
        return line.substr(start, line.find('"', start) - start);
      };
      method = value_of("method");
      status = value_of("status");
    } else {
      std::vector<std::string> fields = absl::StrSplit(line, ' ');
      ASSERT_EQ(fields.size(), 5u) << line;
      method = fields[2];
      status = fields[3];
    }
    const std::string kService = "/factgraph.v1.FactGraphService/";
    ASSERT_TRUE(absl::StartsWith(method, kService)) << line;
    codes->push_back(absl::StrCat(method.substr(kService.size()), " ", status));
  }
  std::sort(codes->begin(), codes->end());
  std::filesystem::remove(log_path);
}

}  // namespace
}  // namespace factgraph

namespace factgraph {
namespace {

TEST(ConnectionGuardTest, TheProcessBoundRefusesEveryConnection) {
  server::ConnectionGuard guard(server::ConnectionGuardOptions{
      /*max_unsent_bytes_per_connection=*/10, /*max_unsent_bytes=*/20,
      /*max_cancellations_per_second=*/0});
  grpc::CallbackServerContext context;
  EXPECT_TRUE(guard.Admit(context).ok());
  guard.Charge("ipv4:127.0.0.1:1", 15);
  guard.Charge("ipv4:127.0.0.1:2", 6);
  EXPECT_EQ(guard.unsent_bytes(), 21);
  const absl::Status refused = guard.Admit(context);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(),
            "the server holds 21 bytes of responses its callers have not "
            "read, more than its limit of 20; retry later");
  guard.Release("ipv4:127.0.0.1:1", 15);
  guard.Release("ipv4:127.0.0.1:2", 6);
  EXPECT_EQ(guard.unsent_bytes(), 0);
  EXPECT_TRUE(guard.Admit(context).ok());
}

TEST(ConnectionGuardTest, ShutsDownTheSocketOfAPeer) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
      0);
  ASSERT_EQ(::listen(listener, 1), 0);
  socklen_t size = sizeof(address);
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size);
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(
      ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
      0);
  const int accepted = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  sockaddr_in local{};
  size = sizeof(local);
  ::getsockname(client, reinterpret_cast<sockaddr*>(&local), &size);
  const std::string peer =
      "ipv4:127.0.0.1:" + std::to_string(ntohs(local.sin_port));

  EXPECT_FALSE(server::ShutDownConnectionTo("ipv4:127.0.0.1:1"));
  EXPECT_FALSE(server::ShutDownConnectionTo("unix:/tmp/x"));
  EXPECT_TRUE(server::ShutDownConnectionTo(peer));
  char byte = 0;
  // The server side is shut down: the client reads the end of the stream.
  EXPECT_EQ(::recv(client, &byte, 1, 0), 0);
  ::close(accepted);
  ::close(client);
  ::close(listener);
}

}  // namespace
}  // namespace factgraph
