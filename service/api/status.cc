#include "service/api/status.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "service/query/error_details.h"
#include "service/store/utf8.h"

namespace factgraph::api {

namespace {

// The message travels in the trailers, which clients refuse beyond 8 KiB by
// default; a longer one would reach the caller as an unreadable
// RESOURCE_EXHAUSTED instead of the real error.
constexpr size_t kMaxMessageBytes = 4096;
// The details (grpc-status-details-bin, base64 in the trailers) travel beside
// the message: bounded so that both stay within what clients accept. Their
// copy of the message is left out when it is long.
constexpr size_t kMaxDetailsBytes = 2048;
constexpr size_t kMaxDetailsMessageBytes = 512;
// How long a client should wait before retrying an UNAVAILABLE or
// RESOURCE_EXHAUSTED call that says nothing more specific.
constexpr absl::Duration kDefaultRetryDelay = absl::Seconds(1);

std::string BoundedMessage(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  const size_t cut = store::CharacterBoundary(
      std::string_view(message.data(), message.size()), kMaxMessageBytes);
  return std::string(message.substr(0, cut)) + "\n... (message cut at " +
         std::to_string(cut) + " of " + std::to_string(message.size()) +
         " bytes)";
}

// The reason of errors that carry none more specific: the canonical code
// name, e.g. "DEADLINE_EXCEEDED" (docs/errors.md).
std::string DefaultReason(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    return c == ' ' ? '_' : static_cast<char>(absl::ascii_toupper(c));
  });
  return name;
}

template <typename Detail>
void AddDetail(const Detail& detail, google::rpc::Status* status) {
  google::protobuf::Any* any = status->add_details();
  any->set_type_url(
      query::ErrorDetailTypeUrl(Detail::descriptor()->full_name()));
  any->set_value(detail.SerializeAsString());
}

// google.rpc.Status of `status`: its payloads as details (in type-URL order,
// so equal errors serialise equally), plus the ErrorInfo and RetryInfo that
// every error of its code carries (docs/errors.md).
google::rpc::Status RichStatus(const absl::Status& status,
                               const std::string& message) {
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(status.code()));
  if (message.size() <= kMaxDetailsMessageBytes) rich.set_message(message);
  std::vector<std::pair<std::string, std::string>> payloads;
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& value) {
        payloads.emplace_back(std::string(type_url), std::string(value));
      });
  std::sort(payloads.begin(), payloads.end());
  for (const auto& [type_url, value] : payloads) {
    google::protobuf::Any* any = rich.add_details();
    any->set_type_url(type_url);
    any->set_value(value);
  }
  auto has = [&](const google::protobuf::Descriptor* type) {
    const std::string url = query::ErrorDetailTypeUrl(type->full_name());
    return std::any_of(
        payloads.begin(), payloads.end(),
        [&](const auto& payload) { return payload.first == url; });
  };
  if (!has(google::rpc::ErrorInfo::descriptor())) {
    google::rpc::ErrorInfo info;
    info.set_reason(DefaultReason(status.code()));
    info.set_domain(query::kErrorDomain);
    AddDetail(info, &rich);
  }
  const bool retryable = status.code() == absl::StatusCode::kUnavailable ||
                         status.code() == absl::StatusCode::kResourceExhausted;
  if (retryable && !has(google::rpc::RetryInfo::descriptor())) {
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(
        absl::ToInt64Seconds(kDefaultRetryDelay));
    AddDetail(retry, &rich);
  }
  if (rich.ByteSizeLong() > kMaxDetailsBytes) {
    // Keep only what a client switches on: the ErrorInfo and RetryInfo.
    google::rpc::Status small;
    small.set_code(rich.code());
    small.set_message(rich.message());
    for (const google::protobuf::Any& detail : rich.details()) {
      if (detail.type_url() ==
              query::ErrorDetailTypeUrl(
                  google::rpc::ErrorInfo::descriptor()->full_name()) ||
          detail.type_url() ==
              query::ErrorDetailTypeUrl(
                  google::rpc::RetryInfo::descriptor()->full_name())) {
        *small.add_details() = detail;
      }
    }
    return small;
  }
  return rich;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  std::string message = BoundedMessage(status.message());
  std::string details = RichStatus(status, message).SerializeAsString();
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::move(message), std::move(details));
}

absl::Status StoppedQueryStatus(absl::Status status, bool deadline_passed) {
  if (!deadline_passed || status.code() != absl::StatusCode::kCancelled) {
    return status;
  }
  absl::Status deadline(absl::StatusCode::kDeadlineExceeded, status.message());
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    deadline.SetPayload(url, payload);
  });
  return deadline;
}

}  // namespace factgraph::api
