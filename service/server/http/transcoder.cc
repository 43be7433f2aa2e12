#include "service/server/http/transcoder.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/api/parse_bytes.h"
#include "service/server/explorer/explorer_assets.h"
#include "service/server/http/request_binding.h"
#include "service/server/http/status_mapping.h"

namespace factgraph::server::http {
namespace {

constexpr char kJson[] = "application/json";
constexpr char kNdjson[] = "application/x-ndjson";
// The response metadata the service sets on every call
// (factgraph_service.proto), passed on as a header.
constexpr char kSnapshotIdMetadata[] = "x-factgraph-snapshot-id";
constexpr char kSnapshotIdHeader[] = "X-Factgraph-Snapshot-Id";
// A deadline in a header, for clients that cannot add a query parameter;
// the name Google's HTTP front ends use.
constexpr char kTimeoutHeader[] = "X-Server-Timeout";

// "2s", "250ms", "1m30s" (absl::ParseDuration) or a number of seconds.
absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text) {
  absl::Duration timeout;
  double seconds;
  if (absl::SimpleAtod(text, &seconds)) {
    timeout = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(text, &timeout)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", absl::CHexEscape(text),
                     "\" is not a duration (e.g. \"2s\", \"250ms\" or a number "
                     "of seconds)"));
  }
  if (timeout <= absl::ZeroDuration() || timeout == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", absl::CHexEscape(text), "\" is not a positive finite duration"));
  }
  return timeout;
}

std::string MessageJson(const google::protobuf::Message& message) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

}  // namespace

// One request being answered: its response headers (CORS, snapshot id)
// and how it ends.
class Transcoder::Call {
 public:
  Call(const Transcoder& transcoder, HttpExchange& exchange)
      : transcoder_(transcoder), exchange_(exchange) {}

  void Run();

 private:
  void Respond(int status, absl::string_view content_type,
               absl::string_view body, HttpHeaders extra = {}) {
    HttpHeaders headers = std::move(extra);
    headers.emplace_back("Content-Type", std::string(content_type));
    headers.insert(headers.end(), cors_headers_.begin(), cors_headers_.end());
    exchange_.Respond(status, headers, body);
    Answered(status);
  }
  void Answered(int status) const {
    if (transcoder_.options_.on_response) {
      transcoder_.options_.on_response(status);
    }
  }
  // A transcoder error: `http_status` with the google.rpc.Status of
  // `status` and `reason`.
  void Fail(int http_status, const absl::Status& status,
            absl::string_view reason, HttpHeaders extra = {}) {
    Respond(http_status, kJson, StatusJson(RpcStatusOf(status, reason)) + "\n",
            std::move(extra));
  }
  void FailCall(const grpc::Status& status, HttpHeaders extra) {
    Respond(HttpStatusOf(status.error_code()), kJson,
            StatusJson(RpcStatusOf(status)) + "\n", std::move(extra));
  }

  // Whether CORS allows `origin`; sets the CORS headers of the answer.
  bool AllowOrigin();
  void Preflight();
  void ServeAsset();
  void CallUnary(const Route& route, grpc::ClientContext* context,
                 const grpc::ByteBuffer& request);
  void CallServerStreaming(const Route& route, grpc::ClientContext* context,
                           const grpc::ByteBuffer& request);
  HttpHeaders ResponseHeaders(const grpc::ClientContext& context) const;

  const Transcoder& transcoder_;
  HttpExchange& exchange_;
  HttpHeaders cors_headers_;
};

bool Transcoder::Call::AllowOrigin() {
  const std::vector<std::string>& allowed = transcoder_.options_.cors_origins;
  const std::optional<std::string> origin = exchange_.Header("Origin");
  if (allowed.empty() || !origin.has_value()) return false;
  const bool any =
      std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
  if (!any &&
      std::find(allowed.begin(), allowed.end(), *origin) == allowed.end()) {
    return false;
  }
  cors_headers_.emplace_back("Access-Control-Allow-Origin", *origin);
  cors_headers_.emplace_back("Vary", "Origin");
  cors_headers_.emplace_back("Access-Control-Expose-Headers",
                             kSnapshotIdHeader);
  return true;
}

void Transcoder::Call::Preflight() {
  const std::optional<std::string> requested =
      exchange_.Header("Access-Control-Request-Method");
  const RouteMatch match =
      transcoder_.routes_.Find(requested.value_or("GET"), exchange_.path());
  std::vector<std::string> methods = match.allowed_methods;
  if (match.outcome == RouteMatch::kFound) {
    methods.push_back(match.route->http_method);
  }
  if (methods.empty()) methods = {"GET"};
  Respond(204, "text/plain", "",
          {{"Access-Control-Allow-Methods", absl::StrJoin(methods, ", ")},
           {"Access-Control-Allow-Headers",
            absl::StrCat("Authorization, Content-Type, ", kTimeoutHeader)},
           {"Access-Control-Max-Age", "600"}});
}

