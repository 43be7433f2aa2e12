#ifndef FACTGRAPH_SERVICE_SERVER_CALL_CANCELLED_H_
#define FACTGRAPH_SERVICE_SERVER_CALL_CANCELLED_H_

#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace factgraph::server {

// Whether the call an interceptor sees was cancelled, asked at its
// POST_RECV_CLOSE hook. Only callback-API calls (FactGraphService,
// AdminService, Health) can answer there: for a sync-API call (server
// reflection, Channelz) gRPC 1.51's ServerContext::IsCancelled() plucks the
// close operation again, which runs the interceptors again and recurses until
// the stack overflows. Such calls report false: their status is the one sent.
inline bool CallCancelled(grpc::experimental::ServerRpcInfo& info) {
  const auto* context =
      dynamic_cast<const grpc::CallbackServerContext*>(info.server_context());
  return context != nullptr && context->IsCancelled();
}

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_CALL_CANCELLED_H_
