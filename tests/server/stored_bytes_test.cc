// The standard methods' responses written from the stored resource bytes
// (service/api/stored_bytes.h) are byte for byte what serialising the same
// typed responses gives, for a snapshot built from seeds and for one mapped
// from a compiled file; and a Get response keeps its snapshot, mapping
// included, alive until it is released.
#include "service/api/stored_bytes.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "factgraph/v1/factgraph_service.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "service/api/lending.h"
#include "service/api/resource_methods.h"
#include "service/store/collections.h"
#include "service/store/loader.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

using google::protobuf::Message;

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

class StoredBytesTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    auto seeds = store::LoadSeeds(test_support::RealSeedsDir());
    ASSERT_TRUE(seeds.ok()) << seeds.status();
    seeds_ = new std::shared_ptr<const store::Snapshot>(*seeds);
    path_ = new std::string(
        (std::filesystem::temp_directory_path() /
         ("factgraph-stored-bytes-" + std::to_string(::getpid()) + ".fgsnap"))
            .string());
    ASSERT_TRUE(store::WriteCompiledSnapshot(**seeds, *path_).ok());
    auto compiled = store::LoadCompiledSnapshot(*path_);
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    compiled_ = new std::shared_ptr<const store::Snapshot>(*compiled);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove(*path_);
    delete seeds_;
    delete compiled_;
    delete path_;
  }

  // The seeds' snapshot, or the one mapped from their compiled file.
  static std::shared_ptr<const store::Snapshot> snapshot() {
    return GetParam() ? *compiled_ : *seeds_;
  }

  static std::shared_ptr<const store::Snapshot>* seeds_;
  static std::shared_ptr<const store::Snapshot>* compiled_;
  static std::string* path_;
};

std::shared_ptr<const store::Snapshot>* StoredBytesTest::seeds_ = nullptr;
std::shared_ptr<const store::Snapshot>* StoredBytesTest::compiled_ = nullptr;
std::string* StoredBytesTest::path_ = nullptr;

TEST_P(StoredBytesTest, EveryResourceIsItsSerialisation) {
  size_t resources = 0;
  for (const store::Collection& collection : store::AllCollections()) {
    for (const Message* resource : snapshot()->Resources(collection)) {
      const std::string typed = resource->SerializeAsString();
      EXPECT_EQ(snapshot()->WireBytes(*resource), typed)
          << collection.id << " " << resources;
      EXPECT_EQ(BytesOf(api::ResourceAsBytes(snapshot(), *resource)), typed);
      ++resources;
    }
  }
  EXPECT_EQ(resources, 273u);
}

TEST_P(StoredBytesTest, AMessageNotOfTheSnapshotIsSerialised) {
  v1::Institution copy = snapshot()->knowledge_base().institutions(0);
  EXPECT_EQ(snapshot()->WireBytes(copy), "");
  copy.set_description("changed");
  EXPECT_EQ(BytesOf(api::ResourceAsBytes(snapshot(), copy)),
            copy.SerializeAsString());
}

TEST_P(StoredBytesTest, ListAndBatchGetResponsesAreTheirSerialisation) {
  const v1::KnowledgeBase& kb = snapshot()->knowledge_base();
  v1::ListAgreementsResponse list;
  list.set_next_page_token("token");
  list.set_total_size(7);
  v1::ListAgreementsResponse typed_list = list;
  const auto* items = api::ResourceFieldOfResponse(list.GetDescriptor());
  for (int i = 0; i < 3; ++i) {
    api::LendResource(kb.agreements(i), items, &list);
    *typed_list.add_agreements() = kb.agreements(i);
  }
  EXPECT_EQ(BytesOf(api::ResponseAsBytes(*snapshot(), &list)),
            typed_list.SerializeAsString());
  // The lent resources were taken back; the other fields stay.
  EXPECT_EQ(list.agreements_size(), 0);
  EXPECT_EQ(list.next_page_token(), "token");

  v1::BatchGetPeopleResponse batch;
  v1::BatchGetPeopleResponse typed_batch;
  for (int i : {2, 0, 2}) {
    api::LendResource(kb.people(i),
                      api::ResourceFieldOfResponse(batch.GetDescriptor()),
                      &batch);
    *typed_batch.add_people() = kb.people(i);
  }
  EXPECT_EQ(BytesOf(api::ResponseAsBytes(*snapshot(), &batch)),
            typed_batch.SerializeAsString());
  EXPECT_EQ(batch.people_size(), 0);

  v1::ListPeopleResponse empty;
  EXPECT_EQ(BytesOf(api::ResponseAsBytes(*snapshot(), &empty)), "");
}

TEST_P(StoredBytesTest, AGetResponseKeepsItsSnapshotAlive) {
  // A snapshot of its own, so that the response holds the last reference.
  auto own = GetParam() ? store::LoadCompiledSnapshot(*path_)
                        : store::LoadSeeds(test_support::RealSeedsDir());
  ASSERT_TRUE(own.ok()) << own.status();
  std::weak_ptr<const store::Snapshot> watched = *own;
  const Message& resource = (*own)->knowledge_base().institutions(0);
  const std::string typed = resource.SerializeAsString();
  auto response = std::make_unique<grpc::ByteBuffer>(
      api::ResourceAsBytes(*std::move(own), resource));
  own = absl::InternalError("dropped");
  EXPECT_FALSE(watched.expired());
  EXPECT_EQ(BytesOf(*response), typed);
  response.reset();
  EXPECT_TRUE(watched.expired());
}

INSTANTIATE_TEST_SUITE_P(SeedsAndCompiled, StoredBytesTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Compiled" : "Seeds";
                         });

}  // namespace
}  // namespace factgraph
