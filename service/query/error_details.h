// Machine-readable details of the errors the query engine returns, carried as
// absl::Status payloads keyed by the type URL of a google.rpc error-details
// message; service/api/status.cc turns them into the google.rpc.Status
// details of the gRPC status. The reasons are the stable list of
// v1::ErrorReason (proto/factgraph/v1/error_reason.proto): clients may switch
// on them, so they never change meaning.
#ifndef FACTGRAPH_SERVICE_QUERY_ERROR_DETAILS_H_
#define FACTGRAPH_SERVICE_QUERY_ERROR_DETAILS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "factgraph/v1/error_reason.pb.h"
#include "google/protobuf/descriptor.h"

namespace factgraph::query {

// google.rpc.ErrorInfo.domain of every factgraph error.
inline constexpr char kErrorDomain[] = "factgraph.dev";

// An error about one request field: `code` (INVALID_ARGUMENT, OUT_OF_RANGE or
// FAILED_PRECONDITION) with `message`, a google.rpc.BadRequest field
// violation for `field` (e.g. "filter", "names[2]"), and an ErrorInfo with
// `reason`. A `position` > 0 is the 1-based character of the field's text
// where the problem is; it goes into the ErrorInfo metadata "position".
absl::Status FieldError(absl::StatusCode code, std::string_view field,
                        v1::ErrorReason reason, std::string_view message,
                        int position = 0);

// NOT_FOUND for the resource `name` of `resource_type` (e.g.
// "factgraph.dev/Institution"), with a google.rpc.ResourceInfo and the
// ErrorInfo reason RESOURCE_NOT_FOUND.
absl::Status ResourceNotFound(std::string_view resource_type,
                              std::string_view name, std::string_view message);

// `status` with an ErrorInfo `reason` (replacing any) and, when
// `retry_delay` is positive, a google.rpc.RetryInfo.
absl::Status WithReason(absl::Status status, v1::ErrorReason reason,
                        absl::Duration retry_delay = absl::ZeroDuration());

// The google.api.resource type of a resource message, e.g.
// "factgraph.dev/Institution".
std::string ResourceTypeOf(const google::protobuf::Descriptor& resource);

// The type URL under which a google.rpc message `full_name` is attached.
std::string ErrorDetailTypeUrl(std::string_view full_name);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_ERROR_DETAILS_H_