void Transcoder::Call::ServeAsset() {
  if (exchange_.method() != "GET" && exchange_.method() != "HEAD") {
    Fail(405,
         absl::UnimplementedError(
             absl::StrCat(exchange_.method(), " ", exchange_.path(),
                          ": the explorer's pages take GET only")),
         "METHOD_NOT_ALLOWED", {{"Allow", "GET, HEAD"}});
    return;
  }
  const ExplorerAsset* asset = FindExplorerAsset(exchange_.path());
  if (asset == nullptr) {
    Fail(404,
         absl::NotFoundError(absl::StrCat(
             "no page at ", exchange_.path(),
             "; the API is under /v1/ (docs/http.md lists its paths)")),
         "NO_SUCH_PATH");
    return;
  }
  Respond(
      200, asset->content_type, asset->body,
      {{"Cache-Control", "no-cache"},
       {"Content-Security-Policy", std::string(kExplorerContentSecurityPolicy)},
       {"X-Content-Type-Options", "nosniff"},
       {"Referrer-Policy", "no-referrer"}});
}

void Transcoder::Call::Run() {
  const bool cors = AllowOrigin();
  if (cors && exchange_.method() == "OPTIONS" &&
      exchange_.Header("Access-Control-Request-Method").has_value()) {
    Preflight();
    return;
  }
  const absl::string_view path = exchange_.path();
  if (path != "/v1" && !absl::StartsWith(path, "/v1/")) {
    ServeAsset();
    return;
  }
  const RouteMatch match = transcoder_.routes_.Find(exchange_.method(), path);
  if (match.outcome == RouteMatch::kNoSuchPath) {
    Fail(404,
         absl::NotFoundError(absl::StrCat(
             "no method is mapped to ", path,
             " (docs/http.md and README \"HTTP/JSON\" list the paths)")),
         "NO_SUCH_PATH");
    return;
  }
  if (match.outcome == RouteMatch::kMethodNotAllowed) {
    const std::string allow = absl::StrJoin(match.allowed_methods, ", ");
    Fail(405,
         absl::UnimplementedError(absl::StrCat(exchange_.method(), " ", path,
                                               ": the path takes ", allow)),
         "METHOD_NOT_ALLOWED", {{"Allow", allow}});
    return;
  }
  const Route& route = *match.route;

  absl::StatusOr<QueryParameters> query = ParseQueryString(exchange_.query());
  if (!query.ok()) {
    Fail(400, query.status(), "INVALID_ARGUMENT");
    return;
  }
  grpc::ClientContext context;
  std::optional<std::string> timeout_text = exchange_.Header(kTimeoutHeader);
  std::string timeout_field = kTimeoutHeader;
  for (const auto& [name, value] : *query) {
    if (name == "timeout") {
      timeout_text = value;
      timeout_field = "timeout";
    }
  }
  if (timeout_text.has_value()) {
    absl::StatusOr<absl::Duration> timeout = ParseTimeout(*timeout_text);
    if (!timeout.ok()) {
      Fail(400,
           WithFieldViolation(
               absl::InvalidArgumentError(absl::StrCat(
                   timeout_field, ": ", timeout.status().message())),
               timeout_field),
           "INVALID_ARGUMENT");
      return;
    }
    context.set_deadline(absl::ToChronoTime(absl::Now() + *timeout));
  }

  absl::StatusOr<std::string> body =
      exchange_.ReadBody(transcoder_.options_.max_request_bytes);
  if (!body.ok()) {
    const bool too_large =
        body.status().code() == absl::StatusCode::kOutOfRange;
    Fail(too_large ? 413 : 400, body.status(),
         too_large ? "REQUEST_TOO_LARGE" : "INVALID_ARGUMENT");
    return;
  }
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          route.method->input_type());
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  if (absl::Status bound =
          BindRequest(route.body, match.bindings, *query, *body, request.get());
      !bound.ok()) {
    Fail(400, bound, "INVALID_ARGUMENT");
    return;
  }
  const std::string serialized = request->SerializeAsString();
  grpc::Slice slice(serialized);
  grpc::ByteBuffer request_buffer(&slice, 1);

  context.AddMetadata(kHttpPeerMetadataKey, exchange_.peer());
  if (std::optional<std::string> authorization =
          exchange_.Header("Authorization")) {
    context.AddMetadata("authorization", *authorization);
  }
  if (route.method->server_streaming()) {
    CallServerStreaming(route, &context, request_buffer);
  } else {
    CallUnary(route, &context, request_buffer);
  }
}

