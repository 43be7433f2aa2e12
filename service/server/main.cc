// factgraphd: serves the factgraph knowledge base over gRPC.
//
// Signals: SIGHUP reloads the knowledge base (an invalid one is refused and
// the current snapshot keeps serving); SIGTERM and SIGINT drain and exit 0.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "factgraph_version.h"
#include "service/server/log_format.h"
#include "service/server/server.h"
#include "service/store/file_reader.h"

#ifndef FACTGRAPH_DEFAULT_SEEDS_DIR
#define FACTGRAPH_DEFAULT_SEEDS_DIR "seeds"
#endif

ABSL_FLAG(std::string, listen, "0.0.0.0:50051",
          "host:port to listen on; port 0 picks a free port");
ABSL_FLAG(std::string, monitoring_listen, "",
          "host:port of the HTTP monitoring listener (/metrics for "
          "Prometheus, /debug/channelz/servers); never the gRPC port; empty "
          "means none");
ABSL_FLAG(std::string, http_listen, "",
          "host:port of the HTTP/JSON listener: the REST mapping of the API "
          "(google.api.http, docs/http.md) and the web explorer at /; plain "
          "HTTP, never the gRPC or monitoring port; empty means none");
ABSL_FLAG(std::string, port_file, "",
          "write the bound port to this file once serving");
ABSL_FLAG(std::string, monitoring_port_file, "",
          "write the monitoring listener's bound port to this file");
ABSL_FLAG(std::string, http_port_file, "",
          "write the HTTP/JSON listener's bound port to this file");
ABSL_FLAG(std::string, seeds, FACTGRAPH_DEFAULT_SEEDS_DIR,
          "seeds directory: documents/, documents.textproto, kb/*.textproto");
ABSL_FLAG(std::string, snapshot, "",
          "compiled snapshot file (factgraph compile) to serve instead of "
          "--seeds");
ABSL_FLAG(int32_t, max_page_size, 1000,
          "largest page List and Search return; larger requests are capped");
ABSL_FLAG(int32_t, default_page_size, 50, "page size when a List asks for 0");
ABSL_FLAG(int32_t, max_batch_size, 1000, "most names one BatchGet may ask for");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM server certificate chain; with --tls_key_file the server speaks "
          "only TLS");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle; when given, clients must present a certificate it "
          "signed (mutual TLS)");
ABSL_FLAG(std::string, admin_token_file, "",
          "file holding the bearer token AdminService requires; without it "
          "AdminService is not offered");
ABSL_FLAG(std::string, access_log, "",
          "append one line per call (time, peer, method, status, latency) to "
          "this file; '-' for stderr");
ABSL_FLAG(std::string, page_token_secret_file, "",
          "file holding the key that signs page tokens; replicas behind one "
          "load balancer must share it (default: a built-in key, which makes "
          "tokens tamper-evident but not unforgeable)");
ABSL_FLAG(absl::Duration, snapshot_retention, absl::Minutes(10),
          "how long a replaced snapshot keeps answering page tokens after a "
          "reload");
ABSL_FLAG(int32_t, max_message_bytes, 4 << 20,
          "largest request or response message");
ABSL_FLAG(int32_t, max_response_bytes, 1 << 20,
          "largest response message; a larger one is RESOURCE_EXHAUSTED");
ABSL_FLAG(int64_t, max_unsent_response_bytes_per_connection, int64_t{16} << 20,
          "response bytes one connection may leave unread before its new "
          "calls are RESOURCE_EXHAUSTED (over all connections: "
          "--memory_quota_bytes)");
ABSL_FLAG(int32_t, max_cancellations_per_second, 500,
          "calls ending cancelled on one connection within a second beyond "
          "which the connection is closed (HTTP/2 rapid reset, "
          "CVE-2023-44487); 0 for no limit");
ABSL_FLAG(int32_t, max_concurrent_streams, 100,
          "most concurrent calls per client connection");
ABSL_FLAG(int64_t, memory_quota_bytes, int64_t{1} << 30,
          "memory gRPC may use for calls before it refuses new ones");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(5),
          "close connections after this long so that clients rebalance over "
          "replicas");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Seconds(30),
          "time calls get to finish on a connection closed for its age");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "on SIGTERM, time calls in flight get before they are cancelled");
ABSL_FLAG(int32_t, max_graph_results, 1000,
          "most neighbours or paths a graph call returns");
