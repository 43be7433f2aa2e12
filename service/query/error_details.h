// Machine-readable details of the errors the query engine returns, carried as
// absl::Status payloads keyed by the type URL of a google.rpc error-details
// message; service/api/status.cc turns them into the google.rpc.Status
// details of the gRPC status. The reasons are the stable list of
// docs/errors.md: clients may switch on them, so they never change meaning.
#ifndef FACTGRAPH_SERVICE_QUERY_ERROR_DETAILS_H_
#define FACTGRAPH_SERVICE_QUERY_ERROR_DETAILS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace factgraph::query {

// google.rpc.ErrorInfo.domain of every factgraph error.
inline constexpr char kErrorDomain[] = "factgraph.dev";

// google.rpc.ErrorInfo.reason values (docs/errors.md).
namespace reason {
inline constexpr char kInvalidName[] = "INVALID_NAME";
inline constexpr char kInvalidFilter[] = "INVALID_FILTER";
inline constexpr char kInvalidOrderBy[] = "INVALID_ORDER_BY";
inline constexpr char kInvalidPageToken[] = "INVALID_PAGE_TOKEN";
inline constexpr char kInvalidArgument[] = "INVALID_ARGUMENT";
inline constexpr char kInvalidPredicate[] = "INVALID_PREDICATE";
inline constexpr char kLimitExceeded[] = "LIMIT_EXCEEDED";
inline constexpr char kResourceNotFound[] = "RESOURCE_NOT_FOUND";
inline constexpr char kSnapshotExpired[] = "SNAPSHOT_EXPIRED";
inline constexpr char kNotLoaded[] = "KNOWLEDGE_BASE_NOT_LOADED";
inline constexpr char kTooManyStreams[] = "TOO_MANY_STREAMS";
inline constexpr char kCancelled[] = "CANCELLED";
}  // namespace reason

// An error about one request field: `code` (INVALID_ARGUMENT, OUT_OF_RANGE or
// FAILED_PRECONDITION) with `message`, a google.rpc.BadRequest field
// violation for `field` (e.g. "filter", "names[2]"), and an ErrorInfo with
// `reason`. A `position` > 0 is the 1-based character of the field's text
// where the problem is; it goes into the ErrorInfo metadata "position".
absl::Status FieldError(absl::StatusCode code, std::string_view field,
                        std::string_view reason, std::string_view message,
                        int position = 0);

// NOT_FOUND for the resource `name` of `resource_type` (e.g.
// "factgraph.dev/Institution"), with a google.rpc.ResourceInfo and the
// ErrorInfo reason RESOURCE_NOT_FOUND.
absl::Status ResourceNotFound(std::string_view resource_type,
                              std::string_view name, std::string_view message);

// `status` with an ErrorInfo `reason` (replacing any) and, when
// `retry_delay` is positive, a google.rpc.RetryInfo.
absl::Status WithReason(absl::Status status, std::string_view reason,
                        absl::Duration retry_delay = absl::ZeroDuration());

// The google.api.resource type of a resource message, e.g.
// "factgraph.dev/Institution".
std::string ResourceTypeOf(const google::protobuf::Descriptor& resource);

// The type URL under which a google.rpc message `full_name` is attached.
std::string ErrorDetailTypeUrl(std::string_view full_name);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_ERROR_DETAILS_H_
