#include "service/server/http/status_mapping.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"

namespace factgraph::server::http {
namespace {

// The payload key under which WithFieldViolation keeps the field's name.
constexpr char kFieldPayload[] = "factgraph.dev/http-field";
constexpr char kErrorDomain[] = "factgraph.dev";

void AddDetail(const google::protobuf::Message& detail,
               google::rpc::Status* status) {
  status->add_details()->PackFrom(detail);
}

}  // namespace

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    default:
      return 500;
  }
}

google::rpc::Status RpcStatusOf(const grpc::Status& status) {
  google::rpc::Status rich;
  if (!status.error_details().empty() &&
      rich.ParseFromString(status.error_details()) &&
      rich.code() == static_cast<int>(status.error_code())) {
    // The details may leave a long message out (service/api/status.cc);
    // the status itself always has it.
    rich.set_message(status.error_message());
    return rich;
  }
  rich.Clear();
  rich.set_code(static_cast<int>(status.error_code()));
  rich.set_message(status.error_message());
  return rich;
}

absl::Status WithFieldViolation(absl::Status status, absl::string_view field) {
  status.SetPayload(kFieldPayload, absl::Cord(field));
  return status;
}

google::rpc::Status RpcStatusOf(const absl::Status& status,
                                absl::string_view reason) {
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  rich.set_message(std::string(status.message()));
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(kErrorDomain);
  if (const auto field = status.GetPayload(kFieldPayload); field.has_value()) {
    google::rpc::BadRequest bad_request;
    google::rpc::BadRequest::FieldViolation* violation =
        bad_request.add_field_violations();
    violation->set_field(std::string(*field));
    violation->set_description(std::string(status.message()));
    violation->set_reason(std::string(reason));
    AddDetail(bad_request, &rich);
    (*info.mutable_metadata())["field"] = std::string(*field);
  }
  AddDetail(info, &rich);
  return rich;
}

std::string StatusJson(const google::rpc::Status& status) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(status, &json).ok()) {
    // A detail of a type this binary does not know: the code and message
    // still reach the client.
    google::rpc::Status bare;
    bare.set_code(status.code());
    bare.set_message(status.message());
    json.clear();
    (void)google::protobuf::util::MessageToJsonString(bare, &json);
  }
  return json;
}

}  // namespace factgraph::server::http
