// factgraph.v1.AdminService: operations that change what the server serves,
// for callers that present the admin bearer token.
#ifndef FACTGRAPH_SERVICE_API_ADMIN_SERVICE_H_
#define FACTGRAPH_SERVICE_API_ADMIN_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "factgraph/v1/admin_service.grpc.pb.h"

namespace factgraph::api {

class AdminService final : public v1::AdminService::CallbackService {
 public:
  // Starts loading the knowledge base again and swapping it in, and calls
  // its argument, on any thread, with the previous and the new snapshot ids
  // or the load errors (the old snapshot stays). The service starts no
  // thread of its own.
  using ReloadDone =
      std::function<void(absl::StatusOr<v1::ReloadKnowledgeBaseResponse>)>;
  using Reloader = std::function<void(ReloadDone)>;

  // `token` must not be empty: without a token the service is not offered.
  AdminService(std::string token, Reloader reloader);

  grpc::ServerUnaryReactor* ReloadKnowledgeBase(
      grpc::CallbackServerContext* context,
      const v1::ReloadKnowledgeBaseRequest* request,
      v1::ReloadKnowledgeBaseResponse* response) override;

 private:
  // OK when the call carries "authorization: Bearer <token>".
  grpc::Status Authorize(const grpc::CallbackServerContext& context) const;

  const std::string token_;
  const Reloader reloader_;
};

// Compares in time that depends only on the lengths, not on where the
// strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_ADMIN_SERVICE_H_
