#include "service/server/http/status_mapping.h"

#include <iterator>

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
  // Indexed by the canonical code; the HTTP statuses google/rpc/code.proto
  // gives for them.
  static constexpr int kHttpStatus[] = {
      200,  // OK
      499,  // CANCELLED
      500,  // UNKNOWN
      400,  // INVALID_ARGUMENT
      504,  // DEADLINE_EXCEEDED
      404,  // NOT_FOUND
      409,  // ALREADY_EXISTS
      403,  // PERMISSION_DENIED
      429,  // RESOURCE_EXHAUSTED
      400,  // FAILED_PRECONDITION
      409,  // ABORTED
      400,  // OUT_OF_RANGE
      501,  // UNIMPLEMENTED
      500,  // INTERNAL
      503,  // UNAVAILABLE
      500,  // DATA_LOSS
      401,  // UNAUTHENTICATED
  };
  static_assert(std::size(kHttpStatus) ==
                grpc::StatusCode::UNAUTHENTICATED + 1);
  const int index = static_cast<int>(code);
  if (index < 0 || index >= static_cast<int>(std::size(kHttpStatus))) {
    return 500;
  }
  return kHttpStatus[index];
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
