// factgraphd's server: the gRPC server with every service, the snapshot it
// serves, reload and graceful shutdown. Configured by ServerOptions only;
// flags live in main.cc.
#ifndef FACTGRAPH_SERVICE_SERVER_SERVER_H_
#define FACTGRAPH_SERVICE_SERVER_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "factgraph/v1/admin_service.pb.h"
#include "grpcpp/server.h"
#include "service/api/factgraph_service.h"
#include "service/api/health_service.h"
#include "service/query/page_token.h"
#include "service/server/access_log.h"
#include "service/server/connection_guard.h"
#include "service/server/http/transcoder.h"
#include "service/server/http_listener.h"
#include "service/server/log_format.h"
#include "service/server/monitoring_server.h"
#include "service/server/server_metrics.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::server {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see Server::port()).
  std::string listen = "0.0.0.0:50051";
  // Exactly one source: a seeds directory or a compiled snapshot file.
  std::string seeds_dir;
  std::string snapshot_file;

  // Bearer token of AdminService; empty means AdminService is not offered.
  std::string admin_token;
  // PEM contents. With a certificate and key the server speaks only TLS;
  // with a client CA too it requires and verifies client certificates.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::string tls_client_ca_pem;

  // Access log destination ("-" for stderr); empty means no access log.
  std::string access_log_path;
  // Text lines or one JSON object per line (log_format.h).
  LogFormat log_format = LogFormat::kText;
  // host:port of the HTTP monitoring listener (/metrics); empty means none.
  std::string monitoring_listen;
  // host:port of the HTTP/JSON listener: the REST mapping of the API
  // (docs/http.md) and the web explorer; empty means none.
  std::string http_listen;
  // Requests the HTTP/JSON listener serves at once (one thread each).
  int http_threads = 8;
  // Largest HTTP request body; a larger one is 413.
  int http_max_request_bytes = 1 << 20;
  // Origins allowed cross-origin HTTP/JSON requests ("*": any); empty: no
  // CORS.
  std::vector<std::string> http_cors_origins;
  // Also serve grpc.channelz.v1.Channelz on the gRPC port, to every caller.
  bool enable_channelz_service = false;
  // Told the outcome of every AdminService reload (main logs it the way it
  // logs a SIGHUP reload).
  std::function<void(const absl::StatusOr<v1::ReloadKnowledgeBaseResponse>&)>
      on_admin_reload;
  // Key of the page tokens' HMAC; empty means the built-in default
  // (query::PageTokenCodec::kDefaultSecret). Replicas that share it accept
  // each other's tokens.
  std::string page_token_secret;
  // How long a replaced snapshot keeps serving page tokens started on it.
  absl::Duration snapshot_retention = absl::Minutes(10);

  api::FactGraphServiceOptions service;

  // Transport limits.
  int max_message_bytes = 4 << 20;
  // Largest response message (gRPC's max send message size): a bigger one
  // is RESOURCE_EXHAUSTED. Well under max_message_bytes, so that callers
  // that do not read cannot make the server hold 4 MiB per call.
  int max_response_bytes = 1 << 20;
  // Response bytes built but not yet sent that one connection may hold
  // before its new unary calls are RESOURCE_EXHAUSTED; over all connections
  // the bound is memory_quota_bytes (connection_guard.h).
  int64_t max_unsent_response_bytes_per_connection = int64_t{16} << 20;
  // Calls ending cancelled on one connection within one second beyond which
  // the connection is closed (HTTP/2 rapid reset); 0: no limit.
  int max_cancellations_per_second = 500;
  int max_concurrent_streams = 100;
  int64_t memory_quota_bytes = int64_t{1} << 30;
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
  absl::Duration max_connection_idle = absl::Minutes(15);
  absl::Duration keepalive_time = absl::Minutes(1);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Clients that ping more often than this without data get GOAWAY.
  absl::Duration min_client_ping_interval = absl::Seconds(10);

  // Serve factgraph.bench.v1.EchoService (a method that does no work) for
  // benchmarks.
  bool enable_echo = false;

  // A knowledge base without documents or without entities is refused (at
  // start and at reload) unless this says an empty one is intended: a
  // truncated or half-published source must not replace a good one.
  bool allow_empty_knowledge_base = false;
};

