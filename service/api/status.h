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

// A query stopped by its CancelCheck says CANCELLED, whether its caller
// cancelled or its deadline passed. gRPC tells a caller whose deadline passed
// DEADLINE_EXCEEDED, and so does the server then: the same message and
// details (reason CANCELLED) under that code when `deadline_passed`; any
// other status unchanged.
ABSL_MUST_USE_RESULT absl::Status StoppedQueryStatus(absl::Status status,
                                                     bool deadline_passed);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_STATUS_H_
