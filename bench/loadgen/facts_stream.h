// QueryFacts throughput to one client: the server streams the fact view and
// the client parses every message, as a real consumer would.
#ifndef FACTGRAPH_BENCH_LOADGEN_FACTS_STREAM_H_
#define FACTGRAPH_BENCH_LOADGEN_FACTS_STREAM_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace factgraph::bench {

struct FactsStreamResult {
  // The time measured, and the facts and calls done in it.
  absl::Duration elapsed;
  int64_t facts = 0;
  int64_t calls = 0;
  double facts_per_second = 0;
};

// Calls QueryFacts with an empty pattern (every fact, at most `limit` per
// call) again and again for at least `duration` and at least one whole
// call. A non-OK call is returned as the error.
absl::StatusOr<FactsStreamResult> MeasureFactsStream(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration duration,
    int32_t limit);

}  // namespace factgraph::bench

#endif  // FACTGRAPH_BENCH_LOADGEN_FACTS_STREAM_H_
