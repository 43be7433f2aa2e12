// factgraph_loadgen: starts factgraphd (or targets a running one that serves
// the echo service), then measures the echo baseline and the query mix with
// the same server, in the same run, and prints Markdown tables. Exits 1 when
// any call ended non-OK, 2 on a setup error.
//
//   factgraph_loadgen [--seeds=DIR | --snapshot=FILE | --synthetic_entities=N
//                      | --target=HOST:PORT] [--quick] [--startup_only] ...
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "bench/loadgen/facts_stream.h"
#include "bench/loadgen/load_runner.h"
#include "bench/loadgen/server_process.h"
#include "bench/loadgen/workloads.h"
#include "bench/synthetic/synthetic_kb.h"
#include "service/query/compiled_snapshot.h"
#include "tests/support/query_set.h"

ABSL_FLAG(std::string, target, "",
          "host:port of a running factgraphd started with --enable_echo; "
          "empty starts one");
ABSL_FLAG(int32_t, target_pid, 0,
          "with --target: the server's process id, to report its CPU time "
          "per call");
ABSL_FLAG(std::string, server_binary, FACTGRAPH_FACTGRAPHD_PATH,
          "factgraphd to start");
ABSL_FLAG(std::string, seeds, FACTGRAPH_DEFAULT_SEEDS_DIR,
          "seeds directory the started server loads");
ABSL_FLAG(std::string, snapshot, "",
          "compiled snapshot the started server loads instead of --seeds");
ABSL_FLAG(int64_t, synthetic_entities, 0,
          "generate a synthetic knowledge base of this many entities as a "
          "compiled snapshot and serve it instead of --seeds");
ABSL_FLAG(int32_t, channels, 4, "channels (TCP connections)");
ABSL_FLAG(int32_t, in_flight, 32, "calls in flight in the closed loop");
ABSL_FLAG(int32_t, client_threads, 1,
          "client threads, each with its own completion queue");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "warm-up before each measurement");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5),
          "length of each measurement");
ABSL_FLAG(int32_t, repetitions, 3,
          "closed-loop runs of every workload, interleaved; medians are "
          "reported (many short runs, e.g. --repetitions=30 "
          "--duration=500ms --warmup=100ms, pair each with an echo run "
          "closer in time than a few long ones do)");
ABSL_FLAG(double, open_loop_fraction, 0.5,
          "also send each workload at this fraction of the echo baseline's "
          "maximum rate and report its latency; 0 skips");
ABSL_FLAG(absl::Duration, facts_duration, absl::Seconds(3),
          "how long to stream QueryFacts; 0 skips");
ABSL_FLAG(int32_t, facts_limit, 1000000, "facts per QueryFacts call");
ABSL_FLAG(bool, startup_only, false,
          "only start the server and report its start time and memory");
ABSL_FLAG(std::string, only, "",
          "run only the workloads whose label contains this text (and the "
          "echo baseline)");
ABSL_FLAG(std::string, search_queries, "",
          "also run SearchEntities (page size 10) over the queries of this "
          "file: one per line, up to a tab (tests/relevance/queries.tsv has "
          "that form); empty lines and lines starting with # are skipped");
ABSL_FLAG(bool, echo_only, false,
          "measure only the echo baseline (e.g. of another echo server given "
          "with --target)");
ABSL_FLAG(bool, compare_metrics, false,
          "also start a factgraphd with --monitoring_listen (metrics on) and "
          "run every workload on it too, interleaved, labelled \"(metrics "
          "on)\"; ratios stay to the echo run without metrics");
ABSL_FLAG(
    bool, quick, false,
    "a few seconds in all: a 2000-entity synthetic knowledge base (unless "
    "a source is given), short runs, one repetition");

