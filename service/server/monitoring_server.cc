#include "service/server/monitoring_server.h"

#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "civetweb.h"

namespace factgraph::server {
absl::StatusOr<std::unique_ptr<MonitoringServer>> MonitoringServer::Start(
    const std::string& listen, std::vector<Route> routes) {
  static std::once_flag library;
  std::call_once(library, [] { mg_init_library(0); });

  std::unique_ptr<MonitoringServer> server(
      new MonitoringServer(std::move(routes)));
  // civetweb reads "0.0.0.0:9090", "[::]:9090" and "127.0.0.1:0" the way
  // --listen does; the port the kernel picked for 0 is read back below.
  const char* options[] = {"listening_ports", listen.c_str(),
                           // Scrapes are rare and small: two threads serve
                           // them without taking CPU from gRPC.
                           "num_threads", "2", "request_timeout_ms", "10000",
                           "enable_keep_alive", "yes", nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof(callbacks));
  mg_init_data init;
  init.callbacks = &callbacks;
  init.user_data = server.get();
  init.configuration_options = options;
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error;
  error.code = &error_code;
  error.text = error_text;
  error.text_buffer_size = sizeof(error_text);
  server->context_ = mg_start2(&init, &error);
  if (server->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "--monitoring_listen: cannot listen on ", listen, ": ", error_text));
  }
  for (const Route& route : server->routes_) {
    mg_set_request_handler(server->context_, route.path.c_str(),
                           &MonitoringServer::Handle,
                           const_cast<Route*>(&route));
  }
  mg_server_port bound[4];
  const int count = mg_get_server_ports(server->context_, 4, bound);
  if (count < 1) {
    return absl::UnavailableError(
        absl::StrCat("--monitoring_listen: ", listen, " bound no port"));
  }
  server->port_ = bound[0].port;
  return server;
}

MonitoringServer::~MonitoringServer() {
  if (context_ != nullptr) mg_stop(context_);
}

int MonitoringServer::Handle(mg_connection* connection, void* route_data) {
  const Route& route = *static_cast<const Route*>(route_data);
  const mg_request_info* request = mg_get_request_info(connection);
  // civetweb matches prefixes; only the exact path is ours.
  if (std::strcmp(request->local_uri, route.path.c_str()) != 0) {
    mg_send_http_error(connection, 404, "not found\n");
    return 404;
  }
  const bool head = std::strcmp(request->request_method, "HEAD") == 0;
  if (!head && std::strcmp(request->request_method, "GET") != 0) {
    mg_response_header_start(connection, 405);
    mg_response_header_add(connection, "Allow", "GET, HEAD", -1);
    mg_response_header_add(connection, "Content-Length", "0", -1);
    mg_response_header_send(connection);
    return 405;
  }
  const std::string body = route.render();
  mg_send_http_ok(connection, route.content_type.c_str(),
                  static_cast<long long>(body.size()));
  if (!head) mg_write(connection, body.data(), body.size());
  return 200;
}

}  // namespace factgraph::server
