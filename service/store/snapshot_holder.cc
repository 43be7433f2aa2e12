#include "service/store/snapshot_holder.h"

#include <utility>

namespace factgraph::store {

SnapshotHolder::SnapshotHolder(Options options) : options_(options) {}

std::shared_ptr<const Snapshot> SnapshotHolder::Current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

std::shared_ptr<const Snapshot> SnapshotHolder::Swap(
    std::shared_ptr<const Snapshot> next, absl::Time now) {
  std::shared_ptr<const Snapshot> previous;
  {
    absl::MutexLock lock(&mu_);
    previous = std::exchange(current_, std::move(next));
    if (previous != nullptr) retained_.push_back(Retained{previous, now});
    ExpireLocked(now);
  }
  return previous;
}

std::shared_ptr<const Snapshot> SnapshotHolder::FindById(std::string_view id,
                                                         absl::Time now) const {
  absl::MutexLock lock(&mu_);
  if (current_ != nullptr && current_->id() == id) return current_;
  // Newest first: a snapshot id can come back after a revert, and the most
  // recent retention is the one that counts.
  for (auto it = retained_.rbegin(); it != retained_.rend(); ++it) {
    if (it->snapshot->id() == id &&
        now - it->replaced_at < options_.retention) {
      return it->snapshot;
    }
  }
  return nullptr;
}

void SnapshotHolder::ExpireLocked(absl::Time now) {
  while (!retained_.empty() &&
         (static_cast<int>(retained_.size()) > options_.max_retained ||
          now - retained_.front().replaced_at >= options_.retention)) {
    retained_.pop_front();
  }
}

}  // namespace factgraph::store
