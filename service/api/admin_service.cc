#include "service/api/admin_service.h"

#include <thread>
#include <utility>

#include "openssl/crypto.h"
#include "service/api/status.h"

namespace factgraph::api {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

AdminService::AdminService(std::string token, Reloader reloader)
    : token_(std::move(token)), reloader_(std::move(reloader)) {}

grpc::Status AdminService::Authorize(
    const grpc::CallbackServerContext& context) const {
  constexpr std::string_view kScheme = "Bearer ";
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return ToGrpcStatus(absl::UnauthenticatedError(
        "missing \"authorization: Bearer <token>\" metadata"));
  }
  std::string_view value(it->second.data(), it->second.size());
  if (value.substr(0, kScheme.size()) != kScheme ||
      !ConstantTimeEquals(value.substr(kScheme.size()), token_)) {
    return ToGrpcStatus(absl::UnauthenticatedError("invalid admin token"));
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* AdminService::ReloadKnowledgeBase(
    grpc::CallbackServerContext* context,
    const v1::ReloadKnowledgeBaseRequest* request,
    v1::ReloadKnowledgeBaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  grpc::Status authorized = Authorize(*context);
  if (!authorized.ok()) {
    reactor->Finish(authorized);
    return reactor;
  }
  // Loading can take seconds for a large knowledge base: do it off gRPC's
  // callback threads. The call keeps the server (and so this service) alive
  // until Finish.
  std::thread([this, reactor, response] {
    absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result = reloader_();
    if (result.ok()) *response = *std::move(result);
    reactor->Finish(ToGrpcStatus(result.status()));
  }).detach();
  return reactor;
}

}  // namespace factgraph::api
