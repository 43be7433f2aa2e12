#include "service/query/error_details.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/api/resource.pb.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"

namespace factgraph::query {
namespace {

void Attach(const google::protobuf::Message& detail, absl::Status* status) {
  status->SetPayload(ErrorDetailTypeUrl(detail.GetDescriptor()->full_name()),
                     absl::Cord(detail.SerializeAsString()));
}

google::rpc::ErrorInfo Info(v1::ErrorReason reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(v1::ErrorReason_Name(reason));
  info.set_domain(kErrorDomain);
  return info;
}

}  // namespace

std::string ResourceTypeOf(const google::protobuf::Descriptor& resource) {
  const std::string& type =
      resource.options().GetExtension(google::api::resource).type();
  return type.empty() ? absl::StrCat(kErrorDomain, "/", resource.name()) : type;
}

std::string ErrorDetailTypeUrl(std::string_view full_name) {
  return absl::StrCat("type.googleapis.com/", std::string(full_name));
}

absl::Status FieldError(absl::StatusCode code, std::string_view field,
                        v1::ErrorReason reason, std::string_view message,
                        int position) {
  absl::Status status(code, std::string(message));
  google::rpc::BadRequest bad_request;
  google::rpc::BadRequest::FieldViolation* violation =
      bad_request.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(message));
  violation->set_reason(v1::ErrorReason_Name(reason));
  Attach(bad_request, &status);
  google::rpc::ErrorInfo info = Info(reason);
  (*info.mutable_metadata())["field"] = std::string(field);
  if (position > 0) {
    (*info.mutable_metadata())["position"] = absl::StrCat(position);
  }
  Attach(info, &status);
  return status;
}

absl::Status ResourceNotFound(std::string_view resource_type,
                              std::string_view name, std::string_view message) {
  absl::Status status = absl::NotFoundError(std::string(message));
  google::rpc::ResourceInfo resource;
  resource.set_resource_type(std::string(resource_type));
  resource.set_resource_name(std::string(name));
  resource.set_description(std::string(message));
  Attach(resource, &status);
  Attach(Info(v1::RESOURCE_NOT_FOUND), &status);
  return status;
}

absl::Status WithReason(absl::Status status, v1::ErrorReason reason,
                        absl::Duration retry_delay) {
  if (status.ok()) return status;
  Attach(Info(reason), &status);
  if (retry_delay > absl::ZeroDuration()) {
    google::rpc::RetryInfo retry;
    const int64_t nanos = absl::ToInt64Nanoseconds(retry_delay);
    retry.mutable_retry_delay()->set_seconds(nanos / 1'000'000'000);
    retry.mutable_retry_delay()->set_nanos(
        static_cast<int32_t>(nanos % 1'000'000'000));
    Attach(retry, &status);
  }
  return status;
}

}  // namespace factgraph::query
