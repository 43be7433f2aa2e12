#include "bench/loadgen/load_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace factgraph::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             Clock::now().time_since_epoch())
      .count();
}

// A steady-clock instant as the system-clock deadline the completion queue
// takes.
std::chrono::system_clock::time_point ToDeadline(int64_t steady_nanos) {
  return std::chrono::system_clock::now() +
         std::chrono::nanoseconds(steady_nanos - NowNanos());
}

struct Call {
  grpc::ClientContext context;
  grpc::ByteBuffer response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<grpc::ByteBuffer>> reader;
  // When the call was (or, in open loop, should have been) sent.
  int64_t start_nanos = 0;
};

// What one thread measured.
struct ThreadTally {
  std::vector<int64_t> latencies_nanos;
  int64_t completed = 0;
  int64_t completed_in_window = 0;
  int64_t non_ok = 0;
  int64_t unsent = 0;
  std::map<int, int64_t> non_ok_by_code;
  std::string first_error;
};

class LoadThread {
 public:
  LoadThread(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
             const Workload& workload, const LoadOptions& options,
             int thread_index, int64_t begin_nanos)
      : workload_(workload),
        options_(options),
        next_body_(static_cast<size_t>(thread_index)),
        window_begin_(begin_nanos + absl::ToInt64Nanoseconds(options.warmup)),
        window_end_(window_begin_ + absl::ToInt64Nanoseconds(options.duration)),
        begin_(begin_nanos) {
    for (const auto& channel : channels) {
      stubs_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
    next_stub_ = static_cast<size_t>(thread_index) % stubs_.size();
  }

  ThreadTally Run() {
    if (options_.rate > 0) {
      RunOpenLoop();
    } else {
      RunClosedLoop();
    }
    Drain();
    return std::move(tally_);
  }

 private:
  void RunClosedLoop() {
    const int share = std::max(1, options_.in_flight / options_.threads);
    for (int i = 0; i < share; ++i) Start(NowNanos());
    while (true) {
      void* tag = nullptr;
      bool ok = false;
      const auto next = cq_.AsyncNext(&tag, &ok, ToDeadline(window_end_));
      if (next != grpc::CompletionQueue::GOT_EVENT) break;
      const int64_t now = Finish(static_cast<Call*>(tag));
      if (now >= window_end_) break;
      Start(now);
    }
  }

  void RunOpenLoop() {
    const int64_t interval = static_cast<int64_t>(
        std::llround(1e9 * options_.threads / options_.rate));
    int64_t next_send = begin_;
    while (true) {
      int64_t now = NowNanos();
      while (next_send <= now && next_send < window_end_) {
        if (outstanding_ < options_.max_outstanding) {
          Start(next_send);
        } else {
          ++tally_.unsent;
        }
        next_send += std::max<int64_t>(1, interval);
      }
      if (next_send >= window_end_) break;
      void* tag = nullptr;
      bool ok = false;
      if (cq_.AsyncNext(&tag, &ok, ToDeadline(next_send)) ==
          grpc::CompletionQueue::GOT_EVENT) {
        Finish(static_cast<Call*>(tag));
      }
    }
  }

  // Waits for every call still in flight; they end by their deadline at
  // the latest.
  void Drain() {
    while (outstanding_ > 0) {
      void* tag = nullptr;
      bool ok = false;
      if (!cq_.Next(&tag, &ok)) break;
      Finish(static_cast<Call*>(tag));
    }
    cq_.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  void Start(int64_t start_nanos) {
    auto* call = new Call;
    call->start_nanos = start_nanos;
    call->context.set_deadline(
        std::chrono::system_clock::now() +
        absl::ToChronoNanoseconds(options_.call_deadline));
    const grpc::ByteBuffer& body =
        workload_.bodies[next_body_++ % workload_.bodies.size()];
    grpc::GenericStub& stub = *stubs_[next_stub_++ % stubs_.size()];
    call->reader =
        stub.PrepareUnaryCall(&call->context, workload_.method, body, &cq_);
    call->reader->StartCall();
    call->reader->Finish(&call->response, &call->status, call);
    ++outstanding_;
  }

  // Records a completed call and returns the time it was seen.
  int64_t Finish(Call* call) {
    const int64_t now = NowNanos();
    --outstanding_;
    ++tally_.completed;
    if (!call->status.ok()) {
      ++tally_.non_ok;
      ++tally_.non_ok_by_code[call->status.error_code()];
      if (tally_.first_error.empty()) {
        tally_.first_error = call->status.error_message();
        if (tally_.first_error.empty()) tally_.first_error = "(no message)";
      }
    } else if (options_.rate > 0) {
      // Open loop: the calls scheduled inside the window.
      if (call->start_nanos >= window_begin_ &&
          call->start_nanos < window_end_) {
        ++tally_.completed_in_window;
        tally_.latencies_nanos.push_back(now - call->start_nanos);
      }
    } else if (now >= window_begin_ && now <= window_end_) {
      // Closed loop: the calls that completed inside the window.
      ++tally_.completed_in_window;
      tally_.latencies_nanos.push_back(now - call->start_nanos);
    }
    delete call;
    return now;
  }

  const Workload& workload_;
  const LoadOptions& options_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  grpc::CompletionQueue cq_;
  size_t next_body_;
  size_t next_stub_ = 0;
  int64_t outstanding_ = 0;
  const int64_t window_begin_;
  const int64_t window_end_;
  const int64_t begin_;
  ThreadTally tally_;
};

absl::Duration Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return absl::ZeroDuration();
  const size_t rank =
      static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return absl::Nanoseconds(
      sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]);
}

}  // namespace

LoadResult RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                   const Workload& workload, const LoadOptions& options) {
  LoadResult result;
  if (channels.empty() || workload.bodies.empty() || options.threads < 1) {
    result.non_ok = 1;
    result.first_error = "no channel, no request body or no thread";
    return result;
  }
  const int64_t begin = NowNanos();
  std::vector<ThreadTally> tallies(static_cast<size_t>(options.threads));
  std::vector<std::thread> threads;
  for (int i = 0; i < options.threads; ++i) {
    threads.emplace_back([&, i] {
      LoadThread thread(channels, workload, options, i, begin);
      tallies[static_cast<size_t>(i)] = thread.Run();
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::vector<int64_t> latencies;
  for (ThreadTally& tally : tallies) {
    latencies.insert(latencies.end(), tally.latencies_nanos.begin(),
                     tally.latencies_nanos.end());
    result.total_calls += tally.completed;
    result.measured_calls += tally.completed_in_window;
    result.non_ok += tally.non_ok;
    result.unsent += tally.unsent;
    for (const auto& [code, count] : tally.non_ok_by_code) {
      result.non_ok_by_code[code] += count;
    }
    if (result.first_error.empty()) result.first_error = tally.first_error;
  }
  std::sort(latencies.begin(), latencies.end());
  result.calls_per_second = static_cast<double>(result.measured_calls) /
                            absl::ToDoubleSeconds(options.duration);
  result.p50 = Percentile(latencies, 0.50);
  result.p90 = Percentile(latencies, 0.90);
  result.p99 = Percentile(latencies, 0.99);
  result.max = Percentile(latencies, 1.0);
  return result;
}

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(
    const std::string& target, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    // Channels with different arguments never share a subchannel, so each
    // gets its own TCP connection.
    args.SetInt("factgraph.bench.channel_index", i);
    args.SetMaxReceiveMessageSize(64 << 20);
    channels.push_back(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

}  // namespace factgraph::bench
