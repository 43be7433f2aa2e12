// ResourceTransfer::kLend: the standard methods put the snapshot's own
// messages into the response instead of copies, and TakeBackLentResources
// removes them again without touching the snapshot.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "service/api/resource_methods.h"
#include "service/store/collections.h"
#include "service/store/loader.h"
#include "service/store/snapshot_holder.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

using api::ResourceTransfer;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

class ResourceTransferTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = store::LoadSeeds(test_support::RealSeedsDir());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    snapshot_ = new std::shared_ptr<const store::Snapshot>(*loaded);
  }
  static void TearDownTestSuite() { delete snapshot_; }

  static const store::Snapshot& snapshot() { return **snapshot_; }
  static const store::Collection& institutions() {
    return *store::CollectionById("institutions");
  }
  // The stored institutions, in name order.
  static std::vector<const v1::Institution*> Stored() {
    std::vector<const v1::Institution*> stored;
    for (const Message* resource : snapshot().Resources(institutions())) {
      stored.push_back(static_cast<const v1::Institution*>(resource));
    }
    return stored;
  }

  static std::shared_ptr<const store::Snapshot>* snapshot_;
};

std::shared_ptr<const store::Snapshot>* ResourceTransferTest::snapshot_ =
    nullptr;

TEST_F(ResourceTransferTest, GetLendsTheStoredMessageAndLeavesTheResponse) {
  const std::vector<const v1::Institution*> stored = Stored();
  ASSERT_GE(stored.size(), 1u);
  const v1::Institution before = *stored[0];
  v1::GetInstitutionRequest request;
  request.set_name(stored[0]->name());
  v1::Institution response;

  absl::StatusOr<const Message*> lent =
      api::GetResource(snapshot(), request, &response, ResourceTransfer::kLend);
  ASSERT_TRUE(lent.ok()) << lent.status();
  EXPECT_EQ(*lent, stored[0]);
  EXPECT_EQ(response.ByteSizeLong(), 0u);

  api::TakeBackLentResources(&response);
  EXPECT_EQ(response.ByteSizeLong(), 0u);
  EXPECT_TRUE(MessageDifferencer::Equals(*stored[0], before));
}

TEST_F(ResourceTransferTest, GetCopiesByDefault) {
  const std::vector<const v1::Institution*> stored = Stored();
  ASSERT_GE(stored.size(), 1u);
  v1::GetInstitutionRequest request;
  request.set_name(stored[0]->name());
  v1::Institution response;

  absl::StatusOr<const Message*> got =
      api::GetResource(snapshot(), request, &response);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, stored[0]);
  EXPECT_TRUE(MessageDifferencer::Equals(response, *stored[0]));
}

TEST_F(ResourceTransferTest, FailedGetLendsNothing) {
  v1::GetInstitutionRequest request;
  request.set_name("institutions/no-such-institution");
  v1::Institution response;

  const absl::Status status =
      api::GetResource(snapshot(), request, &response, ResourceTransfer::kLend)
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(response.ByteSizeLong(), 0u);
}

TEST_F(ResourceTransferTest, BatchGetLendsEveryNameInRequestOrder) {
  const std::vector<const v1::Institution*> stored = Stored();
  ASSERT_GE(stored.size(), 3u);
  v1::BatchGetInstitutionsRequest request;
  request.add_names(stored[1]->name());
  request.add_names(stored[0]->name());
  request.add_names(stored[2]->name());
  v1::BatchGetInstitutionsResponse response;

  ASSERT_TRUE(api::BatchGetResources(snapshot(), request,
                                     api::ResourceMethodLimits(), &response,
                                     ResourceTransfer::kLend)
                  .ok());
  ASSERT_EQ(response.institutions_size(), 3);
  EXPECT_EQ(&response.institutions(0), stored[1]);
  EXPECT_EQ(&response.institutions(1), stored[0]);
  EXPECT_EQ(&response.institutions(2), stored[2]);

  api::TakeBackLentResources(&response);
  EXPECT_EQ(response.institutions_size(), 0);
  EXPECT_EQ(stored[0]->name(), request.names(1));
  EXPECT_EQ(stored[1]->name(), request.names(0));
  EXPECT_EQ(stored[2]->name(), request.names(2));
}

