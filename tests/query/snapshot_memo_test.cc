#include "service/query/snapshot_memo.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/query/fixture.h"

namespace factgraph::query {
namespace {

// Counts its calls; the value says which call made it.
struct Counter {
  std::atomic<int> calls{0};
  int operator()(const store::Snapshot&) { return ++calls; }
};

TEST(SnapshotMemoTest, ComputesOncePerSnapshotAndKey) {
  SnapshotMemo<int> memo(4);
  std::shared_ptr<const store::Snapshot> snapshot =
      test_support::FixtureSnapshot();
  Counter compute;
  auto first = memo.Get(snapshot, "a", compute);
  auto again = memo.Get(snapshot, "a", compute);
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(again.get(), first.get());
  EXPECT_EQ(compute.calls, 1);
  auto other = memo.Get(snapshot, "b", compute);
  EXPECT_EQ(*other, 2);
  EXPECT_EQ(memo.size(), 2u);
}

TEST(SnapshotMemoTest, ComputesFromTheSnapshotItIsGiven) {
  SnapshotMemo<std::string> memo(4);
  std::shared_ptr<const store::Snapshot> snapshot =
      test_support::FixtureSnapshot();
  auto id =
      memo.Get(snapshot, "id", [](const store::Snapshot& s) { return s.id(); });
  EXPECT_EQ(*id, snapshot->id());
}

TEST(SnapshotMemoTest, SnapshotsAreToldApartByIdentityNotId) {
  SnapshotMemo<int> memo(4);
  std::shared_ptr<const store::Snapshot> one = test_support::FixtureSnapshot();
  std::shared_ptr<const store::Snapshot> two = test_support::FixtureSnapshot();
  ASSERT_NE(one, two);
  ASSERT_EQ(one->id(), two->id());
  Counter compute;
  EXPECT_EQ(*memo.Get(one, "a", compute), 1);
  EXPECT_EQ(*memo.Get(two, "a", compute), 2);
  EXPECT_EQ(*memo.Get(one, "a", compute), 1);
  EXPECT_EQ(memo.size(), 2u);

  // A snapshot that is gone takes its values with it at the next call; a
  // value handed out before stays valid.
  auto held = memo.Get(two, "a", compute);
  two.reset();
  EXPECT_EQ(*memo.Get(one, "a", compute), 1);
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(*held, 2);
}

TEST(SnapshotMemoTest, DropsTheLeastRecentlyUsedBeyondCapacity) {
  SnapshotMemo<int> memo(2);
  std::shared_ptr<const store::Snapshot> snapshot =
      test_support::FixtureSnapshot();
  Counter compute;
  EXPECT_EQ(*memo.Get(snapshot, "a", compute), 1);
  EXPECT_EQ(*memo.Get(snapshot, "b", compute), 2);
  // Used again: now "a" is the more recent, and "c" pushes "b" out.
  EXPECT_EQ(*memo.Get(snapshot, "a", compute), 1);
  EXPECT_EQ(*memo.Get(snapshot, "c", compute), 3);
  EXPECT_EQ(memo.size(), 2u);
  EXPECT_EQ(*memo.Get(snapshot, "a", compute), 1);
  EXPECT_EQ(*memo.Get(snapshot, "b", compute), 4);
  EXPECT_EQ(compute.calls, 4);
  EXPECT_EQ(memo.size(), 2u);
}

TEST(SnapshotMemoTest, ConcurrentCallersShareOneComputation) {
  SnapshotMemo<int> memo(4);
  std::shared_ptr<const store::Snapshot> snapshot =
      test_support::FixtureSnapshot();
  Counter compute;
  std::vector<std::shared_ptr<const int>> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] {
      seen[i] = memo.Get(snapshot, "shared", [&](const store::Snapshot& s) {
        // Slow enough for the others to arrive while it runs.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return compute(s);
      });
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(compute.calls, 1);
  for (const auto& value : seen) {
    EXPECT_EQ(value.get(), seen.front().get());
    EXPECT_EQ(*value, 1);
  }
  EXPECT_EQ(memo.size(), 1u);
}

}  // namespace
}  // namespace factgraph::query
