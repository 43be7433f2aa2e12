#include "service/server/monitoring_server.h"

namespace factgraph::server {

absl::StatusOr<std::unique_ptr<MonitoringServer>> MonitoringServer::Start(
    const std::string& listen, std::vector<Route> routes) {
  std::unique_ptr<MonitoringServer> server(
      new MonitoringServer(std::move(routes)));
  // Scrapes are rare and small: two threads serve them without taking CPU
  // from gRPC.
  absl::StatusOr<std::unique_ptr<HttpListener>> listener = HttpListener::Start(
      {"--monitoring_listen", listen, /*threads=*/2,
       /*request_timeout=*/absl::Seconds(10), /*max_request_head_bytes=*/16384},
      [self = server.get()](HttpExchange& exchange) {
        self->Handle(exchange);
      });
  if (!listener.ok()) return listener.status();
  server->listener_ = *std::move(listener);
  return server;
}

void MonitoringServer::Handle(HttpExchange& exchange) const {
  const Route* route = nullptr;
  for (const Route& candidate : routes_) {
    if (exchange.path() == candidate.path) route = &candidate;
  }
  if (route == nullptr) {
    exchange.Respond(404, {{"Content-Type", "text/plain"}}, "not found\n");
    return;
  }
  if (exchange.method() != "GET" && exchange.method() != "HEAD") {
    exchange.Respond(405, {{"Allow", "GET, HEAD"}}, "");
    return;
  }
  exchange.Respond(200, {{"Content-Type", route->content_type}},
                   route->render());
}

}  // namespace factgraph::server