ABSL_FLAG(int32_t, max_open_fact_streams, 256,
          "most QueryFacts streams open at once over all callers; more are "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(bool, mutex_deadlock_detection, false,
          "keep Abseil's Mutex deadlock detection on; Debian's Abseil enables "
          "it, and it costs 8-9% of the server's CPU on every call "
          "(docs/design.md, \"The process\")");
ABSL_FLAG(bool, allow_empty_knowledge_base, false,
          "serve a knowledge base without documents or without entities; "
          "without this flag one is refused at start and at reload, as a "
          "truncated or half-published source would be");
ABSL_FLAG(absl::Duration, malloc_trim_interval, absl::Seconds(10),
          "give freed heap memory back to the system this often (glibc "
          "malloc_trim), so that a burst's memory does not stay resident; 0 "
          "to never");
ABSL_FLAG(bool, enable_echo, false,
          "serve factgraph.bench.v1.EchoService for benchmarks");
ABSL_FLAG(bool, enable_channelz, false,
          "also serve grpc.channelz.v1.Channelz on the gRPC port; it lists "
          "every client's connection to any caller (README \"Operating\")");
ABSL_FLAG(int32_t, http_threads, 8,
          "HTTP/JSON requests served at once (one thread each)");
ABSL_FLAG(int32_t, http_max_request_bytes, 1 << 20,
          "largest HTTP/JSON request body; a larger one is 413");
ABSL_FLAG(std::vector<std::string>, http_cors_origins, {},
          "comma-separated origins allowed cross-origin HTTP/JSON requests "
          "(CORS), or * for any; empty: no CORS headers");
ABSL_FLAG(std::string, log_format, "text",
          "text, or json: one JSON object per line for the server's events "
          "and the access log");

namespace factgraph::server {
namespace {

EventLog* events = nullptr;

void Log(const std::string& message,
         std::initializer_list<LogField> fields = {},
         std::string_view level = "info") {
  events->Write(level, message, fields);
}

// A reload's outcome, from SIGHUP or AdminService, as one event.
void LogReload(const absl::StatusOr<v1::ReloadKnowledgeBaseResponse>& reloaded,
               std::string_view trigger) {
  if (reloaded.ok()) {
    Log(absl::StrCat("reloaded: snapshot ", reloaded->snapshot_id(),
                     reloaded->changed() ? "" : " (unchanged)"),
        {LogField::String("event", "reload"),
         LogField::String("trigger", trigger),
         LogField::String("outcome",
                          reloaded->changed() ? "loaded" : "unchanged"),
         LogField::String("snapshot_id", reloaded->snapshot_id())});
  } else {
    // "the knowledge base was refused...:" heads the problems, one per
    // line; JSON keeps the heading in the message, the problems apart.
    std::vector<std::string> errors = ErrorLines(reloaded.status().message());
    std::string heading = "reload refused";
    while (errors.size() > 1 && absl::EndsWith(errors.front(), ":")) {
      heading = absl::StrCat(heading, ": ", errors.front());
      heading.pop_back();
      errors.erase(errors.begin());
    }
    Log(heading,
        {LogField::String("event", "reload"),
         LogField::String("trigger", trigger),
         LogField::String("outcome", "refused"),
         LogField::Strings("errors", errors)},
        "error");
  }
}

absl::StatusOr<ServerOptions> OptionsFromFlags() {
  ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.snapshot_file = absl::GetFlag(FLAGS_snapshot);
  if (options.snapshot_file.empty())
    options.seeds_dir = absl::GetFlag(FLAGS_seeds);
  auto read_into = [](const std::string& path, std::string* out,
                      bool trim) -> absl::Status {
    if (path.empty()) return absl::OkStatus();
    absl::StatusOr<std::string> contents = store::ReadRegularFile(path);
    if (!contents.ok()) return contents.status();
    *out = *std::move(contents);
    if (trim) absl::StripTrailingAsciiWhitespace(out);
    return absl::OkStatus();
  };
  for (const auto& [path, out, trim] :
       {std::tuple{absl::GetFlag(FLAGS_admin_token_file), &options.admin_token,
                   true},
        std::tuple{absl::GetFlag(FLAGS_page_token_secret_file),
                   &options.page_token_secret, true},
        std::tuple{absl::GetFlag(FLAGS_tls_cert_file), &options.tls_cert_pem,
                   false},
        std::tuple{absl::GetFlag(FLAGS_tls_key_file), &options.tls_key_pem,
                   false},
        std::tuple{absl::GetFlag(FLAGS_tls_client_ca_file),
                   &options.tls_client_ca_pem, false}}) {
    if (absl::Status status = read_into(path, out, trim); !status.ok()) {
      return status;
    }
  }
  if (!absl::GetFlag(FLAGS_admin_token_file).empty() &&
      options.admin_token.empty()) {
    return absl::InvalidArgumentError("--admin_token_file holds no token");
  }
  options.access_log_path = absl::GetFlag(FLAGS_access_log);
  options.monitoring_listen = absl::GetFlag(FLAGS_monitoring_listen);
  options.enable_channelz_service = absl::GetFlag(FLAGS_enable_channelz);
  options.http_listen = absl::GetFlag(FLAGS_http_listen);
  options.http_threads = absl::GetFlag(FLAGS_http_threads);
  options.http_max_request_bytes = absl::GetFlag(FLAGS_http_max_request_bytes);
  options.http_cors_origins = absl::GetFlag(FLAGS_http_cors_origins);
  if (options.http_threads <= 0 || options.http_max_request_bytes <= 0) {
    return absl::InvalidArgumentError(
        "--http_threads and --http_max_request_bytes must be positive");
  }
  options.on_admin_reload =
      [](const absl::StatusOr<v1::ReloadKnowledgeBaseResponse>& reloaded) {
        LogReload(reloaded, "AdminService");
      };
  absl::StatusOr<LogFormat> log_format =
      ParseLogFormat(absl::GetFlag(FLAGS_log_format));
  if (!log_format.ok()) return log_format.status();
  options.log_format = *log_format;
  options.snapshot_retention = absl::GetFlag(FLAGS_snapshot_retention);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.max_response_bytes = absl::GetFlag(FLAGS_max_response_bytes);
  options.max_unsent_response_bytes_per_connection =
      absl::GetFlag(FLAGS_max_unsent_response_bytes_per_connection);
  options.max_cancellations_per_second =
      absl::GetFlag(FLAGS_max_cancellations_per_second);
  options.memory_quota_bytes = absl::GetFlag(FLAGS_memory_quota_bytes);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_connection_age_grace =
      absl::GetFlag(FLAGS_max_connection_age_grace);
  options.enable_echo = absl::GetFlag(FLAGS_enable_echo);
  options.allow_empty_knowledge_base =
      absl::GetFlag(FLAGS_allow_empty_knowledge_base);
  options.service.resources.list.max_page_size =
      absl::GetFlag(FLAGS_max_page_size);
  options.service.resources.list.default_page_size =
      absl::GetFlag(FLAGS_default_page_size);
  options.service.resources.max_batch_size =
      absl::GetFlag(FLAGS_max_batch_size);
  options.service.max_graph_results = absl::GetFlag(FLAGS_max_graph_results);
  options.service.max_open_fact_streams =
      absl::GetFlag(FLAGS_max_open_fact_streams);
  if (options.service.resources.list.max_page_size <= 0 ||
      options.service.resources.list.default_page_size <= 0 ||
      options.service.resources.max_batch_size <= 0 ||
      options.service.max_graph_results <= 0 ||
      options.service.max_open_fact_streams <= 0) {
    return absl::InvalidArgumentError(
        "--max_page_size, --default_page_size, --max_batch_size, "
        "--max_graph_results and --max_open_fact_streams must be positive");
  }
  return options;
}

absl::Status WritePortFile(const std::string& path, int port) {
  // Write aside and rename, so a reader never sees a partial file.
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << port << "\n";
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", temp));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", temp, " to ", path));
  }
  return absl::OkStatus();
}

