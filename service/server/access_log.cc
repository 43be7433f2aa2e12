#include "service/server/access_log.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "service/server/call_cancelled.h"
#include "service/server/call_peer.h"
#include "service/server/log_text.h"

namespace factgraph::server {
namespace {

class AccessLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  AccessLogInterceptor(AccessLog* log, grpc::experimental::ServerRpcInfo* info)
      : log_(log),
        info_(info),
        // Kept now: neither the context nor the method name may be read once
        // the call is being destroyed (the destructor below).
        peer_(info->server_context() == nullptr
                  ? ""
                  : CallPeer(*info->server_context())),
        method_(info->method() == nullptr ? "" : info->method()),
        start_(absl::Now()) {}

  // A call that ends without any of the hooks below still gets its line.
  ~AccessLogInterceptor() override {
    if (!logged_) Write(grpc::StatusCode::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    // Without a request (gRPC hands over none when the caller cancelled
    // before sending it, or sent one that does not parse) the outcome is
    // only known at the close.
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      received_request_ = true;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      code_ = methods->GetSendStatus().error_code();
      // A call cancelled before its request arrived is finished by gRPC with
      // UNIMPLEMENTED (its CallbackUnaryHandler cannot tell a cancelled read
      // from a malformed request): only the close below can tell.
      if (!logged_ && received_request_ && !Cancelled()) Write(code_);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_CLOSE) &&
        !logged_) {
      Write(Cancelled() ? grpc::StatusCode::CANCELLED : code_);
    }
    methods->Proceed();
  }

 private:
  bool Cancelled() { return CallCancelled(*info_); }

  void Write(grpc::StatusCode code) {
    logged_ = true;
    log_->Write(peer_, method_, code,
                absl::ToInt64Microseconds(absl::Now() - start_));
  }

  AccessLog* const log_;
  grpc::experimental::ServerRpcInfo* const info_;
  const std::string peer_;
  const std::string method_;
  const absl::Time start_;
  bool received_request_ = false;
  bool logged_ = false;
  grpc::StatusCode code_ = grpc::StatusCode::UNKNOWN;
};

}  // namespace

std::string_view StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(
    const std::string& path) {
  if (path == "-")
    return std::unique_ptr<AccessLog>(new AccessLog(stderr, false));
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--access_log: cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
}

void AccessLog::Write(std::string_view peer, std::string_view method,
                      grpc::StatusCode code, int64_t latency_us) {
  // Debian's Abseil has its own string_view, so std::string_view parts are
  // appended, not passed to StrCat.
  std::string line = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(),
                                      absl::UTCTimeZone());
  // Peer and method come from the caller (the method is the request's
  // :path, any bytes): escaped so that no caller can forge a line.
  line.append(" ").append(peer.empty() ? std::string("-")
                                       : EscapeLogField(peer));
  line.append(" ").append(method.empty() ? std::string("-")
                                         : EscapeLogField(method));
  line.append(" ").append(StatusCodeName(code));
  line.append(" ").append(std::to_string(latency_us)).append("us\n");
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

void AccessLog::WriteLine(std::string_view line) {
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

grpc::experimental::Interceptor*
AccessLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new AccessLogInterceptor(log_, info);
}

}  // namespace factgraph::server
