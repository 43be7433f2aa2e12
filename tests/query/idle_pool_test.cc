#include "service/query/idle_pool.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace factgraph::query {
namespace {

// Counts the objects destroyed through it.
struct CountingDelete {
  int* destroyed;
  void operator()(int* object) const {
    ++*destroyed;
    delete object;
  }
};

using Pool = IdlePool<int, CountingDelete>;

TEST(IdlePoolTest, TakesNothingWhenNothingIsIdle) {
  Pool pool(2);
  EXPECT_EQ(pool.Take(), nullptr);
  EXPECT_EQ(pool.idle(), 0u);
}

TEST(IdlePoolTest, HandsBackTheLastObjectGivenFirst) {
  int destroyed = 0;
  Pool pool(2);
  int* first = new int(1);
  int* second = new int(2);
  pool.Give(Pool::Pointer(first, CountingDelete{&destroyed}));
  pool.Give(Pool::Pointer(second, CountingDelete{&destroyed}));
  Pool::Pointer taken = pool.Take();
  EXPECT_EQ(taken.get(), second);
  EXPECT_EQ(pool.Take().get(), first);
  EXPECT_EQ(pool.Take(), nullptr);
  EXPECT_EQ(destroyed, 1);  // `first`, dropped by the caller above.
}

TEST(IdlePoolTest, DestroysWhatIsGivenBeyondItsBound) {
  int destroyed = 0;
  {
    Pool pool(2);
    for (int i = 0; i < 5; ++i) {
      pool.Give(Pool::Pointer(new int(i), CountingDelete{&destroyed}));
    }
    EXPECT_EQ(pool.idle(), 2u);
    EXPECT_EQ(destroyed, 3);
  }
  EXPECT_EQ(destroyed, 5);  // The idle ones go with the pool.
}

// An object that knows whether a caller holds it.
struct Tracked {
  std::atomic<bool> held{false};
};

struct CountingTrackedDelete {
  std::atomic<int>* destroyed;
  void operator()(Tracked* object) const {
    destroyed->fetch_add(1);
    delete object;
  }
};

TEST(IdlePoolTest, ObjectsTakenAndGivenFromManyThreadsAreNeitherLostNorShared) {
  std::atomic<int> created{0};
  std::atomic<int> destroyed{0};
  std::atomic<int> shared{0};
  IdlePool<Tracked, CountingTrackedDelete> pool(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto object = pool.Take();
        if (object == nullptr) {
          created.fetch_add(1);
          object.reset(new Tracked);
          object.get_deleter() = CountingTrackedDelete{&destroyed};
        }
        if (object->held.exchange(true)) shared.fetch_add(1);
        object->held.store(false);
        pool.Give(std::move(object));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(shared.load(), 0);
  EXPECT_LE(pool.idle(), 2u);
  EXPECT_GE(pool.idle(), 1u);
  // Every object created is idle or was destroyed: none leaked.
  EXPECT_EQ(created.load(), destroyed.load() + static_cast<int>(pool.idle()));
}

}  // namespace
}  // namespace factgraph::query