// glibc keeps the pages of freed memory in its arenas: after a burst (a
// flood of calls, cancelled streams) resident memory stays at the burst's
// peak until something trims it. A trim of an idle heap costs well under a
// millisecond (SECURITY.md "Returning memory after bursts").
class PeriodicTrim {
 public:
  explicit PeriodicTrim(absl::Duration interval) {
#ifdef __GLIBC__
    if (interval <= absl::ZeroDuration()) return;
    thread_ = std::thread([this, interval] {
      while (!stop_.WaitForNotificationWithTimeout(interval)) malloc_trim(0);
    });
#endif
  }
  ~PeriodicTrim() {
    stop_.Notify();
    if (thread_.joinable()) thread_.join();
  }

 private:
  absl::Notification stop_;
  std::thread thread_;
};

int Run() {
  absl::StatusOr<ServerOptions> options = OptionsFromFlags();
  EventLog event_log(options.ok() ? options->log_format : LogFormat::kText,
                     stderr);
  events = &event_log;
  if (!options.ok()) {
    Log(std::string(options.status().message()), {}, "error");
    return 2;
  }
  if (options->log_format == LogFormat::kJson) SendGrpcLogsAsJson();
  // Signals are taken by sigwait below; block them before gRPC starts its
  // threads so that none of those receives them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string source = options->snapshot_file.empty()
                                 ? "seeds " + options->seeds_dir
                                 : "snapshot " + options->snapshot_file;
  // Load before listening, so that no client of a starting replica reaches
  // it before it can answer.
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      LoadSnapshot(*options);
  if (!snapshot.ok()) {
    Log(absl::StrCat("cannot load ", source),
        {LogField::Strings("errors", ErrorLines(snapshot.status().message()))},
        "error");
    return 1;
  }
  const std::string snapshot_id = (*snapshot)->id();
  Log(absl::StrCat("loaded ", source, ": snapshot ", snapshot_id, ", ",
                   (*snapshot)->fact_count(), " facts"),
      {LogField::String("event", "load"),
       LogField::String("snapshot_id", snapshot_id),
       LogField::String("source", (*snapshot)->source()),
       LogField::Int("facts",
                     static_cast<int64_t>((*snapshot)->fact_count()))});
  absl::StatusOr<std::unique_ptr<Server>> server =
      Server::Start(*options, *std::move(snapshot));
  if (!server.ok()) {
    Log(std::string(server.status().message()), {}, "error");
    return 1;
  }
  const int monitoring_port = (*server)->monitoring_port();
  const int http_port = (*server)->http_port();
  Log(absl::StrCat("serving ", source, " (snapshot ", snapshot_id, ") on port ",
                   (*server)->port(),
                   monitoring_port == 0
                       ? ""
                       : absl::StrCat(", monitoring on port ", monitoring_port),
                   http_port == 0
                       ? ""
                       : absl::StrCat(", HTTP/JSON on port ", http_port)),
      {LogField::String("event", "start"),
       LogField::String("snapshot_id", snapshot_id),
       LogField::Int("port", (*server)->port()),
       LogField::Int("monitoring_port", monitoring_port),
       LogField::Int("http_port", http_port)});
  for (const auto& [path, port] :
       {std::pair{absl::GetFlag(FLAGS_monitoring_port_file), monitoring_port},
        std::pair{absl::GetFlag(FLAGS_http_port_file), http_port}}) {
    if (path.empty()) continue;
    if (absl::Status status = WritePortFile(path, port); !status.ok()) {
      Log(std::string(status.message()), {}, "error");
      (*server)->Shutdown(absl::ZeroDuration());
      return 1;
    }
  }
  PeriodicTrim trim(absl::GetFlag(FLAGS_malloc_trim_interval));
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    if (absl::Status status = WritePortFile(port_file, (*server)->port());
        !status.ok()) {
      Log(std::string(status.message()), {}, "error");
      (*server)->Shutdown(absl::ZeroDuration());
      return 1;
    }
  }

  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      // On the server's reload thread, so that this loop keeps answering
      // signals (SIGTERM above all) whatever the reload is doing.
      (*server)->StartReload(
          [](const absl::StatusOr<v1::ReloadKnowledgeBaseResponse>& reloaded) {
            LogReload(reloaded, "SIGHUP");
          });
      continue;
    }
    const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
    Log(absl::StrCat("shutting down (", strsignal(signal),
                     "), draining for up to ", absl::FormatDuration(grace)),
        {LogField::String("event", "drain"),
         LogField::String("signal", strsignal(signal)),
         LogField::Seconds("grace_seconds", grace)});
    (*server)->Shutdown(grace);
    (*server)->Wait();
    if ((*server)->ReloadInFlight()) {
      // Its files are still being read: exit without waiting for them.
      Log("stopped; a reload in progress was abandoned",
          {LogField::String("event", "exit")});
      std::fflush(nullptr);
      std::_Exit(0);
    }
    Log("stopped", {LogField::String("event", "exit")});
    return 0;
  }
}

