#include "service/server/http_listener.h"

#include <cstring>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "civetweb.h"

namespace factgraph::server {
namespace {

class CivetExchange final : public HttpExchange {
 public:
  explicit CivetExchange(mg_connection* connection)
      : connection_(connection),
        request_(mg_get_request_info(connection)),
        head_(std::strcmp(request_->request_method, "HEAD") == 0) {}

  absl::string_view method() const override { return request_->request_method; }
  absl::string_view path() const override {
    return request_->local_uri == nullptr ? "" : request_->local_uri;
  }
  absl::string_view query() const override {
    return request_->query_string == nullptr ? "" : request_->query_string;
  }
  std::string peer() const override {
    return std::strchr(request_->remote_addr, ':') == nullptr
               ? absl::StrCat("ipv4:", request_->remote_addr, ":",
                              request_->remote_port)
               : absl::StrCat("ipv6:[", request_->remote_addr,
                              "]:", request_->remote_port);
  }
  std::optional<std::string> Header(absl::string_view name) const override {
    for (int i = 0; i < request_->num_headers; ++i) {
      if (absl::EqualsIgnoreCase(request_->http_headers[i].name, name)) {
        return std::string(request_->http_headers[i].value);
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::string> ReadBody(size_t limit) override {
    const long long announced = request_->content_length;
    // Neither a length nor chunks: the request has no body (RFC 9112 6.3),
    // and civetweb's mg_read would wait for one.
    if (announced <= 0 &&
        !absl::EqualsIgnoreCase(Header("Transfer-Encoding").value_or(""),
                                "chunked")) {
      return std::string();
    }
    if (announced > 0 && static_cast<unsigned long long>(announced) > limit) {
      return absl::OutOfRangeError(
          absl::StrCat("the request body of ", announced,
                       " bytes is larger than the limit of ", limit));
    }
    std::string body;
    char buffer[16384];
    while (true) {
      const int read = mg_read(connection_, buffer, sizeof(buffer));
      if (read <= 0) break;
      body.append(buffer, static_cast<size_t>(read));
      if (body.size() > limit) {
        return absl::OutOfRangeError(absl::StrCat(
            "the request body is larger than the limit of ", limit, " bytes"));
      }
    }
    if (announced > 0 && body.size() != static_cast<size_t>(announced)) {
      return absl::DataLossError(absl::StrCat("the request body ended after ",
                                              body.size(), " of ", announced,
                                              " announced bytes"));
    }
    return body;
  }

  void Respond(int status, const HttpHeaders& headers,
               absl::string_view body) override {
    mg_response_header_start(connection_, status);
    for (const auto& [name, value] : headers) {
      mg_response_header_add(connection_, name.c_str(), value.c_str(), -1);
    }
    const std::string length = std::to_string(body.size());
    mg_response_header_add(connection_, "Content-Length", length.c_str(), -1);
    mg_response_header_send(connection_);
    if (!head_ && !body.empty())
      mg_write(connection_, body.data(), body.size());
    status_ = status;
  }
  void StartChunked(int status, const HttpHeaders& headers) override {
    mg_response_header_start(connection_, status);
    for (const auto& [name, value] : headers) {
      mg_response_header_add(connection_, name.c_str(), value.c_str(), -1);
    }
    mg_response_header_add(connection_, "Transfer-Encoding", "chunked", -1);
    mg_response_header_send(connection_);
    status_ = status;
  }
  bool WriteChunk(absl::string_view data) override {
    if (head_ || data.empty()) return true;
    return mg_send_chunk(connection_, data.data(),
                         static_cast<unsigned>(data.size())) > 0;
  }
  void EndChunked() override {
    if (!head_) mg_send_chunk(connection_, "", 0);
  }

  int status() const { return status_; }

 private:
  mg_connection* const connection_;
  const mg_request_info* const request_;
  const bool head_;
  int status_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpListener>> HttpListener::Start(
    const HttpListenerOptions& options, Handler handler) {
  static std::once_flag library;
  std::call_once(library, [] { mg_init_library(0); });

  std::unique_ptr<HttpListener> listener(new HttpListener(std::move(handler)));
  const std::string threads = std::to_string(options.threads);
  const std::string timeout =
      std::to_string(absl::ToInt64Milliseconds(options.request_timeout));
  const std::string head = std::to_string(options.max_request_head_bytes);
  // civetweb reads "0.0.0.0:9090", "[::]:9090" and "127.0.0.1:0" the way
  // --listen does; the port the kernel picked for 0 is read back below.
  const char* civet_options[] = {
      "listening_ports", options.listen.c_str(),  //
      "num_threads", threads.c_str(),             //
      "request_timeout_ms", timeout.c_str(),      //
      "max_request_size", head.c_str(),           //
      "enable_keep_alive", "yes",                 //
      // A response's head and body go out in two writes: without this,
      // Nagle holds the body until the client's delayed ACK, 40 ms a call.
      "tcp_nodelay", "1",
      // civetweb answers CORS preflights itself, allowing any origin, unless
      // this is empty: CORS is the handler's business (off by default).
      "access_control_allow_origin", "",  //
      nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof(callbacks));
  mg_init_data init;
  init.callbacks = &callbacks;
  init.user_data = listener.get();
  init.configuration_options = civet_options;
  char error_text[256] = "";
  unsigned error_code = 0;
  mg_error_data error;
  error.code = &error_code;
  error.text = error_text;
  error.text_buffer_size = sizeof(error_text);
  listener->context_ = mg_start2(&init, &error);
  if (listener->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        options.flag, ": cannot listen on ", options.listen, ": ", error_text));
  }
  mg_set_request_handler(listener->context_, "/", &HttpListener::Handle,
                         listener.get());
  mg_server_port bound[4];
  const int count = mg_get_server_ports(listener->context_, 4, bound);
  if (count < 1) {
    return absl::UnavailableError(
        absl::StrCat(options.flag, ": ", options.listen, " bound no port"));
  }
  listener->port_ = bound[0].port;
  return listener;
}

HttpListener::~HttpListener() {
  if (context_ != nullptr) mg_stop(context_);
}

int HttpListener::Handle(mg_connection* connection, void* listener) {
  CivetExchange exchange(connection);
  static_cast<HttpListener*>(listener)->handler_(exchange);
  // A handler that answered nothing must not leave civetweb to serve the
  // path on its own (as files): 0 would let it.
  if (exchange.status() == 0) exchange.Respond(500, {}, "");
  return exchange.status();
}

}  // namespace factgraph::server