TEST_F(ResourceTransferTest, ListLendsThePage) {
  const std::vector<const v1::Institution*> stored = Stored();
  ASSERT_GE(stored.size(), 3u);
  store::SnapshotHolder holder;
  holder.Swap(*snapshot_);
  const query::PageTokenCodec tokens;
  v1::ListInstitutionsRequest request;
  request.set_page_size(2);
  v1::ListInstitutionsResponse response;

  query::ListMemos memos;
  auto used = api::ListResources(holder, holder.Current(), tokens, &memos,
                                 request, api::ResourceMethodLimits(),
                                 &response, ResourceTransfer::kLend);
  ASSERT_TRUE(used.ok()) << used.status();
  EXPECT_EQ(used->get(), snapshot_->get());
  ASSERT_EQ(response.institutions_size(), 2);
  EXPECT_EQ(&response.institutions(0), stored[0]);
  EXPECT_EQ(&response.institutions(1), stored[1]);
  EXPECT_EQ(response.total_size(), static_cast<int32_t>(stored.size()));
  EXPECT_FALSE(response.next_page_token().empty());

  api::TakeBackLentResources(&response);
  EXPECT_EQ(response.institutions_size(), 0);
  EXPECT_EQ(response.total_size(), static_cast<int32_t>(stored.size()));
}

// Through the server, where the lent resources belong to a snapshot that a
// reload replaces (and, with no retention, frees) while calls are in flight:
// every answer is still the stored resource, whole.
TEST_F(ResourceTransferTest, AnswersStayWholeWhileReloadsReplaceTheSnapshot) {
  const std::vector<const v1::Institution*> stored = Stored();
  ASSERT_GE(stored.size(), 2u);
  server::ServerOptions options =
      test_support::TestServerOptions(test_support::RealSeedsDir());
  options.snapshot_retention = absl::ZeroDuration();
  auto started = server::Server::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<server::Server> server = *std::move(started);
  ASSERT_TRUE(server->Reload().ok());
  auto stub =
      v1::FactGraphService::NewStub(test_support::ChannelTo(server->port()));

  std::atomic<bool> stop{false};
  std::atomic<int> calls{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&, t] {
      while (!stop.load()) {
        const v1::Institution& expected = *stored[t % 2];
        grpc::ClientContext get_context;
        v1::GetInstitutionRequest get;
        get.set_name(expected.name());
        v1::Institution got;
        grpc::Status status = stub->GetInstitution(&get_context, get, &got);
        if (!status.ok() || !MessageDifferencer::Equals(got, expected)) {
          ++wrong;
        }
        grpc::ClientContext batch_context;
        v1::BatchGetInstitutionsRequest batch;
        batch.add_names(stored[0]->name());
        batch.add_names(stored[1]->name());
        v1::BatchGetInstitutionsResponse batch_got;
        status = stub->BatchGetInstitutions(&batch_context, batch, &batch_got);
        if (!status.ok() || batch_got.institutions_size() != 2 ||
            !MessageDifferencer::Equals(batch_got.institutions(0),
                                        *stored[0]) ||
            !MessageDifferencer::Equals(batch_got.institutions(1),
                                        *stored[1])) {
          ++wrong;
        }
        calls += 2;
      }
    });
  }
  for (int i = 0; i < 10; ++i) {
    auto reloaded = server->Reload();
    EXPECT_TRUE(reloaded.ok()) << reloaded.status();
  }
  stop = true;
  for (std::thread& caller : callers) caller.join();
  EXPECT_GT(calls.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace factgraph
