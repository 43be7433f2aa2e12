#include "service/server/call_metrics.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "service/server/access_log.h"
#include "service/server/prometheus_text.h"

namespace factgraph::server {
namespace {

absl::string_view View(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

int LimitIndex(std::string_view name) {
  for (size_t i = 0; i < kLimitNames.size(); ++i) {
    if (kLimitNames[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int ReasonIndex(std::string_view name) {
  for (size_t i = 0; i < kPageTokenReasons.size(); ++i) {
    if (kPageTokenReasons[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

// The services word their refusals in one way each (README "Limits"); the
// metrics read that wording rather than ask every handler to count. The
// monitoring test provokes each refusal, so a reworded message fails there.
Refusal ClassifyRefusal(grpc::StatusCode code, std::string_view message) {
  const absl::string_view text = View(message);
  Refusal refusal;
  if (absl::StartsWith(text, "page_token: ")) {
    if (absl::StrContains(text, "signature mismatch")) {
      refusal.page_token_reason = ReasonIndex("forged");
    } else if (absl::StrContains(text, "different request")) {
      refusal.page_token_reason = ReasonIndex("request_changed");
    } else if (absl::StrContains(text, "no longer served")) {
      refusal.page_token_reason = ReasonIndex("snapshot_expired");
    } else {
      refusal.page_token_reason = ReasonIndex("malformed");
    }
    return refusal;
  }
  if (code == grpc::StatusCode::RESOURCE_EXHAUSTED) {
    refusal.limit = LimitIndex(absl::StrContains(text, "QueryFacts streams")
                                   ? "open_fact_streams"
                                   : "transport");
  } else if (code == grpc::StatusCode::OUT_OF_RANGE) {
    std::string_view limit = "other";
    if (absl::StartsWith(text, "the pattern matches more than")) {
      limit = "facts_per_call";
    } else if (absl::StartsWith(text, "names: ")) {
      limit = "batch_size";
    } else if (absl::StartsWith(text, "query: ")) {
      limit = "search_query_length";
    } else if (absl::StartsWith(text, "filter")) {
      limit = "filter";
    } else if (absl::StartsWith(text, "order_by")) {
      limit = "order_by";
    }
    refusal.limit = LimitIndex(limit);
  }
  return refusal;
}

CallMetrics::CallMetrics(const std::vector<std::string>& service_names) {
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& service_name : service_names) {
    const google::protobuf::ServiceDescriptor* service =
        pool->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      index_[absl::StrCat("/", service_name, "/", method->name())] =
          static_cast<int>(methods_.size());
      if (method->full_name() == "factgraph.v1.FactGraphService.QueryFacts") {
        query_facts_ = static_cast<int>(methods_.size());
      }
      methods_.push_back(
          {service_name, method->name(), method->server_streaming()});
    }
  }
  methods_.push_back({"unknown", "unknown", false});
  const size_t slots = methods_.size() * kPerMethod + kLimitNames.size() +
                       kPageTokenReasons.size();
  for (int i = 0; i < kShards; ++i) {
    shards_.push_back(std::make_unique<Shard>(slots));
  }
  for (size_t i = 0; i < kLatencyBucketsSeconds.size(); ++i) {
    bucket_bounds_ns_[i] =
        static_cast<int64_t>(std::llround(kLatencyBucketsSeconds[i] * 1e9));
  }
}

int CallMetrics::ShardOfThisThread() {
  static std::atomic<int> next_shard{0};
  thread_local const int shard =
      next_shard.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

int CallMetrics::MethodIndex(std::string_view path) const {
  auto found = index_.find(View(path));
  return found == index_.end() ? static_cast<int>(methods_.size()) - 1
                               : found->second;
}

void CallMetrics::CallStarted(int method) { Add(Slot(method, kStarted), 1); }

void CallMetrics::MessageSent(int method, int64_t facts) {
  Add(Slot(method, kMessages), 1);
  if (facts > 0) Add(Slot(method, kFacts), static_cast<uint64_t>(facts));
}

void CallMetrics::CallHandled(int method, grpc::StatusCode code,
                              std::string_view message,
                              absl::Duration latency) {
  const int code_index =
      code >= 0 && code < kCodes ? static_cast<int>(code) : 2;  // UNKNOWN
  const int64_t nanos = absl::ToInt64Nanoseconds(latency);
  int bucket = 0;
  while (bucket < static_cast<int>(bucket_bounds_ns_.size()) &&
         nanos > bucket_bounds_ns_[bucket]) {
    ++bucket;
  }
  const int base = kFirstCode + code_index * kPerCode;
  std::atomic<uint64_t>* values = shards_[ShardOfThisThread()]->values.get();
  values[Slot(method, base + bucket)].fetch_add(1, std::memory_order_relaxed);
  values[Slot(method, base + kBuckets)].fetch_add(
      static_cast<uint64_t>(nanos < 0 ? 0 : nanos), std::memory_order_relaxed);
  if (code == grpc::StatusCode::OK) return;
  const Refusal refusal = ClassifyRefusal(code, message);
  if (refusal.limit >= 0) Add(RefusalSlot(refusal.limit), 1);
  if (refusal.page_token_reason >= 0) {
    Add(RefusalSlot(static_cast<int>(kLimitNames.size()) +
                    refusal.page_token_reason),
        1);
  }
}

void CallMetrics::CallEnded(int method) { Add(Slot(method, kEnded), 1); }

uint64_t CallMetrics::Sum(size_t slot) const {
  uint64_t total = 0;
  for (const auto& shard : shards_) {
    total += shard->values[slot].load(std::memory_order_relaxed);
  }
  return total;
}

uint64_t CallMetrics::Handled(int method, grpc::StatusCode code) const {
  uint64_t total = 0;
  const int base = kFirstCode + static_cast<int>(code) * kPerCode;
  for (int bucket = 0; bucket < kBuckets; ++bucket) {
    total += Sum(Slot(method, base + bucket));
  }
  return total;
}

uint64_t CallMetrics::LimitRefusals(int limit) const {
  return Sum(RefusalSlot(limit));
}

uint64_t CallMetrics::PageTokenRefusals(int reason) const {
  return Sum(RefusalSlot(static_cast<int>(kLimitNames.size()) + reason));
}

void CallMetrics::AppendPrometheus(std::string* out) const {
  PrometheusText text(out);
  const auto method_labels = [](const Method& method) {
    return PrometheusText::Labels{
        {"grpc_service", method.service},
        {"grpc_method", method.name},
        {"grpc_type", method.server_streaming ? "server_stream" : "unary"}};
  };

  text.Family("grpc_server_started_total", "counter",
              "Calls started, by method.");
  for (size_t m = 0; m < methods_.size(); ++m) {
    text.Sample("grpc_server_started_total", method_labels(methods_[m]),
                Sum(Slot(static_cast<int>(m), kStarted)));
  }

  text.Family("grpc_server_handled_total", "counter",
              "Calls finished, by method and status code.");
  for (size_t m = 0; m < methods_.size(); ++m) {
    for (int code = 0; code < kCodes; ++code) {
      const uint64_t handled =
          Handled(static_cast<int>(m), static_cast<grpc::StatusCode>(code));
      // Series appear with their first call: listing 17 codes for every
      // method would be mostly zeros.
      if (handled == 0 && code != 0) continue;
      PrometheusText::Labels labels = method_labels(methods_[m]);
      labels.emplace_back(
          "grpc_code",
          std::string(StatusCodeName(static_cast<grpc::StatusCode>(code))));
      text.Sample("grpc_server_handled_total", labels, handled);
    }
  }

  text.Family("grpc_server_handling_seconds", "histogram",
              "Time from the call's start to its status being sent, by "
              "method and status code.");
  for (size_t m = 0; m < methods_.size(); ++m) {
    for (int code = 0; code < kCodes; ++code) {
      const int base = kFirstCode + code * kPerCode;
      std::array<uint64_t, kBuckets> buckets;
      uint64_t count = 0;
      for (int b = 0; b < kBuckets; ++b) {
        buckets[b] = Sum(Slot(static_cast<int>(m), base + b));
        count += buckets[b];
      }
      if (count == 0 && code != 0) continue;
      PrometheusText::Labels labels = method_labels(methods_[m]);
      labels.emplace_back(
          "grpc_code",
          std::string(StatusCodeName(static_cast<grpc::StatusCode>(code))));
      uint64_t cumulative = 0;
      for (int b = 0; b < kBuckets; ++b) {
        cumulative += buckets[b];
        PrometheusText::Labels bucket_labels = labels;
        bucket_labels.emplace_back(
            "le", b < static_cast<int>(kLatencyBucketsSeconds.size())
                      ? PrometheusText::Number(kLatencyBucketsSeconds[b])
                      : "+Inf");
        text.Sample("grpc_server_handling_seconds_bucket", bucket_labels,
                    cumulative);
      }
      text.Sample(
          "grpc_server_handling_seconds_sum", labels,
          static_cast<double>(Sum(Slot(static_cast<int>(m), base + kBuckets))) /
              1e9);
      text.Sample("grpc_server_handling_seconds_count", labels, count);
    }
  }

  text.Family("grpc_server_in_flight_calls", "gauge",
              "Calls started and not yet ended, by method.");
  for (size_t m = 0; m < methods_.size(); ++m) {
    const uint64_t ended = Sum(Slot(static_cast<int>(m), kEnded));
    const uint64_t started = Sum(Slot(static_cast<int>(m), kStarted));
    text.Sample("grpc_server_in_flight_calls", method_labels(methods_[m]),
                started > ended ? started - ended : 0);
  }

  text.Family("grpc_server_msg_sent_total", "counter",
              "Response messages sent, by method.");
  for (size_t m = 0; m < methods_.size(); ++m) {
    text.Sample("grpc_server_msg_sent_total", method_labels(methods_[m]),
                Sum(Slot(static_cast<int>(m), kMessages)));
  }

  if (query_facts_ >= 0) {
    const uint64_t started = Sum(Slot(query_facts_, kStarted));
    const uint64_t ended = Sum(Slot(query_facts_, kEnded));
    text.Family("factgraph_query_facts_open_streams", "gauge",
                "QueryFacts streams open now.");
    text.Sample("factgraph_query_facts_open_streams", {},
                started > ended ? started - ended : 0);
    text.Family("factgraph_query_facts_streamed_facts_total", "counter",
                "Facts sent by QueryFacts streams.");
    text.Sample("factgraph_query_facts_streamed_facts_total", {},
                Sum(Slot(query_facts_, kFacts)));
  }

  text.Family("factgraph_limit_refusals_total", "counter",
              "Calls refused for passing a limit (README \"Limits\"), by "
              "limit.");
  for (size_t i = 0; i < kLimitNames.size(); ++i) {
    text.Sample("factgraph_limit_refusals_total",
                {{"limit", std::string(kLimitNames[i])}},
                LimitRefusals(static_cast<int>(i)));
  }
  text.Family("factgraph_page_token_refusals_total", "counter",
              "Page tokens refused, by reason.");
  for (size_t i = 0; i < kPageTokenReasons.size(); ++i) {
    text.Sample("factgraph_page_token_refusals_total",
                {{"reason", std::string(kPageTokenReasons[i])}},
                PageTokenRefusals(static_cast<int>(i)));
  }
}

}  // namespace factgraph::server
