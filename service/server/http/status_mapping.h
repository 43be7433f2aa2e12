// How a call's outcome reaches an HTTP client: the HTTP status of each gRPC
// code (google/rpc/code.proto's documented mapping) and the error body, the
// JSON of a google.rpc.Status (docs/http.md "Errors").
#ifndef FACTGRAPH_SERVICE_SERVER_HTTP_STATUS_MAPPING_H_
#define FACTGRAPH_SERVICE_SERVER_HTTP_STATUS_MAPPING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace factgraph::server::http {

// 200 for OK, 400 INVALID_ARGUMENT, 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED,
// 504 DEADLINE_EXCEEDED, 499 CANCELLED, ... as google.rpc.Code documents.
int HttpStatusOf(grpc::StatusCode code);

// The google.rpc.Status a failed call carries (its grpc-status-details-bin),
// or one of its code and message when it carries none.
google::rpc::Status RpcStatusOf(const grpc::Status& status);

// `status` marked as being about the request field `field` (a parameter or
// path variable), for RpcStatusOf below.
absl::Status WithFieldViolation(absl::Status status, absl::string_view field);

// The google.rpc.Status of an error of the transcoder itself (a request it
// cannot route or bind): the code and message, an ErrorInfo with `reason`
// in the domain "factgraph.dev", and a google.rpc.BadRequest when the error
// is about a field (WithFieldViolation).
google::rpc::Status RpcStatusOf(const absl::Status& status,
                                absl::string_view reason);

// The JSON of `status`, details included (protobuf's JSON mapping of Any).
std::string StatusJson(const google::rpc::Status& status);

}  // namespace factgraph::server::http

#endif  // FACTGRAPH_SERVICE_SERVER_HTTP_STATUS_MAPPING_H_