// glibc gives each new thread its own malloc arena, up to 8 per core, and an
// arena keeps the pages of what was freed in it. Every reload builds a
// snapshot on whichever thread runs it, so without a limit resident memory
// rises in steps as reloads land in new arenas (docs/design.md, "The
// process"). The operator's MALLOC_ARENA_MAX, glibc's own setting, wins.
void LimitMallocArenas() {
#ifdef __GLIBC__
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  const unsigned cores = std::thread::hardware_concurrency();
  mallopt(M_ARENA_MAX, static_cast<int>(cores == 0 ? 2 : cores));
#endif
}

}  // namespace
}  // namespace factgraph::server

int main(int argc, char** argv) {
  factgraph::server::LimitMallocArenas();
  absl::SetProgramUsageMessage(
      "Serves the factgraph knowledge base over gRPC.\n"
      "  factgraphd [--listen=HOST:PORT] [--seeds=DIR | --snapshot=FILE] ...\n"
      "SIGHUP reloads; SIGTERM/SIGINT drain and exit 0.");
  // --help lists factgraphd's own flags, not those of the libraries.
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "service/server/main.cc");
  };
  usage.version_string = [] {
    return std::string("factgraphd " FACTGRAPH_VERSION_STRING "\n");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_mutex_deadlock_detection)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }
  return factgraph::server::Run();
}
