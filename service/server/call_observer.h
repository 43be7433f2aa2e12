// The server interceptor that decides each call's outcome, once, and feeds
// it to CallMetrics and to the access log (a text or a JSON line), so that
// the metrics and the log cannot disagree about a call.
#ifndef FACTGRAPH_SERVICE_SERVER_CALL_OBSERVER_H_
#define FACTGRAPH_SERVICE_SERVER_CALL_OBSERVER_H_

#include "grpcpp/support/server_interceptor.h"
#include "service/server/access_log.h"
#include "service/server/call_metrics.h"
#include "service/server/log_format.h"

namespace factgraph::server {

class CallObserverFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Either may be null; `access_log` receives lines in `log_format`.
  CallObserverFactory(CallMetrics* metrics, AccessLog* access_log,
                      LogFormat log_format)
      : metrics_(metrics), access_log_(access_log), log_format_(log_format) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallMetrics* const metrics_;
  AccessLog* const access_log_;
  const LogFormat log_format_;
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_CALL_OBSERVER_H_
