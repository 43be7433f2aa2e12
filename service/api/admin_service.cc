#include "service/api/admin_service.h"

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
  // Which of several values decides differs between proxies and servers;
  // none does here.
  if (metadata.count("authorization") != 1) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "more than one \"authorization\" metadata entry");
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
  // Loading can take seconds for a large knowledge base: the reloader does
  // it off gRPC's callback threads. The call keeps the server (and so this
  // service) alive until Finish.
  reloader_([reactor,
             response](absl::StatusOr<v1::ReloadKnowledgeBaseResponse> result) {
    if (result.ok()) *response = *std::move(result);
    reactor->Finish(ToGrpcStatus(result.status()));
  });
  return reactor;
}

}  // namespace factgraph::api
