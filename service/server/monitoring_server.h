// factgraphd's monitoring listener (--monitoring_listen): plain HTTP/1.1 on
// a port of its own, never the gRPC one, served by the HTTP helper
// (http_listener.h). It answers GET on a fixed set of paths, each rendered on
// demand by a callback; everything else is 404 and anything but GET or HEAD
// is 405.
#ifndef FACTGRAPH_SERVICE_SERVER_MONITORING_SERVER_H_
#define FACTGRAPH_SERVICE_SERVER_MONITORING_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/server/http_listener.h"

namespace factgraph::server {

class MonitoringServer {
 public:
  struct Route {
    std::string path;
    std::string content_type;
    std::function<std::string()> render;
  };

  // Listens on host:port (port 0 picks a free port); UNAVAILABLE naming the
  // address when it cannot.
  static absl::StatusOr<std::unique_ptr<MonitoringServer>> Start(
      const std::string& listen, std::vector<Route> routes);

  int port() const { return listener_->port(); }

 private:
  explicit MonitoringServer(std::vector<Route> routes)
      : routes_(std::move(routes)) {}
  void Handle(HttpExchange& exchange) const;

  const std::vector<Route> routes_;
  // Last: it stops (and waits for its requests) before the routes go.
  std::unique_ptr<HttpListener> listener_;
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_MONITORING_SERVER_H_
