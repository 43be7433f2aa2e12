#include "service/store/snapshot_holder.h"

#include "gtest/gtest.h"

namespace factgraph::store {
namespace {

std::shared_ptr<const Snapshot> SnapshotNamed(const std::string& name) {
  v1::KnowledgeBase kb;
  kb.add_institutions()->set_name("institutions/" + name);
  return Snapshot::Build(kb, name, absl::UnixEpoch());
}

TEST(SnapshotHolderTest, SwapsAndRetainsForPaging) {
  SnapshotHolder holder(
      SnapshotHolder::Options{absl::Minutes(10), /*max_retained=*/2});
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  EXPECT_EQ(holder.Current(), nullptr);
  const auto a = SnapshotNamed("a");
  const auto b = SnapshotNamed("b");
  const auto c = SnapshotNamed("c");
  const auto d = SnapshotNamed("d");
  ASSERT_NE(a->id(), b->id());

  EXPECT_EQ(holder.Swap(a, t0), nullptr);
  EXPECT_EQ(holder.Current(), a);
  EXPECT_EQ(holder.Swap(b, t0 + absl::Minutes(1)), a);
  EXPECT_EQ(holder.Current(), b);
  // The replaced one stays findable for paging, within its retention.
  EXPECT_EQ(holder.FindById(a->id(), t0 + absl::Minutes(5)), a);
  EXPECT_EQ(holder.FindById(b->id(), t0 + absl::Minutes(5)), b);
  EXPECT_EQ(holder.FindById(a->id(), t0 + absl::Minutes(11)), nullptr);
  // The current one never expires.
  EXPECT_EQ(holder.FindById(b->id(), t0 + absl::Hours(100)), b);
  EXPECT_EQ(holder.FindById("unknown", t0), nullptr);

  // At most two retained: a is dropped when c and d replace b and c.
  holder.Swap(c, t0 + absl::Minutes(2));
  holder.Swap(d, t0 + absl::Minutes(3));
  EXPECT_EQ(holder.FindById(a->id(), t0 + absl::Minutes(4)), nullptr);
  EXPECT_EQ(holder.FindById(b->id(), t0 + absl::Minutes(4)), b);
  EXPECT_EQ(holder.FindById(c->id(), t0 + absl::Minutes(4)), c);
  EXPECT_EQ(holder.Current(), d);
}

TEST(SnapshotHolderTest, ExpiredSnapshotsAreReleased) {
  SnapshotHolder holder(SnapshotHolder::Options{absl::Minutes(1), 4});
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  auto a = SnapshotNamed("a");
  std::weak_ptr<const Snapshot> weak_a = a;
  holder.Swap(std::move(a), t0);
  holder.Swap(SnapshotNamed("b"), t0 + absl::Seconds(1));
  EXPECT_FALSE(weak_a.expired());
  holder.Swap(SnapshotNamed("c"), t0 + absl::Minutes(2));
  EXPECT_TRUE(weak_a.expired());
}

TEST(SnapshotHolderTest, ReadersKeepTheirSnapshotAcrossASwap) {
  SnapshotHolder holder;
  holder.Swap(SnapshotNamed("a"));
  const std::shared_ptr<const Snapshot> pinned = holder.Current();
  holder.Swap(SnapshotNamed("b"));
  EXPECT_NE(pinned->Find("institutions/a"), nullptr);
  EXPECT_NE(holder.Current()->Find("institutions/b"), nullptr);
}

}  // namespace
}  // namespace factgraph::store
