#include "service/api/status.h"

#include <string>

#include "absl/strings/string_view.h"

namespace factgraph::api {

namespace {

// The message travels in the trailers, which clients refuse beyond 8 KiB by
// default; a longer one would reach the caller as an unreadable
// RESOURCE_EXHAUSTED instead of the real error.
constexpr size_t kMaxMessageBytes = 4096;

std::string BoundedMessage(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  size_t cut = kMaxMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(message.substr(0, cut)) + "\n... (message cut at " +
         std::to_string(cut) + " of " + std::to_string(message.size()) +
         " bytes)";
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      BoundedMessage(status.message()));
}

}  // namespace factgraph::api
