// Everything /metrics shows: the call metrics, the served snapshot, reloads
// by outcome, whether the server is serving, and the process.
#ifndef FACTGRAPH_SERVICE_SERVER_SERVER_METRICS_H_
#define FACTGRAPH_SERVICE_SERVER_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "service/server/call_metrics.h"
#include "service/store/snapshot.h"

namespace factgraph::server {

// Outcomes of Server::Reload, as the `outcome` label.
enum class ReloadOutcome { kLoaded = 0, kUnchanged = 1, kRefused = 2 };

class ServerMetrics {
 public:
  explicit ServerMetrics(const std::vector<std::string>& service_names)
      : calls_(service_names) {}

  CallMetrics& calls() { return calls_; }

  // Reloads are rare; one atomic each is enough.
  void Reloaded(ReloadOutcome outcome) {
    reloads_[static_cast<int>(outcome)].fetch_add(1, std::memory_order_relaxed);
  }

  // An HTTP/JSON request was answered with `status` (docs/http.md).
  void HttpAnswered(int status);

  // The whole exposition. `snapshot` may be null (nothing loaded yet).
  std::string Render(const store::Snapshot* snapshot, bool serving) const;

 private:
  CallMetrics calls_;
  std::array<std::atomic<uint64_t>, 3> reloads_{};
  // By the index of the status in kHttpStatuses (server_metrics.cc), the
  // last for any other status.
  std::array<std::atomic<uint64_t>, 16> http_responses_{};
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_SERVER_METRICS_H_
