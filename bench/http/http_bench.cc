// factgraph_http_bench: REST Get throughput against gRPC Get on the same
// factgraphd (docs/http.md "Design"). It starts one factgraphd with an
// HTTP/JSON listener, then runs, interleaved and repeated, the same closed
// loop over both: `--callers` callers, each with its own connection (a gRPC
// channel, an HTTP/1.1 keep-alive socket) and one call in flight, asking
// for one institution. Prints calls per second of each, their ratio, and
// the server's CPU time per call. Exits 1 when any call failed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/loadgen/load_runner.h"
#include "bench/loadgen/server_process.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"

ABSL_FLAG(std::string, server_binary, FACTGRAPH_FACTGRAPHD_PATH,
          "factgraphd to start");
ABSL_FLAG(std::string, seeds, FACTGRAPH_DEFAULT_SEEDS_DIR,
          "seeds directory the server loads");
ABSL_FLAG(std::string, name, "institutions/kaist", "resource to Get");
ABSL_FLAG(int32_t, callers, 4, "concurrent callers, one connection each");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(3),
          "length of each measurement");
ABSL_FLAG(int32_t, repetitions, 3,
          "runs of each transport, interleaved; medians are reported");

namespace factgraph::bench {
namespace {

// One HTTP/1.1 keep-alive connection doing GETs and reading whole answers.
class HttpConnection {
 public:
  explicit HttpConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&address),
                  sizeof(address)) == 0;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  ~HttpConnection() { close(fd_); }

  // Whether the answer was 200 with a body.
  bool Get(const std::string& request) {
    if (!ok_ || write(fd_, request.data(), request.size()) !=
                    static_cast<ssize_t>(request.size())) {
      return false;
    }
    buffer_.clear();
    size_t head_end = std::string::npos;
    while (head_end == std::string::npos) {
      if (!Read()) return false;
      head_end = buffer_.find("\r\n\r\n");
    }
    const size_t length_at = buffer_.find("Content-Length: ");
    size_t length = 0;
    if (length_at == std::string::npos || length_at > head_end ||
        !absl::SimpleAtoi(
            buffer_.substr(length_at + 16,
                           buffer_.find("\r\n", length_at) - length_at - 16),
            &length)) {
      return false;
    }
    while (buffer_.size() < head_end + 4 + length) {
      if (!Read()) return false;
    }
    return buffer_.compare(0, 12, "HTTP/1.1 200") == 0 && length > 0;
  }

 private:
  bool Read() {
    char chunk[65536];
    const ssize_t got = read(fd_, chunk, sizeof(chunk));
    if (got <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(got));
    return true;
  }

  int fd_ = -1;
  bool ok_ = false;
  std::string buffer_;
};

struct Run {
  double calls_per_second = 0;
  double server_cpu_us_per_call = 0;
  int64_t failures = 0;
};

// `callers` threads each calling `call` in a loop for `duration`.
template <typename MakeCaller>
Run Measure(int callers, absl::Duration duration, ServerProcess& server,
            MakeCaller make_caller) {
  std::atomic<int64_t> calls{0}, failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const absl::StatusOr<absl::Duration> cpu_before = server.CpuTime();
  const absl::Time start = absl::Now();
  for (int i = 0; i < callers; ++i) {
    threads.emplace_back([&, i] {
      auto call = make_caller(i);
      int64_t mine = 0, failed = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        call() ? ++mine : ++failed;
      }
      calls += mine;
      failures += failed;
    });
  }
  absl::SleepFor(duration);
  stop = true;
  for (std::thread& thread : threads) thread.join();
  const absl::Duration elapsed = absl::Now() - start;
  const absl::StatusOr<absl::Duration> cpu_after = server.CpuTime();
  Run run;
  run.calls_per_second = calls / absl::ToDoubleSeconds(elapsed);
  if (cpu_before.ok() && cpu_after.ok() && calls > 0) {
    run.server_cpu_us_per_call =
        absl::ToDoubleMicroseconds(*cpu_after - *cpu_before) / calls;
  }
  run.failures = failures;
  return run;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int Main() {
  const std::string work = std::filesystem::temp_directory_path() /
                           absl::StrCat("factgraph-http-bench-", getpid());
  std::filesystem::create_directories(work);
  const std::string http_port_file = work + "/http_port";
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      {absl::GetFlag(FLAGS_server_binary),
       {"--seeds=" + absl::GetFlag(FLAGS_seeds), "--http_listen=127.0.0.1:0",
        "--http_port_file=" + http_port_file,
        absl::StrCat("--http_threads=", absl::GetFlag(FLAGS_callers))},
       work});
  if (!server.ok()) {
    std::fprintf(stderr, "factgraph_http_bench: %s\n",
                 server.status().ToString().c_str());
    return 2;
  }
  const absl::StatusOr<int> http_port = ReadPortFile(http_port_file);
  if (!http_port.ok()) {
    std::fprintf(stderr, "factgraph_http_bench: %s\n",
                 http_port.status().ToString().c_str());
    return 2;
  }
  const std::string name = absl::GetFlag(FLAGS_name);
  const int callers = absl::GetFlag(FLAGS_callers);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const std::vector<std::shared_ptr<grpc::Channel>> channels =
      MakeChannels(absl::StrCat("127.0.0.1:", (*server)->port()), callers);
  const std::string http_request =
      absl::StrCat("GET /v1/", name, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

  std::vector<double> grpc_rates, http_rates, grpc_cpu, http_cpu;
  int64_t failures = 0;
  for (int repetition = 0; repetition < absl::GetFlag(FLAGS_repetitions);
       ++repetition) {
    Run grpc_run = Measure(callers, duration, **server, [&](int i) {
      auto stub = v1::FactGraphService::NewStub(channels[i]);
      v1::GetInstitutionRequest request;
      request.set_name(name);
      return
          [stub = std::shared_ptr<v1::FactGraphService::Stub>(std::move(stub)),
           request] {
            grpc::ClientContext context;
            v1::Institution institution;
            return stub->GetInstitution(&context, request, &institution).ok();
          };
    });
    Run http_run = Measure(callers, duration, **server, [&](int) {
      auto connection = std::make_shared<HttpConnection>(*http_port);
      return
          [connection, &http_request] { return connection->Get(http_request); };
    });
    grpc_rates.push_back(grpc_run.calls_per_second);
    http_rates.push_back(http_run.calls_per_second);
    grpc_cpu.push_back(grpc_run.server_cpu_us_per_call);
    http_cpu.push_back(http_run.server_cpu_us_per_call);
    failures += grpc_run.failures + http_run.failures;
  }
  const double grpc_rate = Median(grpc_rates), http_rate = Median(http_rates);
  std::printf(
      "Get %s, %d callers (one connection and one call in flight each), "
      "%s x %d, medians\n\n",
      name.c_str(), callers, absl::FormatDuration(duration).c_str(),
      absl::GetFlag(FLAGS_repetitions));
  std::printf("| transport | calls/s | server CPU per call |\n|---|---|---|\n");
  std::printf("| gRPC | %.0f | %.0f us |\n", grpc_rate, Median(grpc_cpu));
  std::printf("| HTTP/JSON | %.0f | %.0f us |\n", http_rate, Median(http_cpu));
  std::printf("\nREST/gRPC throughput ratio: %.2f\n", http_rate / grpc_rate);
  if (failures > 0) {
    std::printf("failed calls: %lld\n", static_cast<long long>(failures));
  }
  (void)(*server)->Stop();
  std::filesystem::remove_all(work);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace factgraph::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return factgraph::bench::Main();
}
