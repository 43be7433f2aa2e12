// A load generator on gRPC's asynchronous (completion queue) API: unary calls
// of one method, sent as pre-serialised bodies through a generic stub so that
// the client spends as little CPU as possible on the machine it shares with
// the server.
//
// Two modes: closed loop (a fixed number of calls in flight, as fast as the
// server answers: the maximum rate) and open loop (calls sent on a fixed
// schedule whatever the answers do; latency is measured from the scheduled
// send time, so a stalled server cannot hide its queueing delay).
#ifndef FACTGRAPH_BENCH_LOADGEN_LOAD_RUNNER_H_
#define FACTGRAPH_BENCH_LOADGEN_LOAD_RUNNER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/byte_buffer.h"

namespace factgraph::bench {

// One method and the requests to send to it, used in turn.
struct Workload {
  // Label for reports, e.g. "GetInstitution".
  std::string label;
  // Full method path, e.g. "/factgraph.v1.FactGraphService/GetInstitution".
  std::string method;
  std::vector<grpc::ByteBuffer> bodies;
};

struct LoadOptions {
  // Threads, each with its own completion queue, using every channel.
  int threads = 1;
  // Calls in flight over all threads (closed loop only).
  int in_flight = 32;
  // Calls per second over all threads; 0 means closed loop.
  double rate = 0;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  // Open loop only: a scheduled call is not sent while this many are in
  // flight (the server is overloaded), and counted in LoadResult::unsent.
  int max_outstanding = 2000;
  // Deadline of each call.
  absl::Duration call_deadline = absl::Seconds(10);
};

struct LoadResult {
  // Every call that completed, warm-up included, OK or not.
  int64_t total_calls = 0;
  // Calls that completed OK inside the measured window.
  int64_t measured_calls = 0;
  double calls_per_second = 0;
  // Latency percentiles of the measured calls.
  absl::Duration p50;
  absl::Duration p90;
  absl::Duration p99;
  absl::Duration max;
  // Open loop: scheduled calls not sent because max_outstanding calls were
  // in flight.
  int64_t unsent = 0;
  // Every call that did not end OK, warm-up included, by status code.
  int64_t non_ok = 0;
  std::map<int, int64_t> non_ok_by_code;
  // The message of the first non-OK status, for the report.
  std::string first_error;
};

// Runs `workload` over `channels` for options.warmup + options.duration,
// then waits for the calls still in flight.
LoadResult RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const Workload& workload, const LoadOptions& options);

// `count` channels to `target` that do not share a connection.
std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(
    const std::string& target, int count);

}  // namespace factgraph::bench

#endif  // FACTGRAPH_BENCH_LOADGEN_LOAD_RUNNER_H_
