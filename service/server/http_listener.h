// factgraphd's one HTTP/1.1 server helper, over civetweb (Debian's
// libcivetweb-dev; docs/operate.md "Why civetweb"): the monitoring listener
// and the HTTP/JSON listener both run on it. A handler sees each request as
// an HttpExchange, which hides civetweb.
#ifndef FACTGRAPH_SERVICE_SERVER_HTTP_LISTENER_H_
#define FACTGRAPH_SERVICE_SERVER_HTTP_LISTENER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct mg_context;
struct mg_connection;

namespace factgraph::server {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request and its response.
class HttpExchange {
 public:
  virtual ~HttpExchange() = default;

  virtual absl::string_view method() const = 0;
  // The path, percent-decoded by civetweb, without the query string.
  virtual absl::string_view path() const = 0;
  // The query string as sent (not decoded), without the '?'.
  virtual absl::string_view query() const = 0;
  // The client's address as gRPC writes peers: "ipv4:127.0.0.1:5678",
  // "ipv6:[::1]:5678".
  virtual std::string peer() const = 0;
  // A request header's value (names are case-insensitive).
  virtual std::optional<std::string> Header(absl::string_view name) const = 0;
  // The whole request body: OUT_OF_RANGE when it is longer than `limit`
  // bytes, DATA_LOSS when the client sends less than it announced.
  virtual absl::StatusOr<std::string> ReadBody(size_t limit) = 0;

  // A whole response; the body is not sent for HEAD.
  virtual void Respond(int status, const HttpHeaders& headers,
                       absl::string_view body) = 0;
  // A response sent in chunks as it is produced: StartChunked once, then
  // WriteChunk for each part (false once the client is gone), then
  // EndChunked.
  virtual void StartChunked(int status, const HttpHeaders& headers) = 0;
  virtual bool WriteChunk(absl::string_view data) = 0;
  virtual void EndChunked() = 0;
};

struct HttpListenerOptions {
  // The flag that configures it, for error messages ("--http_listen").
  std::string flag;
  // host:port; port 0 picks a free port.
  std::string listen;
  // Requests served at once: each takes a thread while it is served.
  int threads = 2;
  // A request (and its response) must be done within this time.
  absl::Duration request_timeout = absl::Seconds(10);
  // Largest request line and headers; civetweb answers 413 beyond.
  int max_request_head_bytes = 16384;
};

class HttpListener {
 public:
  using Handler = std::function<void(HttpExchange&)>;

  // Listens and serves every path with `handler`, on the listener's
  // threads. UNAVAILABLE naming the flag and address when it cannot listen.
  static absl::StatusOr<std::unique_ptr<HttpListener>> Start(
      const HttpListenerOptions& options, Handler handler);
  // Stops listening and waits for the requests being served.
  ~HttpListener();

  int port() const { return port_; }

 private:
  explicit HttpListener(Handler handler) : handler_(std::move(handler)) {}
  static int Handle(mg_connection* connection, void* listener);

  const Handler handler_;
  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_HTTP_LISTENER_H_
