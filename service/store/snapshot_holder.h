// The snapshot being served, swapped atomically on reload, plus the recently
// replaced ones, kept for a while so that page tokens started on them keep
// working across a reload.
#ifndef FACTGRAPH_SERVICE_STORE_SNAPSHOT_HOLDER_H_
#define FACTGRAPH_SERVICE_STORE_SNAPSHOT_HOLDER_H_

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/store/snapshot.h"

namespace factgraph::store {

class SnapshotHolder {
 public:
  struct Options {
    // How long a replaced snapshot stays available for paging.
    absl::Duration retention = absl::Minutes(10);
    // How many replaced snapshots are kept at most.
    int max_retained = 4;
  };
  SnapshotHolder() : SnapshotHolder(Options()) {}
  explicit SnapshotHolder(Options options);

  // The snapshot to serve, or nullptr before the first Swap. Callers keep the
  // returned pointer for the whole request.
  std::shared_ptr<const Snapshot> Current() const;

  // Installs `next` as current; the previous one is retained. Returns the
  // previous one (nullptr on the first call).
  std::shared_ptr<const Snapshot> Swap(std::shared_ptr<const Snapshot> next,
                                       absl::Time now = absl::Now());

  // The current or a retained snapshot with this id, or nullptr when it has
  // expired or was never served.
  std::shared_ptr<const Snapshot> FindById(std::string_view id,
                                           absl::Time now = absl::Now()) const;

 private:
  struct Retained {
    std::shared_ptr<const Snapshot> snapshot;
    absl::Time replaced_at;
  };
  // Drops retained snapshots past their retention or beyond max_retained.
  void ExpireLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Snapshot> current_ ABSL_GUARDED_BY(mu_);
  // Oldest first.
  std::deque<Retained> retained_ ABSL_GUARDED_BY(mu_);
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SNAPSHOT_HOLDER_H_