HttpHeaders Transcoder::Call::ResponseHeaders(
    const grpc::ClientContext& context) const {
  HttpHeaders headers;
  const auto& metadata = context.GetServerInitialMetadata();
  if (auto found = metadata.find(kSnapshotIdMetadata);
      found != metadata.end()) {
    headers.emplace_back(kSnapshotIdHeader, std::string(found->second.data(),
                                                        found->second.size()));
  }
  return headers;
}

void Transcoder::Call::CallUnary(const Route& route,
                                 grpc::ClientContext* context,
                                 const grpc::ByteBuffer& request) {
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  absl::Notification done;
  transcoder_.stub_.UnaryCall(context, route.grpc_path, grpc::StubOptions(),
                              &request, &response_buffer,
                              [&](grpc::Status result) {
                                status = std::move(result);
                                done.Notify();
                              });
  done.WaitForNotification();
  HttpHeaders headers = ResponseHeaders(*context);
  if (!status.ok()) {
    FailCall(status, std::move(headers));
    return;
  }
  std::unique_ptr<google::protobuf::Message> response(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(route.method->output_type())
          ->New());
  if (!api::ParseFromBytes(response_buffer, response.get())) {
    FailCall(
        grpc::Status(grpc::StatusCode::INTERNAL, "the response does not parse"),
        std::move(headers));
    return;
  }
  Respond(200, kJson, MessageJson(*response) + "\n", std::move(headers));
}

// Server streaming as newline-delimited JSON (docs/http.md "Streaming"):
// one line {"result": <message>} per message as it arrives, and a last line
// {"error": <google.rpc.Status>} when the stream fails after its first
// message; a stream that fails before it is an ordinary error answer.
void Transcoder::Call::CallServerStreaming(const Route& route,
                                           grpc::ClientContext* context,
                                           const grpc::ByteBuffer& request) {
  grpc::CompletionQueue queue;
  auto next = [&queue] {
    void* tag;
    bool ok = false;
    queue.Next(&tag, &ok);
    return ok;
  };
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      transcoder_.stub_.PrepareCall(context, route.grpc_path, &queue);
  call->StartCall(nullptr);
  bool ok = next();
  if (ok) {
    call->WriteLast(request, grpc::WriteOptions(), nullptr);
    ok = next();
  }
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(route.method->output_type())
          ->New());
  bool started = false;
  bool client_gone = false;
  grpc::ByteBuffer buffer;
  while (ok) {
    call->Read(&buffer, nullptr);
    if (!next()) break;
    message->Clear();
    if (!api::ParseFromBytes(buffer, message.get())) {
      context->TryCancel();
      continue;
    }
    if (!started) {
      HttpHeaders headers = ResponseHeaders(*context);
      headers.emplace_back("Content-Type", kNdjson);
      headers.insert(headers.end(), cors_headers_.begin(), cors_headers_.end());
      exchange_.StartChunked(200, headers);
      started = true;
    }
    if (!client_gone && !exchange_.WriteChunk(absl::StrCat(
                            "{\"result\":", MessageJson(*message), "}\n"))) {
      client_gone = true;
      context->TryCancel();
    }
  }
  grpc::Status status;
  call->Finish(&status, nullptr);
  next();
  queue.Shutdown();
  while (next()) {
  }
  if (!started) {
    if (status.ok()) {
      HttpHeaders headers = ResponseHeaders(*context);
      headers.emplace_back("Content-Type", kNdjson);
      headers.insert(headers.end(), cors_headers_.begin(), cors_headers_.end());
      exchange_.Respond(200, headers, "");
      Answered(200);
    } else {
      FailCall(status, ResponseHeaders(*context));
    }
    return;
  }
  if (!status.ok() && !client_gone) {
    exchange_.WriteChunk(
        absl::StrCat("{\"error\":", StatusJson(RpcStatusOf(status)), "}\n"));
  }
  exchange_.EndChunked();
  Answered(200);
}

absl::StatusOr<std::unique_ptr<Transcoder>> Transcoder::Create(
    std::shared_ptr<grpc::Channel> channel,
    const std::vector<const google::protobuf::ServiceDescriptor*>& services,
    TranscoderOptions options) {
  absl::StatusOr<RouteTable> routes = RouteTable::FromServices(services);
  if (!routes.ok()) return routes.status();
  return std::unique_ptr<Transcoder>(new Transcoder(
      std::move(channel), *std::move(routes), std::move(options)));
}

Transcoder::Transcoder(std::shared_ptr<grpc::Channel> channel,
                       RouteTable routes, TranscoderOptions options)
    : channel_(channel),
      stub_(channel),
      routes_(std::move(routes)),
      options_(std::move(options)) {}

void Transcoder::Handle(HttpExchange& exchange) const {
  Call(*this, exchange).Run();
}

}  // namespace factgraph::server::http