namespace factgraph::bench {
namespace {

void Say(const std::string& text) {
  std::fputs(text.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "factgraph_loadgen: %s\n", status.ToString().c_str());
  return 2;
}

std::string Mib(int64_t bytes) {
  return absl::StrFormat("%.1f MiB", static_cast<double>(bytes) / (1 << 20));
}

std::string Micros(absl::Duration duration) {
  return absl::StrFormat("%.0f", absl::ToDoubleMicroseconds(duration));
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return absl::StrCat(one, " ", five, " ", fifteen);
}

template <typename T, typename Get>
T Median(const std::vector<LoadResult>& results, Get get) {
  std::vector<T> values;
  for (const LoadResult& result : results) values.push_back(get(result));
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double MedianOf(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Each run's rate over that of the echo run of the same repetition (run just
// before it): a change in the machine's load that lasts longer than a
// repetition affects both alike, so their ratio varies less than either
// rate does.
std::vector<double> PairedRatios(const std::vector<LoadResult>& runs,
                                 const std::vector<LoadResult>& echo_runs) {
  std::vector<double> ratios;
  for (size_t r = 0; r < runs.size() && r < echo_runs.size(); ++r) {
    const double echo = echo_runs[r].calls_per_second;
    ratios.push_back(echo > 0 ? runs[r].calls_per_second / echo : 0.0);
  }
  return ratios;
}

// The ratios of every run when they are few; with more, their quartiles
// (the middle half of the runs lies between them).
std::string DescribeRatios(std::vector<double> ratios) {
  constexpr size_t kListedRuns = 9;
  if (ratios.size() <= kListedRuns) {
    return absl::StrJoin(ratios, " ", [](std::string* out, double ratio) {
      absl::StrAppendFormat(out, "%.2f", ratio);
    });
  }
  std::sort(ratios.begin(), ratios.end());
  return absl::StrFormat("%.2f-%.2f (quartiles of %d)",
                         ratios[ratios.size() / 4],
                         ratios[ratios.size() * 3 / 4], ratios.size());
}

absl::Duration ClientCpuTime() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return absl::DurationFromTimeval(usage.ru_utime) +
         absl::DurationFromTimeval(usage.ru_stime);
}

std::string NonOk(const LoadResult& result) {
  if (result.non_ok == 0) return "0";
  std::vector<std::string> codes;
  for (const auto& [code, count] : result.non_ok_by_code) {
    codes.push_back(absl::StrCat(count, " x code ", code));
  }
  return absl::StrCat(result.non_ok, " (", absl::StrJoin(codes, ", "),
                      "; first: ", result.first_error, ")");
}

// Chooses the server's knowledge base; may generate a synthetic one into
// `work_dir`.
absl::StatusOr<std::vector<std::string>> SourceFlags(
    const std::string& work_dir, int64_t* snapshot_bytes) {
  int64_t entities = absl::GetFlag(FLAGS_synthetic_entities);
  const bool source_given =
      !absl::GetFlag(FLAGS_snapshot).empty() || entities > 0 ||
      absl::GetFlag(FLAGS_seeds) != std::string(FACTGRAPH_DEFAULT_SEEDS_DIR);
  if (absl::GetFlag(FLAGS_quick) && !source_given) entities = 2000;
  std::string snapshot = absl::GetFlag(FLAGS_snapshot);
  if (entities > 0) {
    synthetic::SyntheticOptions options;
    options.entities = entities;
    snapshot = work_dir + "/synthetic.snapshot";
    const absl::Time start = absl::Now();
    if (absl::Status status = query::WriteCompiledKnowledgeBaseWithIndexes(
            synthetic::GenerateKnowledgeBase(options), snapshot);
        !status.ok()) {
      return status;
    }
    Say(absl::StrCat("Generated a synthetic knowledge base of ", entities,
                     " entities in ", absl::FormatDuration(absl::Now() - start),
                     "."));
  }
  if (snapshot.empty()) {
    return std::vector<std::string>{"--seeds=" + absl::GetFlag(FLAGS_seeds)};
  }
  std::error_code error;
  const auto size = std::filesystem::file_size(snapshot, error);
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", snapshot, ": ", error.message()));
  }
  *snapshot_bytes = static_cast<int64_t>(size);
  return std::vector<std::string>{"--snapshot=" + snapshot};
}

void ReportServer(const ServerProcess& server,
                  const std::vector<std::string>& flags,
                  int64_t snapshot_bytes) {
  std::string line = absl::StrCat(
      "Server: factgraphd ", absl::StrJoin(flags, " "), " reached SERVING in ",
      absl::StrFormat("%.1f ms",
                      absl::ToDoubleMilliseconds(server.startup_time())));
  // CPU time too: on a shared machine the wall time includes waiting for a
  // core.
  if (absl::StatusOr<absl::Duration> cpu = server.CpuTime(); cpu.ok()) {
    absl::StrAppend(&line, absl::StrFormat(" (server CPU time %.2f s)",
                                           absl::ToDoubleSeconds(*cpu)));
  }
  absl::StatusOr<int64_t> peak = server.PeakResidentBytes();
  absl::StatusOr<int64_t> resident = server.ResidentBytes();
  if (peak.ok() && resident.ok()) {
    absl::StrAppend(&line, "; resident memory ", Mib(*resident), ", peak ",
                    Mib(*peak));
    if (snapshot_bytes > 0) {
      absl::StrAppend(&line, "; snapshot file ", Mib(snapshot_bytes),
                      absl::StrFormat(" (peak = %.2f x file)",
                                      static_cast<double>(*peak) /
                                          static_cast<double>(snapshot_bytes)));
    }
  }
  Say(line + ".");
}

int Run() {
  const bool quick = absl::GetFlag(FLAGS_quick);
  LoadOptions load;
  load.threads = absl::GetFlag(FLAGS_client_threads);
  load.in_flight = absl::GetFlag(FLAGS_in_flight);
  load.warmup = quick ? absl::Milliseconds(100) : absl::GetFlag(FLAGS_warmup);
  load.duration =
      quick ? absl::Milliseconds(300) : absl::GetFlag(FLAGS_duration);
  const int repetitions = quick ? 1 : absl::GetFlag(FLAGS_repetitions);
  const absl::Duration facts_duration =
      quick ? absl::Milliseconds(300) : absl::GetFlag(FLAGS_facts_duration);
  if (load.threads < 1 || load.in_flight < 1 || repetitions < 1 ||
      absl::GetFlag(FLAGS_channels) < 1 ||
      load.duration <= absl::ZeroDuration()) {
    return Fail(absl::InvalidArgumentError(
        "--client_threads, --in_flight, --repetitions, --channels and "
        "--duration must be positive"));
  }
  // Read before a server is started, so that a bad file fails at once.
  const std::string queries_file = absl::GetFlag(FLAGS_search_queries);
  std::vector<std::string> own_queries;
  if (!queries_file.empty()) {
    absl::StatusOr<std::vector<std::string>> queries =
        test_support::ReadQuerySet(queries_file);
    if (!queries.ok()) return Fail(queries.status());
    if (queries->empty()) {
      return Fail(
          absl::InvalidArgumentError(absl::StrCat(queries_file, ": no query")));
    }
    own_queries = *std::move(queries);
  }

  char work_dir_template[] = "/tmp/factgraph_loadgen.XXXXXX";
  if (mkdtemp(work_dir_template) == nullptr) {
    return Fail(absl::InternalError("cannot create a temporary directory"));
  }
  const std::string work_dir = work_dir_template;
  struct RemoveOnExit {
    std::string path;
    ~RemoveOnExit() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } remove_work_dir{work_dir};

  Say(absl::StrCat("Machine: ", std::thread::hardware_concurrency(),
                   " cores, load average ", LoadAverage(), "."));
  std::string target = absl::GetFlag(FLAGS_target);
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<ServerProcess> metrics_server;
  if (target.empty()) {
    int64_t snapshot_bytes = 0;
    absl::StatusOr<std::vector<std::string>> flags =
        SourceFlags(work_dir, &snapshot_bytes);
    if (!flags.ok()) return Fail(flags.status());
    absl::StatusOr<std::unique_ptr<ServerProcess>> started =
        ServerProcess::Start({absl::GetFlag(FLAGS_server_binary), *flags,
                              work_dir, absl::Minutes(5)});
    if (!started.ok()) return Fail(started.status());
    server = *std::move(started);
    ReportServer(*server, *flags, snapshot_bytes);
    target = absl::StrCat("127.0.0.1:", server->port());
    if (absl::GetFlag(FLAGS_compare_metrics)) {
      std::filesystem::create_directories(work_dir + "/metrics-on");
      std::vector<std::string> metrics_flags = *flags;
      metrics_flags.push_back("--monitoring_listen=127.0.0.1:0");
      absl::StatusOr<std::unique_ptr<ServerProcess>> metrics_started =
          ServerProcess::Start({absl::GetFlag(FLAGS_server_binary),
                                metrics_flags, work_dir + "/metrics-on",
                                absl::Minutes(5)});
      if (!metrics_started.ok()) return Fail(metrics_started.status());
      metrics_server = *std::move(metrics_started);
      Say("A second factgraphd serves the same knowledge base with "
          "--monitoring_listen (metrics on).");
    }
    if (absl::GetFlag(FLAGS_startup_only)) {
      absl::Status stopped = server->Stop();
      if (!stopped.ok()) return Fail(stopped);
      return 0;
    }
  }

  std::vector<std::shared_ptr<grpc::Channel>> channels =
      MakeChannels(target, absl::GetFlag(FLAGS_channels));
  const bool echo_only = absl::GetFlag(FLAGS_echo_only);
  absl::StatusOr<std::vector<Workload>> workloads =
      std::vector<Workload>{EchoWorkload()};
  if (!echo_only) workloads = DiscoverWorkloads(channels.front());
  if (!workloads.ok()) return Fail(workloads.status());
  if (!own_queries.empty() && !echo_only) {
    absl::StatusOr<std::vector<Workload>> searches = QueryWorkloads(
        channels.front(), own_queries,
        absl::StrCat("SearchEntities page_size=10, ", own_queries.size(),
                     " queries of ",
                     std::filesystem::path(queries_file).filename().string()));
    if (!searches.ok()) return Fail(searches.status());
    for (Workload& search : *searches) workloads->push_back(std::move(search));
  }
  const std::string only = absl::GetFlag(FLAGS_only);
  workloads->erase(std::remove_if(workloads->begin() + 1, workloads->end(),
                                  [&](const Workload& workload) {
                                    return !absl::StrContains(workload.label,
                                                              only);
                                  }),
                   workloads->end());
  // Which server each workload runs on: 0 without metrics, 1 with.
  std::vector<int> server_of(workloads->size(), 0);
  std::vector<std::shared_ptr<grpc::Channel>> metrics_channels;
  if (metrics_server != nullptr) {
    metrics_channels =
        MakeChannels(absl::StrCat("127.0.0.1:", metrics_server->port()),
                     absl::GetFlag(FLAGS_channels));
    const size_t count = workloads->size();
    for (size_t i = 0; i < count; ++i) {
      Workload twin = (*workloads)[i];
      twin.label += " (metrics on)";
      workloads->push_back(std::move(twin));
      server_of.push_back(1);
    }
  }
  auto channels_of = [&](size_t i) -> const auto& {
    return server_of[i] == 1 ? metrics_channels : channels;
  };

  // Closed loop, interleaved so that a change in the machine's load affects
  // every workload alike.
  const pid_t target_pid = absl::GetFlag(FLAGS_target_pid);
  auto server_cpu_time = [&](size_t i) -> absl::StatusOr<absl::Duration> {
    if (server_of[i] == 1) return metrics_server->CpuTime();
    if (server != nullptr) return server->CpuTime();
    if (target_pid > 0) return ProcessCpuTime(target_pid);
    return absl::UnavailableError("the server's process is not known");
  };
  // Alongside, the CPU time each call cost the server and the client: unlike
  // rates, it hardly depends on what else the machine is doing.
  std::vector<std::vector<LoadResult>> runs(workloads->size());
  std::vector<std::vector<double>> server_cpu(workloads->size());
  std::vector<std::vector<double>> client_cpu(workloads->size());
  for (int repetition = 0; repetition < repetitions; ++repetition) {
    for (size_t i = 0; i < workloads->size(); ++i) {
      const absl::StatusOr<absl::Duration> server_before = server_cpu_time(i);
      const absl::Duration client_before = ClientCpuTime();
      runs[i].push_back(RunLoad(channels_of(i), (*workloads)[i], load));
      const double calls =
          static_cast<double>(std::max<int64_t>(1, runs[i].back().total_calls));
      client_cpu[i].push_back(
          absl::ToDoubleMicroseconds(ClientCpuTime() - client_before) / calls);
      const absl::StatusOr<absl::Duration> server_after = server_cpu_time(i);
      server_cpu[i].push_back(
          server_before.ok() && server_after.ok()
              ? absl::ToDoubleMicroseconds(*server_after - *server_before) /
                    calls
              : 0.0);
    }
  }
  int64_t non_ok = 0;
  Say(absl::StrFormat(
      "\nClosed loop: %d channels, %d calls in flight, %d client thread(s), "
      "%s warm-up + %s per run, %d run(s) per workload (medians; x echo is "
      "the median of each run's ratio to the echo run of the same "
      "repetition).\n",
      absl::GetFlag(FLAGS_channels), load.in_flight, load.threads,
      absl::FormatDuration(load.warmup), absl::FormatDuration(load.duration),
      repetitions));
  Say("| workload | calls/s | x echo | x echo per run | p50 us | p90 us | "
      "p99 us | max us | server CPU us/call | client CPU us/call | x echo "
      "by CPU | non-OK |");
  Say("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
  const double echo_cpu = MedianOf(server_cpu[0]) + MedianOf(client_cpu[0]);
  const double echo_rate = Median<double>(
      runs[0], [](const LoadResult& r) { return r.calls_per_second; });
  for (size_t i = 0; i < workloads->size(); ++i) {
    const std::vector<LoadResult>& results = runs[i];
    const std::vector<double> ratios = PairedRatios(results, runs[0]);
    LoadResult total;
    for (size_t r = 0; r < results.size(); ++r) {
      total.non_ok += results[r].non_ok;
      for (const auto& [code, count] : results[r].non_ok_by_code) {
        total.non_ok_by_code[code] += count;
      }
      if (total.first_error.empty()) total.first_error = results[r].first_error;
    }
    non_ok += total.non_ok;
    const double rate = Median<double>(
        results, [](const LoadResult& r) { return r.calls_per_second; });
    auto median = [&](absl::Duration LoadResult::*field) {
      return Micros(Median<absl::Duration>(
          results, [field](const LoadResult& r) { return r.*field; }));
    };
    const double cpu = MedianOf(server_cpu[i]) + MedianOf(client_cpu[i]);
    Say(absl::StrFormat(
        "| %s | %.0f | %.2f | %s | %s | %s | %s | %s | %.1f | %.1f | %.2f | "
        "%s |",
        (*workloads)[i].label, rate, MedianOf(ratios), DescribeRatios(ratios),
        median(&LoadResult::p50), median(&LoadResult::p90),
        median(&LoadResult::p99), median(&LoadResult::max),
        MedianOf(server_cpu[i]), MedianOf(client_cpu[i]),
        cpu > 0 ? echo_cpu / cpu : 0.0, NonOk(total)));
  }

  const double fraction = absl::GetFlag(FLAGS_open_loop_fraction);
  if (fraction > 0 && echo_rate > 0) {
    LoadOptions open = load;
    open.rate = fraction * echo_rate;
    Say(absl::StrFormat(
        "\nOpen loop at %.2f x the echo baseline's maximum rate = %.0f "
        "calls/s (latency from the scheduled send time).\n",
        fraction, open.rate));
    Say("| workload | calls/s | p50 us | p90 us | p99 us | max us | unsent "
        "(overload) | non-OK |");
    Say("|---|---:|---:|---:|---:|---:|---:|---|");
    for (size_t i = 0; i < workloads->size(); ++i) {
      const Workload& workload = (*workloads)[i];
      const double maximum = Median<double>(
          runs[i], [](const LoadResult& r) { return r.calls_per_second; });
      if (maximum < open.rate) {
        // Offered more than it can serve, its queue and latency would only
        // grow until the calls' deadlines.
        Say(absl::StrFormat(
            "| %s | - | - | - | - | - | - | not run: its maximum, %.0f "
            "calls/s, is below the offered rate |",
            workload.label, maximum));
        continue;
      }
      const LoadResult result = RunLoad(channels_of(i), workload, open);
      non_ok += result.non_ok;
      Say(absl::StrFormat("| %s | %.0f | %s | %s | %s | %s | %d | %s |",
                          workload.label, result.calls_per_second,
                          Micros(result.p50), Micros(result.p90),
                          Micros(result.p99), Micros(result.max), result.unsent,
                          NonOk(result)));
    }
  }

  if (facts_duration > absl::ZeroDuration() && !echo_only) {
    const absl::StatusOr<absl::Duration> server_before = server_cpu_time(0);
    const absl::Duration client_before = ClientCpuTime();
    absl::StatusOr<FactsStreamResult> facts = MeasureFactsStream(
        channels.front(), facts_duration, absl::GetFlag(FLAGS_facts_limit));
    const absl::StatusOr<absl::Duration> server_after = server_cpu_time(0);
    const absl::Duration client_cpu = ClientCpuTime() - client_before;
    if (!facts.ok()) {
      ++non_ok;
      Say(absl::StrCat("\nQueryFacts failed: ", facts.status().ToString()));
    } else {
      const double count =
          static_cast<double>(std::max<int64_t>(1, facts->facts));
      std::string server_cost = "unknown";
      if (server_before.ok() && server_after.ok()) {
        server_cost = absl::StrFormat(
            "%.2f",
            absl::ToDoubleMicroseconds(*server_after - *server_before) / count);
      }
      Say(absl::StrFormat(
          "\nQueryFacts to one client: %d facts in %d call(s) in %.2f s = "
          "%.0f facts/s (CPU per fact: server %s us, client %.2f us).",
          facts->facts, facts->calls, absl::ToDoubleSeconds(facts->elapsed),
          facts->facts_per_second, server_cost,
          absl::ToDoubleMicroseconds(client_cpu) / count));
    }
  }

  // Close the connections first: the server's graceful stop waits for them.
  channels.clear();
  metrics_channels.clear();
  if (metrics_server != nullptr) {
    if (absl::Status stopped = metrics_server->Stop(); !stopped.ok()) {
      return Fail(stopped);
    }
  }
  if (server != nullptr) {
    absl::StatusOr<int64_t> peak = server->PeakResidentBytes();
    if (peak.ok())
      Say(absl::StrCat("Server peak resident memory: ", Mib(*peak), "."));
    if (absl::Status stopped = server->Stop(); !stopped.ok()) {
      return Fail(stopped);
    }
  }
  Say(absl::StrCat("Load average at the end: ", LoadAverage(), "."));
  Say(absl::StrCat("Non-OK statuses: ", non_ok, "."));
  return non_ok == 0 ? 0 : 1;
}

}  // namespace
}  // namespace factgraph::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Load generator for factgraphd: echo baseline and query mix.");
  absl::ParseCommandLine(argc, argv);
  return factgraph::bench::Run();
}
