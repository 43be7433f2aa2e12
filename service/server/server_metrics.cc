#include "service/server/server_metrics.h"

#include "absl/time/clock.h"
#include "service/server/process_metrics.h"
#include "service/server/prometheus_text.h"
#include "service/store/collections.h"

namespace factgraph::server {
namespace {

// The statuses the HTTP/JSON listener answers with (docs/http.md "Errors");
// any other counts as "other", so that the series stay bounded.
constexpr std::array<int, 15> kHttpStatuses = {
    200, 204, 400, 401, 403, 404, 405, 409, 413, 429, 499, 500, 501, 503, 504};

}  // namespace

void ServerMetrics::HttpAnswered(int status) {
  size_t index = kHttpStatuses.size();
  for (size_t i = 0; i < kHttpStatuses.size(); ++i) {
    if (kHttpStatuses[i] == status) index = i;
  }
  http_responses_[index].fetch_add(1, std::memory_order_relaxed);
}

std::string ServerMetrics::Render(const store::Snapshot* snapshot,
                                  bool serving) const {
  std::string out;
  out.reserve(64 << 10);
  PrometheusText text(&out);
  text.Family("factgraph_serving", "gauge",
              "1 while the server answers calls (a snapshot is loaded and it "
              "is not draining), else 0.");
  text.Sample("factgraph_serving", {}, uint64_t{serving ? 1u : 0u});

  if (snapshot != nullptr) {
    text.Family("factgraph_snapshot_info", "gauge",
                "The snapshot being served: always 1, its id and source as "
                "labels.");
    text.Sample(
        "factgraph_snapshot_info",
        {{"snapshot_id", snapshot->id()}, {"source", snapshot->source()}},
        uint64_t{1});
    text.Family("factgraph_snapshot_resources", "gauge",
                "Resources of the served snapshot, by collection.");
    for (const store::Collection& collection : store::AllCollections()) {
      text.Sample(
          "factgraph_snapshot_resources",
          {{"collection", std::string(collection.id)}},
          static_cast<uint64_t>(snapshot->Resources(collection).size()));
    }
    text.Family("factgraph_snapshot_facts", "gauge",
                "Facts of the served snapshot.");
    text.Sample("factgraph_snapshot_facts", {},
                static_cast<uint64_t>(snapshot->fact_count()));
    text.Family("factgraph_snapshot_load_time_seconds", "gauge",
                "When the served snapshot was loaded, since the Unix epoch.");
    text.Sample("factgraph_snapshot_load_time_seconds", {},
                absl::ToUnixMicros(snapshot->load_time()) / 1e6);
    text.Family("factgraph_snapshot_age_seconds", "gauge",
                "Time since the served snapshot was loaded.");
    text.Sample("factgraph_snapshot_age_seconds", {},
                absl::ToDoubleSeconds(absl::Now() - snapshot->load_time()));
  }

  text.Family("factgraph_snapshot_reloads_total", "counter",
              "Reloads (SIGHUP or AdminService), by outcome: loaded (a new "
              "snapshot), unchanged (same id), refused (invalid; the old "
              "snapshot keeps serving).");
  static constexpr std::string_view kOutcomes[] = {"loaded", "unchanged",
                                                   "refused"};
  for (int i = 0; i < 3; ++i) {
    text.Sample("factgraph_snapshot_reloads_total",
                {{"outcome", std::string(kOutcomes[i])}},
                reloads_[i].load(std::memory_order_relaxed));
  }
  text.Family("factgraph_http_responses_total", "counter",
              "HTTP/JSON requests answered, by HTTP status (\"other\" for "
              "a status not listed); their calls also count in the "
              "grpc_server_* families.");
  for (size_t i = 0; i < http_responses_.size(); ++i) {
    text.Sample(
        "factgraph_http_responses_total",
        {{"code", i < kHttpStatuses.size() ? std::to_string(kHttpStatuses[i])
                                           : std::string("other")}},
        http_responses_[i].load(std::memory_order_relaxed));
  }
  calls_.AppendPrometheus(&out);
  AppendProcessMetrics(&out);
  return out;
}

}  // namespace factgraph::server
