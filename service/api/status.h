// The one place where domain absl::Status becomes a gRPC status.
#ifndef FACTGRAPH_SERVICE_API_STATUS_H_
#define FACTGRAPH_SERVICE_API_STATUS_H_

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace factgraph::api {

// Same code, same message (cut at 4 KiB, saying so, to stay within what
// clients accept in trailers), and a google.rpc.Status in the error details
// (grpc-status-details-bin): the status's payloads (service/query/
// error_details.h) plus an ErrorInfo on every error and a RetryInfo where
// retrying helps (docs/errors.md). absl and gRPC share the canonical code
// numbers.
ABSL_MUST_USE_RESULT grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_STATUS_H_