class Server {
 public:
  // Builds and starts the server. With `initial` (see LoadSnapshot) it serves
  // that snapshot from the first connection on; without, health is
  // NOT_SERVING and calls are UNAVAILABLE until Reload() loads one.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      ServerOptions options,
      std::shared_ptr<const store::Snapshot> initial = nullptr);
  ~Server();

  // The port the server listens on.
  int port() const { return port_; }
  // The monitoring listener's port, or 0 without one.
  int monitoring_port() const {
    return monitoring_ == nullptr ? 0 : monitoring_->port();
  }

  // The HTTP/JSON listener's port, or 0 without one.
  int http_port() const {
    return http_listener_ == nullptr ? 0 : http_listener_->port();
  }

  // Loads the knowledge base from the configured source aside and swaps it
  // in; health turns SERVING. On a load error returns it (every problem, one
  // per line) and keeps serving what it had. Reloads are serialised: this
  // waits for one in flight.
  absl::StatusOr<v1::ReloadKnowledgeBaseResponse> Reload();

  // Reload() on the server's one reload thread, for the admin service and
  // SIGHUP; `done` gets its result on that thread. At most one runs: while
  // one is in flight `done` gets ABORTED at once, after Shutdown
  // UNAVAILABLE. Shutdown does not wait for a reload in flight: it calls
  // that reload's `done` with UNAVAILABLE and the reload's result is
  // dropped (SECURITY.md "Reloads").
  using ReloadDone =
      std::function<void(absl::StatusOr<v1::ReloadKnowledgeBaseResponse>)>;
  void StartReload(ReloadDone done);

  // Whether a StartReload reload is still running.
  bool ReloadInFlight() const;

  // Response bytes handed to gRPC and not yet sent, over all connections;
  // connections closed for resetting calls too fast.
  const ConnectionGuard& connection_guard() const { return *connection_guard_; }

  // The snapshot being served, or nullptr before the first load.
  std::shared_ptr<const store::Snapshot> CurrentSnapshot() const {
    return holder_.Current();
  }

  // Health turns NOT_SERVING, new calls are refused, calls in flight get
  // `grace` to finish before they are cancelled. Returns when all are done.
  void Shutdown(absl::Duration grace);

  // Blocks until the server has shut down.
  void Wait();

 private:
  explicit Server(ServerOptions options);
  absl::Status StartMonitoring();
  absl::Status StartHttp();

  const ServerOptions options_;
  store::SnapshotHolder holder_;
  query::PageTokenCodec tokens_;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<ConnectionGuard> connection_guard_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  api::HealthService* health_ = nullptr;  // Owned by services_.
  std::unique_ptr<grpc::Server> grpc_server_;
  int port_ = 0;
  // Null without --monitoring_listen. Declared after grpc_server_ so that
  // it stops first; its routes read this server.
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<MonitoringServer> monitoring_;
  // Null without --http_listen; the listener stops before the transcoder
  // its requests use goes.
  std::unique_ptr<http::Transcoder> transcoder_;
  std::unique_ptr<HttpListener> http_listener_;
  void RunStartedReload();

  absl::Mutex reload_mu_;
  // StartReload's state; never held while loading.
  mutable absl::Mutex started_reload_mu_;
  bool reload_in_flight_ ABSL_GUARDED_BY(started_reload_mu_) = false;
  bool refuse_reloads_ ABSL_GUARDED_BY(started_reload_mu_) = false;
  ReloadDone reload_done_ ABSL_GUARDED_BY(started_reload_mu_);
  std::thread reload_thread_ ABSL_GUARDED_BY(started_reload_mu_);
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

// Loads the knowledge base from the source `options` name (seeds directory
// or compiled snapshot); every problem, one per line, on failure.
absl::StatusOr<std::shared_ptr<const store::Snapshot>> LoadSnapshot(
    const ServerOptions& options);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_SERVER_H_
