// Per-method call metrics of factgraphd — calls started, finished by status
// code, latency histograms, messages and facts streamed, refusals by limit
// and by page-token reason — kept so that recording costs a few relaxed
// atomic additions and no lock (docs/operate.md "Metrics"): every counter is
// sharded, a thread always adds to its own shard, and only a scrape sums
// the shards.
#ifndef FACTGRAPH_SERVICE_SERVER_CALL_METRICS_H_
#define FACTGRAPH_SERVICE_SERVER_CALL_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace factgraph::server {

// Upper bounds of the latency histogram buckets: 50 µs to 10 s.
inline constexpr std::array<double, 17> kLatencyBucketsSeconds = {
    50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3,
    50e-3, 100e-3, 250e-3, 500e-3, 1,    2.5,    5,    10};

// Limits whose refusals are counted, as the `limit` label.
inline constexpr std::array<std::string_view, 8> kLimitNames = {
    "open_fact_streams",   "facts_per_call", "batch_size",
    "search_query_length", "filter",         "order_by",
    "transport",           "other"};
// Why a page token was refused, as the `reason` label.
inline constexpr std::array<std::string_view, 4> kPageTokenReasons = {
    "malformed", "forged", "request_changed", "snapshot_expired"};

// What a refused call was refused for, from its status (the code and the
// message the service wrote): limit and page-token label indexes, or -1.
struct Refusal {
  int limit = -1;
  int page_token_reason = -1;
};
Refusal ClassifyRefusal(grpc::StatusCode code, std::string_view message);

class CallMetrics {
 public:
  struct Method {
    std::string service;  // "factgraph.v1.FactGraphService"
    std::string name;     // "GetInstitution"
    bool server_streaming = false;
  };

  // Every method of these services (found in the generated descriptor pool)
  // gets its own series; calls of any other method count under
  // service="unknown", method="unknown" so that callers cannot grow the
  // number of series.
  explicit CallMetrics(const std::vector<std::string>& service_names);

  // The index of "/package.Service/Method", for the calls below.
  int MethodIndex(std::string_view path) const;
  const Method& method(int index) const { return methods_[index]; }
  bool IsQueryFacts(int index) const { return index == query_facts_; }

  void CallStarted(int method);
  void MessageSent(int method, int64_t facts);
  // Counts the call as handled with `code` after `latency`, and classifies
  // its refusal if it was refused.
  void CallHandled(int method, grpc::StatusCode code, std::string_view message,
                   absl::Duration latency);
  void CallEnded(int method);

  // The call families in the Prometheus text exposition format.
  void AppendPrometheus(std::string* out) const;

  // Totals over the shards, for tests and the exposition.
  uint64_t Handled(int method, grpc::StatusCode code) const;
  uint64_t LimitRefusals(int limit) const;
  uint64_t PageTokenRefusals(int reason) const;

 private:
  static constexpr int kCodes = 17;
  static constexpr int kBuckets = kLatencyBucketsSeconds.size() + 1;  // +Inf
  // Slots of one (method, code): the buckets (not cumulative), the latency
  // sum in nanoseconds.
  static constexpr int kPerCode = kBuckets + 1;
  // Slots of one method: started, ended, messages, facts, then the codes.
  static constexpr int kStarted = 0, kEnded = 1, kMessages = 2, kFacts = 3,
                       kFirstCode = 4;
  static constexpr int kPerMethod = kFirstCode + kCodes * kPerCode;
  static constexpr int kShards = 16;

  struct Shard {
    explicit Shard(size_t slots) : values(new std::atomic<uint64_t>[slots]) {
      for (size_t i = 0; i < slots; ++i) values[i].store(0);
    }
    std::unique_ptr<std::atomic<uint64_t>[]> values;
  };

  static int ShardOfThisThread();
  size_t Slot(int method, int offset) const {
    return static_cast<size_t>(method) * kPerMethod + offset;
  }
  size_t RefusalSlot(int index) const {
    return methods_.size() * kPerMethod + index;
  }
  void Add(size_t slot, uint64_t value) {
    shards_[ShardOfThisThread()]->values[slot].fetch_add(
        value, std::memory_order_relaxed);
  }
  uint64_t Sum(size_t slot) const;

  std::vector<Method> methods_;
  absl::flat_hash_map<std::string, int> index_;
  int query_facts_ = -1;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::array<int64_t, kLatencyBucketsSeconds.size()> bucket_bounds_ns_;
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_CALL_METRICS_H_
