// A snapshot opened from a compiled file parses each resource on its first
// access, once, whatever thread gets there first, and every accessor hands
// out that one message (docs/snapshot-format.md "Mapping and retention").
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "gtest/gtest.h"
#include "service/store/collections.h"
#include "service/store/loader.h"
#include "service/store/resource_fields.h"
#include "service/store/snapshot.h"
#include "tests/store/seeds_fixture.h"

namespace factgraph::store {
namespace {

using google::protobuf::Message;

class LazyParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto seeds = LoadSeeds(test_support::WriteSmallSeeds());
    ASSERT_TRUE(seeds.ok()) << seeds.status();
    seeds_ = *std::move(seeds);
    path_ = (std::filesystem::path(::testing::TempDir()) /
             ("lazy-parse-" + std::to_string(::getpid()) + ".fgsnap"))
                .string();
    ASSERT_TRUE(WriteCompiledSnapshot(*seeds_, path_).ok());
    auto compiled = LoadCompiledSnapshot(path_);
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    compiled_ = *std::move(compiled);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::shared_ptr<const Snapshot> seeds_;
  std::shared_ptr<const Snapshot> compiled_;
  std::string path_;
};

TEST_F(LazyParseTest, EveryAccessorHandsOutTheOneParsedMessage) {
  ASSERT_EQ(compiled_->resource_count(), seeds_->resource_count());
  ASSERT_EQ(compiled_->resource_count(), 7u);
  for (size_t i = 0; i < compiled_->resource_count(); ++i) {
    const std::string_view name = compiled_->ResourceNameAt(i);
    const Message* found = compiled_->Find(name);
    ASSERT_NE(found, nullptr) << name;
    EXPECT_EQ(&compiled_->ResourceAt(i), found);
    EXPECT_EQ(compiled_->Find(name), found);
    EXPECT_EQ(NameOf(*found), name);
    // The same content as the seeds' resource, and its stored bytes are
    // those of the message handed out.
    EXPECT_EQ(found->SerializeAsString(),
              seeds_->Find(name)->SerializeAsString());
    EXPECT_EQ(compiled_->WireBytes(*found), compiled_->WireBytesAt(i));
  }
  const Snapshot::ResourceRange institutions =
      compiled_->Resources(*CollectionById("institutions"));
  ASSERT_EQ(institutions.size(), 2u);
  EXPECT_EQ(institutions[0], compiled_->Find("institutions/kaist"));
  EXPECT_EQ(institutions[1], compiled_->Find("institutions/korea-university"));
  EXPECT_EQ(*institutions.begin(), institutions[0]);
  EXPECT_EQ(institutions.end() - institutions.begin(), 2);
  // The assembled knowledge base holds the same messages.
  const v1::KnowledgeBase& kb = compiled_->knowledge_base();
  ASSERT_EQ(kb.institutions_size(), 2);
  EXPECT_EQ(&kb.institutions(1), institutions[1]);
  EXPECT_EQ(&compiled_->knowledge_base(), &kb);
  // A fact's resource too.
  const absl::Span<const FactIndex> facts =
      compiled_->FactsBySubject("people/lee-kwang-hyung");
  ASSERT_FALSE(facts.empty());
  EXPECT_EQ(&compiled_->FactResource(facts[0]),
            compiled_->Find("people/lee-kwang-hyung"));
}

TEST_F(LazyParseTest, ThreadsRacingToTheFirstAccessGetOneMessage) {
  constexpr int kThreads = 8;
  const size_t count = compiled_->resource_count();
  std::vector<std::vector<const Message*>> seen(
      kThreads, std::vector<const Message*>(count));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half of them from the last resource down, to meet the others.
      for (size_t k = 0; k < count; ++k) {
        const size_t i = t % 2 == 0 ? k : count - 1 - k;
        seen[t][i] = &compiled_->ResourceAt(i);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t i = 0; i < count; ++i) {
    for (int t = 1; t < kThreads; ++t) EXPECT_EQ(seen[t][i], seen[0][i]);
    EXPECT_EQ(compiled_->Find(compiled_->ResourceNameAt(i)), seen[0][i]);
  }
}

TEST_F(LazyParseTest, NameEntriesReadTheirTextsFromTheStoredBytes) {
  const absl::Span<const NameEntry> stored = compiled_->NameEntries();
  const absl::Span<const NameEntry> built = seeds_->NameEntries();
  ASSERT_EQ(stored.size(), built.size());
  for (size_t e = 0; e < stored.size(); ++e) {
    EXPECT_EQ(stored[e].resource_name, built[e].resource_name);
    EXPECT_EQ(stored[e].text, built[e].text);
    EXPECT_EQ(stored[e].is_display_name, built[e].is_display_name);
    // A view into the resource's wire bytes, not into a parsed message.
    const std::string_view wire = compiled_->WireBytesAt(
        *compiled_->ResourceIndex(stored[e].resource_name));
    EXPECT_GE(stored[e].text.data(), wire.data());
    EXPECT_LE(stored[e].text.data() + stored[e].text.size(),
              wire.data() + wire.size());
    EXPECT_EQ(stored[e].resource->GetDescriptor(),
              built[e].resource->GetDescriptor());
  }
  const auto hangul = std::find_if(
      stored.begin(), stored.end(),
      [](const NameEntry& entry) { return entry.text == "이광형"; });
  ASSERT_NE(hangul, stored.end());
  EXPECT_EQ(hangul->resource_name, "people/lee-kwang-hyung");
  EXPECT_FALSE(hangul->is_display_name);
}

}  // namespace
}  // namespace factgraph::store
