#include "service/server/server.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "factgraph/v1/admin_service.grpc.pb.h"
#include "grpc/grpc.h"
#include "grpc/support/alloc.h"
#include "grpcpp/ext/channelz_service_plugin.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/api/admin_service.h"
#include "service/api/resource_methods.h"
#include "service/query/compiled_snapshot.h"
#include "service/query/search.h"
#include "service/server/call_observer.h"
#include "service/server/echo_service.h"
#include "service/store/collections.h"
#include "service/store/file_reader.h"
#include "service/store/loader.h"

namespace factgraph::server {
namespace {

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

std::shared_ptr<grpc::ServerCredentials> Credentials(
    const ServerOptions& options) {
  if (options.tls_cert_pem.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl(
      options.tls_client_ca_pem.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = options.tls_client_ca_pem;
  ssl.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
  return grpc::SslServerCredentials(ssl);
}

// "documents", "entities", both, or "" when the knowledge base has some of
// each.
std::string MissingContent(const store::Snapshot& snapshot) {
  size_t documents = 0;
  size_t entities = 0;
  for (const store::Collection& collection : store::AllCollections()) {
    const size_t size = snapshot.Resources(collection).size();
    (collection.descriptor == v1::Document::descriptor() ? documents
                                                         : entities) += size;
  }
  if (documents == 0 && entities == 0) return "documents and no entities";
  if (documents == 0) return "documents";
  if (entities == 0) return "entities";
  return "";
}

// The port part of host:port (all of it without a colon).
std::string PortOf(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  return colon == std::string::npos ? listen : listen.substr(colon + 1);
}

// The services whose methods get metric series of their own.
std::vector<std::string> ServedServiceNames(const ServerOptions& options) {
  std::vector<std::string> names = {v1::FactGraphService::service_full_name(),
                                    "grpc.health.v1.Health",
                                    "grpc.reflection.v1alpha.ServerReflection"};
  if (!options.admin_token.empty()) {
    names.push_back(v1::AdminService::service_full_name());
  }
  if (options.enable_echo) names.push_back("factgraph.bench.v1.EchoService");
  if (options.enable_channelz_service) {
    names.push_back("grpc.channelz.v1.Channelz");
  }
  return names;
}

// A JSON string gRPC core allocated, as a std::string.
std::string TakeGrpcString(char* json) {
  std::string text = json == nullptr ? "{}" : json;
  gpr_free(json);
  return text;
}

// Opens what a snapshot's first calls would otherwise open while they
// wait: the search index (read from a compiled file, built for seeds;
// LoadSnapshot opened it already, so this is the memo's copy unless the
// memo dropped it). Done before the snapshot serves.
void WarmSnapshot(const std::shared_ptr<const store::Snapshot>& snapshot) {
  query::SearchIndexFor(snapshot);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const store::Snapshot>> LoadSnapshot(
    const ServerOptions& options) {
  // A compiled snapshot's search index is read from its file and validated
  // as part of the load; a seeds snapshot's is built here. Either way a bad
  // index fails the load (and a reload keeps the old snapshot serving).
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      options.snapshot_file.empty()
          ? store::LoadSeeds(options.seeds_dir)
          : query::LoadCompiledSnapshotWithIndexes(options.snapshot_file);
  if (snapshot.ok()) {
    if (absl::StatusOr<std::shared_ptr<const query::search::SearchIndex>>
            index = query::OpenSearchIndex(*snapshot);
        !index.ok()) {
      return index.status();
    }
  }
  if (!snapshot.ok() || options.allow_empty_knowledge_base) return snapshot;
  if (std::string missing = MissingContent(**snapshot); !missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        (*snapshot)->source(), ": the knowledge base has no ", missing,
        " (start with --allow_empty_knowledge_base if that is intended)"));
  }
  return snapshot;
}

Server::Server(ServerOptions options)
    : options_(std::move(options)),
      holder_(store::SnapshotHolder::Options{options_.snapshot_retention, 4}),
      tokens_(options_.page_token_secret) {}

Server::~Server() {
  Shutdown(absl::ZeroDuration());
  // Reloads read only regular files (store::ReadRegularFile), so this ends;
  // factgraphd does not wait for it on SIGTERM (main.cc).
  std::thread reload_thread;
  {
    absl::MutexLock lock(&started_reload_mu_);
    reload_thread = std::move(reload_thread_);
  }
  if (reload_thread.joinable()) reload_thread.join();
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    ServerOptions options, std::shared_ptr<const store::Snapshot> initial) {
  // A schema that breaks the standard methods' convention fails here, not on
  // its first call.
  if (absl::Status schema = api::CheckStandardMethodSchema(); !schema.ok()) {
    return schema;
  }
  if (options.seeds_dir.empty() == options.snapshot_file.empty()) {
    return absl::InvalidArgumentError(
        "exactly one of a seeds directory and a snapshot file must be given");
  }
  if (options.tls_cert_pem.empty() != options.tls_key_pem.empty()) {
    return absl::InvalidArgumentError("TLS needs both a certificate and a key");
  }
  if (!options.tls_client_ca_pem.empty() && options.tls_cert_pem.empty()) {
    return absl::InvalidArgumentError(
        "a client CA (mutual TLS) needs a server certificate and key");
  }
  if (!options.monitoring_listen.empty() &&
      PortOf(options.monitoring_listen) == PortOf(options.listen) &&
      PortOf(options.listen) != "0") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--monitoring_listen ", options.monitoring_listen,
        " must not share the gRPC port of --listen ", options.listen));
  }
  if (!options.http_listen.empty() && PortOf(options.http_listen) != "0" &&
      (PortOf(options.http_listen) == PortOf(options.listen) ||
       PortOf(options.http_listen) == PortOf(options.monitoring_listen))) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen ", options.http_listen,
                     " must not share the port of --listen or "
                     "--monitoring_listen"));
  }
  std::unique_ptr<Server> server(new Server(std::move(options)));
  const ServerOptions& opts = server->options_;

  if (!opts.access_log_path.empty()) {
    absl::StatusOr<std::unique_ptr<AccessLog>> log =
        AccessLog::Open(opts.access_log_path);
    if (!log.ok()) return log.status();
    server->access_log_ = *std::move(log);
  }

  auto health = std::make_unique<api::HealthService>(
      std::vector<std::string>{v1::FactGraphService::service_full_name()});
  server->health_ = health.get();
  server->services_.push_back(std::move(health));
  server->connection_guard_ =
      std::make_unique<ConnectionGuard>(ConnectionGuardOptions{
          opts.max_unsent_response_bytes_per_connection,
          opts.memory_quota_bytes, opts.max_cancellations_per_second});
  api::FactGraphServiceOptions service_options = opts.service;
  service_options.admission = server->connection_guard_.get();
  server->services_.push_back(std::make_unique<api::FactGraphService>(
      &server->holder_, &server->tokens_, service_options));
  if (!opts.admin_token.empty()) {
    Server* self = server.get();
    server->services_.push_back(std::make_unique<api::AdminService>(
        opts.admin_token, [self](Server::ReloadDone done) {
          self->StartReload(
              [self, done = std::move(done)](
                  absl::StatusOr<v1::ReloadKnowledgeBaseResponse> reloaded) {
                if (self->options_.on_admin_reload) {
                  self->options_.on_admin_reload(reloaded);
                }
                done(std::move(reloaded));
              });
        }));
  }
  if (opts.enable_echo) {
    server->services_.push_back(std::make_unique<EchoService>());
  }

  if (initial != nullptr) {
    WarmSnapshot(initial);
    server->holder_.Swap(std::move(initial));
    server->health_->SetServingStatus(
        grpc::health::v1::HealthCheckResponse::SERVING);
  }

  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (opts.enable_channelz_service) {
    grpc::channelz::experimental::InitChannelzService();
  }
  if (!opts.monitoring_listen.empty()) {
    server->metrics_ =
        std::make_unique<ServerMetrics>(ServedServiceNames(opts));
  }

  grpc::ServerBuilder builder;
  builder.AddListeningPort(opts.listen, Credentials(opts), &server->port_);
  for (auto& service : server->services_)
    builder.RegisterService(service.get());
  builder.SetMaxReceiveMessageSize(opts.max_message_bytes);
  builder.SetMaxSendMessageSize(
      std::min(opts.max_response_bytes, opts.max_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             opts.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             Milliseconds(opts.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Milliseconds(opts.max_connection_age_grace));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             Milliseconds(opts.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             Milliseconds(opts.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Milliseconds(opts.keepalive_timeout));
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      Milliseconds(opts.min_client_ping_interval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_ENABLE_CHANNELZ, 1);
  grpc::ResourceQuota quota("factgraphd");
  quota.Resize(static_cast<size_t>(opts.memory_quota_bytes));
  builder.SetResourceQuota(quota);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  if (server->metrics_ != nullptr || server->access_log_ != nullptr) {
    interceptors.push_back(std::make_unique<CallObserverFactory>(
        server->metrics_ == nullptr ? nullptr : &server->metrics_->calls(),
        server->access_log_.get(), opts.log_format));
  }
  // Last: it serialises each response to count its bytes, after which the
  // others could no longer read the message.
  interceptors.push_back(std::make_unique<ConnectionGuardInterceptorFactory>(
      server->connection_guard_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", opts.listen,
                     " (address in use, malformed, or TLS material invalid)"));
  }
  if (absl::Status status = server->StartMonitoring(); !status.ok()) {
    return status;
  }
  if (absl::Status status = server->StartHttp(); !status.ok()) {
    return status;
  }
  return server;
}

absl::StatusOr<v1::ReloadKnowledgeBaseResponse> Server::Reload() {
  absl::MutexLock lock(&reload_mu_);
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> next =
      LoadSnapshot(options_);
  if (!next.ok()) {
    if (metrics_ != nullptr) metrics_->Reloaded(ReloadOutcome::kRefused);
    return absl::FailedPreconditionError(absl::StrCat(
        "the knowledge base was refused",
        holder_.Current() == nullptr ? ""
                                     : "; the previous snapshot keeps serving",
        ":\n", next.status().message()));
  }
  v1::ReloadKnowledgeBaseResponse response;
  response.set_snapshot_id((*next)->id());
  WarmSnapshot(*next);
  std::shared_ptr<const store::Snapshot> previous = holder_.Swap(*next);
  if (previous != nullptr) {
    response.set_previous_snapshot_id(previous->id());
  }
  response.set_changed(previous == nullptr || previous->id() != (*next)->id());
  if (metrics_ != nullptr) {
    metrics_->Reloaded(response.changed() ? ReloadOutcome::kLoaded
                                          : ReloadOutcome::kUnchanged);
  }
  health_->SetServingStatus(grpc::health::v1::HealthCheckResponse::SERVING);
#ifdef __GLIBC__
  // The swap may have dropped the oldest retained snapshot; give its pages
  // and the build's temporaries back to the system rather than leave them
  // scattered over malloc's free lists.
  malloc_trim(0);
#endif
  return response;
}

void Server::StartReload(ReloadDone done) {
  absl::Status refused;
  {
    absl::MutexLock lock(&started_reload_mu_);
    if (refuse_reloads_) {
      refused = absl::UnavailableError(
          "the server is shutting down; the knowledge base is not reloaded");
    } else if (reload_in_flight_) {
      refused = absl::AbortedError(
          "a reload is already in progress; retry once it has finished");
    } else {
      reload_in_flight_ = true;
      reload_done_ = std::move(done);
      // The previous reload thread has reported (reload_in_flight_ was
      // false), so this join is immediate: one reload thread at a time.
      if (reload_thread_.joinable()) reload_thread_.join();
      reload_thread_ = std::thread([this] { RunStartedReload(); });
      return;
    }
  }
  done(refused);
}

void Server::RunStartedReload() {
  absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result = Reload();
  ReloadDone done;
  {
    absl::MutexLock lock(&started_reload_mu_);
    done = std::move(reload_done_);
    reload_done_ = nullptr;
    reload_in_flight_ = false;
  }
  if (done) done(std::move(result));
}

bool Server::ReloadInFlight() const {
  absl::MutexLock lock(&started_reload_mu_);
  return reload_in_flight_;
}

absl::Status Server::StartMonitoring() {
  if (options_.monitoring_listen.empty()) return absl::OkStatus();
  std::vector<MonitoringServer::Route> routes;
  routes.push_back(
      {"/metrics", "text/plain; version=0.0.4; charset=utf-8", [this] {
         std::shared_ptr<const store::Snapshot> current = holder_.Current();
         bool draining;
         {
           absl::MutexLock lock(&shutdown_mu_);
           draining = shut_down_;
         }
         return metrics_->Render(current.get(),
                                 current != nullptr && !draining);
       }});
  // Channelz as gRPC core renders it, for operators only.
  routes.push_back({"/debug/channelz/servers", "application/json", [] {
                      return TakeGrpcString(grpc_channelz_get_servers(0));
                    }});
  absl::StatusOr<std::unique_ptr<MonitoringServer>> monitoring =
      MonitoringServer::Start(options_.monitoring_listen, std::move(routes));
  if (!monitoring.ok()) return monitoring.status();
  monitoring_ = *std::move(monitoring);
  return absl::OkStatus();
}

// The HTTP/JSON listener calls the services through the server's own
// in-process channel: every limit, deadline and interceptor of a gRPC call
// applies (docs/http.md "Design").
absl::Status Server::StartHttp() {
  if (options_.http_listen.empty()) return absl::OkStatus();
  grpc::ChannelArguments arguments;
  // The server bounds both directions; the channel adds no bound of its own.
  arguments.SetMaxReceiveMessageSize(-1);
  arguments.SetMaxSendMessageSize(-1);
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  std::vector<const google::protobuf::ServiceDescriptor*> services = {
      pool->FindServiceByName(v1::FactGraphService::service_full_name())};
  if (!options_.admin_token.empty()) {
    services.push_back(
        pool->FindServiceByName(v1::AdminService::service_full_name()));
  }
  http::TranscoderOptions transcoder_options;
  transcoder_options.max_request_bytes =
      static_cast<size_t>(options_.http_max_request_bytes);
  transcoder_options.cors_origins = options_.http_cors_origins;
  if (metrics_ != nullptr) {
    transcoder_options.on_response = [metrics = metrics_.get()](int status) {
      metrics->HttpAnswered(status);
    };
  }
  absl::StatusOr<std::unique_ptr<http::Transcoder>> transcoder =
      http::Transcoder::Create(grpc_server_->InProcessChannel(arguments),
                               services, std::move(transcoder_options));
  if (!transcoder.ok()) return transcoder.status();
  transcoder_ = *std::move(transcoder);
  absl::StatusOr<std::unique_ptr<HttpListener>> listener = HttpListener::Start(
      // A BatchGet of --max_batch_size names is one long request line.
      {"--http_listen", options_.http_listen, options_.http_threads,
       /*request_timeout=*/absl::Seconds(60),
       /*max_request_head_bytes=*/64 << 10},
      [transcoder = transcoder_.get()](HttpExchange& exchange) {
        transcoder->Handle(exchange);
      });
  if (!listener.ok()) return listener.status();
  http_listener_ = *std::move(listener);
  return absl::OkStatus();
}

void Server::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&shutdown_mu_);
    if (shut_down_ || grpc_server_ == nullptr) return;
    shut_down_ = true;
  }
  // A reload in flight must not hold the drain: its call is answered now.
  ReloadDone abandoned;
  {
    absl::MutexLock lock(&started_reload_mu_);
    refuse_reloads_ = true;
    abandoned = std::move(reload_done_);
    reload_done_ = nullptr;
  }
  if (abandoned) {
    abandoned(absl::UnavailableError(
        "the server is shutting down; the reload in progress is abandoned"));
  }
  health_->Shutdown();
  grpc_server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void Server::Wait() {
  if (grpc_server_ != nullptr) grpc_server_->Wait();
}

}  // namespace factgraph::server
