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
  CallObserver(CallMetrics* metrics, AccessLog* access_log,
               LogFormat log_format, grpc::experimental::ServerRpcInfo* info)
      : metrics_(metrics),
        access_log_(access_log),
        log_format_(log_format),
        info_(info),
        // Kept now: neither the context nor the method name may be read once
        // the call is being destroyed (the destructor below).
        peer_(info->server_context() == nullptr
                  ? ""
                  : CallPeer(*info->server_context())),
        method_name_(info->method() == nullptr ? "" : info->method()),
        start_(absl::Now()) {
    if (metrics_ != nullptr) {
      method_index_ = metrics_->MethodIndex(info->method());
      query_facts_ = metrics_->IsQueryFacts(method_index_);
      metrics_->CallStarted(method_index_);
    }
  }

  // gRPC destroys the interceptors when the call is over, whether or not a
  // status was sent (a call cancelled before its handler answered).
  ~CallObserver() override {
    if (!handled_) Handled(grpc::StatusCode::CANCELLED, "");
    if (metrics_ != nullptr) metrics_->CallEnded(method_index_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (access_log_ != nullptr && log_format_ == LogFormat::kJson &&
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
      metrics_->MessageSent(method_index_, facts);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      // A standard method's handler takes the request's bytes, which gRPC
      // hands over even when none arrived.
      received_request_ =
          !api::TakesRequestBytes(method_name_) ||
          static_cast<const grpc::ByteBuffer*>(methods->GetRecvMessage())
              ->Valid();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // Without a request gRPC answers UNIMPLEMENTED both to a caller that
      // cancelled before sending it and to one that sent garbage (its
      // CallbackUnaryHandler cannot tell a cancelled read from a malformed
      // request): only the close tells them apart.
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
      metrics_->CallHandled(method_index_, code, message, latency);
    }
    if (access_log_ == nullptr) return;
    if (log_format_ == LogFormat::kJson) {
      access_log_->WriteLine(
          JsonLogLine(absl::Now(), "info", "call",
                      {LogField::String("method", method_name_),
                       LogField::String("peer", peer_),
                       LogField::String("status", StatusCodeName(code)),
                       LogField::Seconds("latency_seconds", latency),
                       LogField::String("snapshot_id", snapshot_id_)}));
    } else {
      access_log_->Write(peer_, method_name_, code,
                         absl::ToInt64Microseconds(latency));
    }
  }

  CallMetrics* const metrics_;
  AccessLog* const access_log_;
  const LogFormat log_format_;
  grpc::experimental::ServerRpcInfo* const info_;
  const std::string peer_;
  const std::string method_name_;
  const absl::Time start_;
  int method_index_ = 0;
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
  return new CallObserver(metrics_, access_log_, log_format_, info);
}

}  // namespace factgraph::server
