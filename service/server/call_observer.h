// A server interceptor that sees every call once: it feeds CallMetrics and,
// with --log_format=json, writes the call's JSON access log line (the text
// access log keeps its own interceptor, access_log.h).
#ifndef FACTGRAPH_SERVICE_SERVER_CALL_OBSERVER_H_
#define FACTGRAPH_SERVICE_SERVER_CALL_OBSERVER_H_

#include "grpcpp/support/server_interceptor.h"
#include "service/server/access_log.h"
#include "service/server/call_metrics.h"

namespace factgraph::server {

class CallObserverFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Either may be null; `json_access_log` receives JSON lines.
  CallObserverFactory(CallMetrics* metrics, AccessLog* json_access_log)
      : metrics_(metrics), json_access_log_(json_access_log) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallMetrics* const metrics_;
  AccessLog* const json_access_log_;
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_CALL_OBSERVER_H_
