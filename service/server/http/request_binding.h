// Builds a request message from the parts of an HTTP request — path
// variables, query parameters and the JSON body — as google.api.http
// defines (docs/http.md "Mapping").
#ifndef FACTGRAPH_SERVICE_SERVER_HTTP_REQUEST_BINDING_H_
#define FACTGRAPH_SERVICE_SERVER_HTTP_REQUEST_BINDING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "service/server/http/path_template.h"

namespace factgraph::server::http {

// A query string's parameters, percent-decoded ('+' is a space), in order.
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// INVALID_ARGUMENT naming the parameter when a name or value is not validly
// percent-encoded.
absl::StatusOr<QueryParameters> ParseQueryString(absl::string_view query);

// Query parameters that are not request fields but the transcoder's own
// (e.g. "timeout"); they are skipped by BindRequest.
bool IsSystemParameter(absl::string_view name);

// Sets `request` from the body (JSON per protobuf's mapping: the whole
// request for body "*", the named field for a field name, none for ""),
// then the path bindings, then the query parameters. A parameter names a
// field by its proto or JSON name, nested fields with dots
// ("filter.kind"); repeated fields take the parameter once per element;
// values are read as the JSON mapping reads their text (enums by name or
// number, 64-bit integers, bools, bytes in base64). INVALID_ARGUMENT with a
// google.rpc.BadRequest field violation naming the parameter or the body
// position on any error; a field bound twice is one.
absl::Status BindRequest(absl::string_view body_rule,
                         const PathBindings& bindings,
                         const QueryParameters& query, absl::string_view body,
                         google::protobuf::Message* request);

}  // namespace factgraph::server::http

#endif  // FACTGRAPH_SERVICE_SERVER_HTTP_REQUEST_BINDING_H_
