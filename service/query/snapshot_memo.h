// Values computed from a snapshot, kept for as long as it lives. A snapshot
// never changes, so what was derived from it once (a collection sorted by an
// order_by, an index from references to resources) stays true, and paging
// or repeating a query need not derive it again (docs/design.md, "Memos:
// derived once per snapshot").
#ifndef FACTGRAPH_SERVICE_QUERY_SNAPSHOT_MEMO_H_
#define FACTGRAPH_SERVICE_QUERY_SNAPSHOT_MEMO_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "service/store/snapshot.h"

namespace factgraph::query {

// A thread-safe map from (snapshot, key) to a Value computed on first use.
template <typename Value>
class SnapshotMemo {
 public:
  // Keeps at most `capacity` values (of any snapshots), dropping the least
  // recently used; the values of snapshots that are gone are dropped at the
  // next call. A value handed out stays valid while its holder keeps it.
  explicit SnapshotMemo(size_t capacity)
      : capacity_(std::max<size_t>(capacity, 1)) {}

  SnapshotMemo(const SnapshotMemo&) = delete;
  SnapshotMemo& operator=(const SnapshotMemo&) = delete;

  // The value for (snapshot, key): compute(*snapshot) the first time, which
  // must return a Value. Concurrent callers of the same (snapshot, key) wait
  // for that one computation instead of repeating it; the memo's lock is not
  // held while computing, so other keys stay available meanwhile.
  template <typename Compute>
  std::shared_ptr<const Value> Get(
      const std::shared_ptr<const store::Snapshot>& snapshot,
      std::string_view key, Compute&& compute) {
    std::shared_ptr<Slot> slot = SlotFor(snapshot, key);
    absl::call_once(slot->once,
                    [&] { slot->value = compute(std::as_const(*snapshot)); });
    return std::shared_ptr<const Value>(slot, &slot->value);
  }

  // The number of values held now.
  size_t size() const {
    absl::MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  struct Slot {
    absl::once_flag once;
    Value value;
  };
  struct Entry {
    // Compared by owner, not by id: two loads of the same content have the
    // same id but different resources.
    std::weak_ptr<const store::Snapshot> snapshot;
    std::string key;
    std::shared_ptr<Slot> slot;
    uint64_t last_used = 0;
  };

  std::shared_ptr<Slot> SlotFor(
      const std::shared_ptr<const store::Snapshot>& snapshot,
      std::string_view key) {
    absl::MutexLock lock(&mu_);
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [](const Entry& entry) {
                                    return entry.snapshot.expired();
                                  }),
                   entries_.end());
    for (Entry& entry : entries_) {
      if (!entry.snapshot.owner_before(snapshot) &&
          !snapshot.owner_before(entry.snapshot) && entry.key == key) {
        entry.last_used = ++clock_;
        return entry.slot;
      }
    }
    if (entries_.size() >= capacity_) {
      entries_.erase(std::min_element(entries_.begin(), entries_.end(),
                                      [](const Entry& a, const Entry& b) {
                                        return a.last_used < b.last_used;
                                      }));
    }
    auto slot = std::make_shared<Slot>();
    entries_.push_back({snapshot, std::string(key), slot, ++clock_});
    return slot;
  }

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t clock_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_SNAPSHOT_MEMO_H_
