// The HTTP routes of gRPC methods, read from their google.api.http
// annotations in the descriptors: one generic table, no route written by hand
// (docs/http.md "Mapping").
#ifndef FACTGRAPH_SERVICE_SERVER_HTTP_ROUTE_TABLE_H_
#define FACTGRAPH_SERVICE_SERVER_HTTP_ROUTE_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "service/server/http/path_template.h"

namespace factgraph::server::http {

struct Route {
  std::string http_method;  // "GET", "POST", ...
  PathTemplate path;
  // google.api.HttpRule.body: "" (no body), "*" (the whole request) or a
  // field of the request.
  std::string body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // "/factgraph.v1.FactGraphService/GetInstitution", as gRPC calls it.
  std::string grpc_path;
};

// Where a request lands.
struct RouteMatch {
  enum Outcome { kFound, kNoSuchPath, kMethodNotAllowed } outcome = kNoSuchPath;
  const Route* route = nullptr;  // With kFound.
  PathBindings bindings;         // With kFound.
  // With kMethodNotAllowed: the methods the path takes, for `Allow`.
  std::vector<std::string> allowed_methods;
};

class RouteTable {
 public:
  // The routes of every method of `services` that has a google.api.http
  // option (and its additional_bindings). INVALID_ARGUMENT naming the method
  // when an annotation is malformed or names a field the request lacks.
  static absl::StatusOr<RouteTable> FromServices(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  RouteMatch Find(absl::string_view http_method, absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Most specific first (more literal segments), so that the first match
  // wins.
  std::vector<Route> routes_;
};

}  // namespace factgraph::server::http

#endif  // FACTGRAPH_SERVICE_SERVER_HTTP_ROUTE_TABLE_H_
