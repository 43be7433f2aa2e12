// A bounded stack of idle objects kept for reuse: objects that are costly to
// create (a keyed HMAC context, a response arena with its first block) are
// given back after use and taken by the next call instead of being created
// again. Beyond `max_idle` (more callers at once than a steady load has),
// what is given back is destroyed, so a burst does not pin its peak.
#ifndef FACTGRAPH_SERVICE_QUERY_IDLE_POOL_H_
#define FACTGRAPH_SERVICE_QUERY_IDLE_POOL_H_

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace factgraph::query {

template <typename T, typename Deleter = std::default_delete<T>>
class IdlePool {
 public:
  using Pointer = std::unique_ptr<T, Deleter>;

  explicit IdlePool(size_t max_idle) : max_idle_(max_idle) {}
  IdlePool(const IdlePool&) = delete;
  IdlePool& operator=(const IdlePool&) = delete;

  // The most recently given back object (its memory is the likeliest to be
  // in cache), or null when none is idle.
  Pointer Take() {
    absl::MutexLock lock(&mutex_);
    if (idle_.empty()) return Pointer(nullptr, Deleter());
    Pointer object = std::move(idle_.back());
    idle_.pop_back();
    return object;
  }

  // Keeps `object` for a later Take(), or destroys it when max_idle objects
  // are idle already.
  void Give(Pointer object) {
    {
      absl::MutexLock lock(&mutex_);
      if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(object));
        return;
      }
    }
    // Destroyed outside the lock.
  }

  size_t idle() const {
    absl::MutexLock lock(&mutex_);
    return idle_.size();
  }

 private:
  const size_t max_idle_;
  mutable absl::Mutex mutex_;
  std::vector<Pointer> idle_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_IDLE_POOL_H_
