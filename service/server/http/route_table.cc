#include "service/server/http/route_table.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace factgraph::server::http {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// The field at a dotted path of `message`, or null.
const FieldDescriptor* FindFieldPath(const Descriptor* message,
                                     absl::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByName(std::string(name));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field;
}

absl::Status AddRule(const MethodDescriptor* method,
                     const google::api::HttpRule& rule,
                     std::vector<Route>* routes) {
  const std::string where = absl::StrCat(method->full_name(), ": ");
  Route route;
  std::string path;
  // The pattern's field names the HTTP method (get, put, post, delete,
  // patch) and holds the path; `custom` gives both.
  const FieldDescriptor* pattern =
      rule.GetReflection()->GetOneofFieldDescriptor(
          rule, rule.GetDescriptor()->FindOneofByName("pattern"));
  if (pattern == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "google.api.http has no pattern"));
  }
  if (pattern->number() == google::api::HttpRule::kCustomFieldNumber) {
    route.http_method = rule.custom().kind();
    path = rule.custom().path();
  } else {
    route.http_method = absl::AsciiStrToUpper(pattern->name());
    path = rule.GetReflection()->GetString(rule, pattern);
  }
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, parsed.status().message()));
  }
  for (const std::string& field_path : parsed->field_paths()) {
    const FieldDescriptor* field =
        FindFieldPath(method->input_type(), field_path);
    if (field == nullptr || field->is_repeated() ||
        field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "path variable {", field_path,
                       "} is not a singular string field of ",
                       method->input_type()->full_name()));
    }
  }
  route.path = *std::move(parsed);
  route.body = rule.body();
  if (!route.body.empty() && route.body != "*" &&
      FindFieldPath(method->input_type(), route.body) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "body \"", route.body, "\" is not a field of ",
                     method->input_type()->full_name()));
  }
  route.method = method;
  route.grpc_path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  routes->push_back(std::move(route));
  for (const google::api::HttpRule& more : rule.additional_bindings()) {
    if (absl::Status status = AddRule(method, more, routes); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouteTable> RouteTable::FromServices(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  RouteTable table;
  for (const google::protobuf::ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (method->client_streaming()) continue;  // No HTTP/1.1 mapping.
      if (!method->options().HasExtension(google::api::http)) continue;
      if (absl::Status status =
              AddRule(method, method->options().GetExtension(google::api::http),
                      &table.routes_);
          !status.ok()) {
        return status;
      }
    }
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(),
                   [](const Route& a, const Route& b) {
                     return a.path.literal_count() > b.path.literal_count();
                   });
  return table;
}

RouteMatch RouteTable::Find(absl::string_view http_method,
                            absl::string_view path) const {
  RouteMatch result;
  for (const Route& route : routes_) {
    std::optional<PathBindings> bindings = route.path.Match(path);
    if (!bindings.has_value()) continue;
    // HEAD is GET without the body (RFC 9110 9.3.2).
    if (route.http_method == http_method ||
        (http_method == "HEAD" && route.http_method == "GET")) {
      result.outcome = RouteMatch::kFound;
      result.route = &route;
      result.bindings = *std::move(bindings);
      return result;
    }
    result.outcome = RouteMatch::kMethodNotAllowed;
    if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(),
                  route.http_method) == result.allowed_methods.end()) {
      result.allowed_methods.push_back(route.http_method);
    }
  }
  return result;
}

}  // namespace factgraph::server::http
