#include "service/server/call_observer.h"

#include <string>

#include "absl/time/clock.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "grpcpp/server_context.h"
#include "service/api/factgraph_service.h"
#include "service/server/call_cancelled.h"
#include "service/server/call_peer.h"
#include "service/server/log_format.h"

namespace factgraph::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class CallObserver final : public grpc::experimental::Interceptor {
 public:
  CallObserver(CallMetrics* metrics, AccessLog* json_access_log,
               grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics),
        json_access_log_(json_access_log),
        info_(info),
        start_(absl::Now()) {
    if (metrics_ != nullptr) {
      method_ = metrics_->MethodIndex(info->method());
      query_facts_ = metrics_->IsQueryFacts(method_);
      metrics_->CallStarted(method_);
    }
  }

  // gRPC destroys the interceptors when the call is over, whether or not a
  // status was sent (a call cancelled before its handler answered).
  ~CallObserver() override {
    if (!handled_) Handled(grpc::StatusCode::CANCELLED, "");
    if (metrics_ != nullptr) metrics_->CallEnded(method_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (json_access_log_ != nullptr &&
        methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      const auto* metadata = methods->GetSendInitialMetadata();
      auto found = metadata->find(api::kSnapshotIdMetadataKey);
      if (found != metadata->end()) snapshot_id_ = found->second;
    }
    if (metrics_ != nullptr && methods->QueryInterceptionHookPoint(
                                   InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      int64_t facts = 0;
      if (query_facts_) {
        const auto* response = static_cast<const v1::QueryFactsResponse*>(
            methods->GetSendMessage());
        if (response != nullptr) facts = response->facts_size();
      }
      metrics_->MessageSent(method_, facts);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      received_request_ = true;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // Without a request gRPC answers UNIMPLEMENTED both to a caller that
      // cancelled before sending it and to one that sent garbage: only the
      // close tells them apart (as in access_log.cc).
      if (received_request_ ||
          status.error_code() != grpc::StatusCode::UNIMPLEMENTED) {
        Handled(status.error_code(), status.error_message());
      } else {
        deferred_ = status;
      }
    }
    if (!handled_ && methods->QueryInterceptionHookPoint(
                         InterceptionHookPoints::POST_RECV_CLOSE)) {
      if (CallCancelled(*info_)) {
        Handled(grpc::StatusCode::CANCELLED, "");
      } else {
        Handled(deferred_.error_code(), deferred_.error_message());
      }
    }
    methods->Proceed();
  }

 private:
  void Handled(grpc::StatusCode code, const std::string& message) {
    handled_ = true;
    const absl::Duration latency = absl::Now() - start_;
    if (metrics_ != nullptr) {
      metrics_->CallHandled(method_, code, message, latency);
    }
    if (json_access_log_ != nullptr) {
      const grpc::ServerContextBase* context = info_->server_context();
      json_access_log_->WriteLine(JsonLogLine(
          absl::Now(), "info", "call",
          {LogField::String("method", info_->method()),
           LogField::String("peer",
                            context == nullptr ? "" : CallPeer(*context)),
           LogField::String("status", StatusCodeName(code)),
           LogField::Seconds("latency_seconds", latency),
           LogField::String("snapshot_id", snapshot_id_)}));
    }
  }

  CallMetrics* const metrics_;
  AccessLog* const json_access_log_;
  grpc::experimental::ServerRpcInfo* const info_;
  const absl::Time start_;
  int method_ = 0;
  bool query_facts_ = false;
  bool handled_ = false;
  bool received_request_ = false;
  // The status of a call without a request, logged at its close.
  grpc::Status deferred_ = grpc::Status(grpc::StatusCode::CANCELLED, "");
  std::string snapshot_id_;
};

}  // namespace

grpc::experimental::Interceptor* CallObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallObserver(metrics_, json_access_log_, info);
}

}  // namespace factgraph::server
