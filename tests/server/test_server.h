// An in-process factgraph server on 127.0.0.1:0 for tests, and a generic way
// to call any unary method by its descriptor, so one test body covers every
// resource's standard methods.
#ifndef FACTGRAPH_TESTS_SERVER_TEST_SERVER_H_
#define FACTGRAPH_TESTS_SERVER_TEST_SERVER_H_

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/server/server.h"
#include "tests/support/temp_path.h"

namespace factgraph::test_support {

inline server::ServerOptions TestServerOptions(std::string seeds_dir) {
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.seeds_dir = std::move(seeds_dir);
  options.admin_token = "test-admin-token";
  return options;
}

inline std::string RealSeedsDir() {
  return std::string(FACTGRAPH_SOURCE_DIR) + "/seeds";
}

// A private copy of the real seeds that a test may change; removed with it.
class SeedsCopy {
 public:
  SeedsCopy() : dir_(NextName()) {
    std::filesystem::copy(RealSeedsDir(), dir_.path(),
                          std::filesystem::copy_options::recursive);
  }

  std::string path() const { return dir_.path(); }
  bool Exists(const std::string& relative) const {
    return std::filesystem::exists(Under(relative));
  }
  void Write(const std::string& relative, const std::string& text) const {
    std::ofstream(Under(relative)) << text;
  }
  void Remove(const std::string& relative) const {
    std::filesystem::remove(Under(relative));
  }

 private:
  static std::string NextName() {
    static std::atomic<int> counter{0};
    return absl::StrCat("factgraph-seeds-", counter++);
  }
  std::filesystem::path Under(const std::string& relative) const {
    return std::filesystem::path(dir_.path()) / relative;
  }

  ScopedTempPath dir_;
};

// Calls a unary method ("/pkg.Service/Method") with any request message and
// parses the answer into `response`.
inline grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel,
                              const std::string& method,
                              const google::protobuf::Message& request,
                              google::protobuf::Message* response,
                              grpc::ClientContext* context) {
  grpc::GenericStub stub(channel);
  std::string wire = request.SerializeAsString();
  grpc::Slice slice(wire);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context, method, grpc::StubOptions(), &request_buffer,
                 &response_buffer,
                 [&done](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "cannot read response");
  }
  std::string bytes;
  for (const grpc::Slice& part : slices) {
    bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  if (!response->ParseFromString(bytes)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "cannot parse response");
  }
  return status;
}

// The snapshot id a call was answered from.
inline std::string SnapshotIdOf(const grpc::ClientContext& context) {
  auto it = context.GetServerInitialMetadata().find("x-factgraph-snapshot-id");
  if (it == context.GetServerInitialMetadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

inline std::shared_ptr<grpc::Channel> ChannelTo(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                             grpc::InsecureChannelCredentials());
}

// A test suite sharing one in-process server on the real seeds: started
// before the suite's first test, stopped after its last. `Base` is
// ::testing::Test or a ::testing::TestWithParam<T>.
template <typename Base = ::testing::Test>
class RealSeedsServerTest : public Base {
 protected:
  static void SetUpTestSuite() {
    auto started = server::Server::Start(TestServerOptions(RealSeedsDir()));
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = started->release();
    auto loaded = server_->Reload();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    channel_ = new std::shared_ptr<grpc::Channel>(ChannelTo(server_->port()));
  }
  static void TearDownTestSuite() {
    delete channel_;
    channel_ = nullptr;
    delete server_;
    server_ = nullptr;
  }
  // One channel to the suite's server.
  static const std::shared_ptr<grpc::Channel>& channel() { return *channel_; }

  static inline server::Server* server_ = nullptr;

 private:
  static inline std::shared_ptr<grpc::Channel>* channel_ = nullptr;
};

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_SERVER_TEST_SERVER_H_
