// HTTP/JSON to gRPC: one generic transcoder driven by the google.api.http
// annotations (docs/http.md). It routes a request by its method and path
// (RouteTable), builds the request message from the path, the query and
// the JSON body (BindRequest), and calls the method through the server's
// own in-process channel, so that the call meets every limit, deadline,
// interceptor (access log, metrics, admission) a gRPC call meets. The
// answer goes back as protobuf's JSON mapping, an error as the JSON of its
// google.rpc.Status with the HTTP status of its code.
#ifndef FACTGRAPH_SERVICE_SERVER_HTTP_TRANSCODER_H_
#define FACTGRAPH_SERVICE_SERVER_HTTP_TRANSCODER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "service/server/http/route_table.h"
#include "service/server/http_listener.h"

namespace factgraph::server::http {

// Metadata of a call the transcoder makes: the HTTP client's address, in
// gRPC's peer syntax. Trusted only on the in-process channel (call_peer.h).
inline constexpr char kHttpPeerMetadataKey[] = "x-factgraph-http-peer";

struct TranscoderOptions {
  // Largest request body; a larger one is 413.
  size_t max_request_bytes = 1 << 20;
  // Origins allowed cross-origin requests (CORS); "*" allows any. Empty:
  // no CORS headers, preflights are 405.
  std::vector<std::string> cors_origins;
  // Told the HTTP status of every answered request (for metrics); may be
  // empty.
  std::function<void(int)> on_response;
};

class Transcoder {
 public:
  // `channel` reaches the server's services (grpc::Server::InProcessChannel);
  // `services` are the ones whose annotated methods are mapped.
  // INVALID_ARGUMENT when an annotation is malformed.
  static absl::StatusOr<std::unique_ptr<Transcoder>> Create(
      std::shared_ptr<grpc::Channel> channel,
      const std::vector<const google::protobuf::ServiceDescriptor*>& services,
      TranscoderOptions options);

  // Answers one request: a mapped method under /v1/, an explorer asset for
  // another GET, else a JSON error. Blocks its thread for the call.
  void Handle(HttpExchange& exchange) const;

  const RouteTable& routes() const { return routes_; }

 private:
  Transcoder(std::shared_ptr<grpc::Channel> channel, RouteTable routes,
             TranscoderOptions options);

  class Call;

  const std::shared_ptr<grpc::Channel> channel_;
  mutable grpc::GenericStub stub_;
  const RouteTable routes_;
  const TranscoderOptions options_;
};

}  // namespace factgraph::server::http

#endif  // FACTGRAPH_SERVICE_SERVER_HTTP_TRANSCODER_H_
