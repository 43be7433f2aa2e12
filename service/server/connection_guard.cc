#include "service/server/connection_guard.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/server_context.h"
#include "service/server/call_cancelled.h"

namespace factgraph::server {
namespace {

// Entries kept for connections that hold nothing, before stale ones are
// dropped.
constexpr size_t kSweepAbove = 4096;

class ConnectionGuardInterceptor final
    : public grpc::experimental::Interceptor {
 public:
  ConnectionGuardInterceptor(ConnectionGuard* guard,
                             grpc::experimental::ServerRpcInfo* info)
      : guard_(guard), info_(info) {}

  ~ConnectionGuardInterceptor() override {
    if (charged_ > 0) guard_->Release(peer_, charged_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      const grpc::ByteBuffer* message = methods->GetSerializedSendMessage();
      const int64_t bytes =
          message == nullptr ? 0 : static_cast<int64_t>(message->Length());
      if (bytes > 0) {
        LoadPeer();
        guard_->Charge(peer_, bytes);
        charged_ += bytes;
        in_flight_ = bytes;
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_SEND_MESSAGE) &&
        in_flight_ > 0) {
      // Sent (for a stream, the next message may follow): no longer held.
      guard_->Release(peer_, in_flight_);
      charged_ -= in_flight_;
      in_flight_ = 0;
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_CLOSE)) {
      if (CallCancelled(*info_)) {
        LoadPeer();
        guard_->NoteCancelled(peer_);
      }
    }
    methods->Proceed();
  }

 private:
  void LoadPeer() {
    if (peer_.empty() && info_->server_context() != nullptr) {
      peer_ = info_->server_context()->peer();
    }
  }

  ConnectionGuard* const guard_;
  grpc::experimental::ServerRpcInfo* const info_;
  std::string peer_;
  int64_t charged_ = 0;
  int64_t in_flight_ = 0;
};

// The socket address of a gRPC peer string, or false.
bool ParsePeer(const std::string& peer, sockaddr_storage* address) {
  std::memset(address, 0, sizeof(*address));
  absl::string_view text(peer);
  int port = 0;
  if (absl::ConsumePrefix(&text, "ipv4:")) {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos ||
        !absl::SimpleAtoi(text.substr(colon + 1), &port)) {
      return false;
    }
    auto* in = reinterpret_cast<sockaddr_in*>(address);
    in->sin_family = AF_INET;
    in->sin_port = htons(static_cast<uint16_t>(port));
    return inet_pton(AF_INET, std::string(text.substr(0, colon)).c_str(),
                     &in->sin_addr) == 1;
  }
  if (absl::ConsumePrefix(&text, "ipv6:[")) {
    const size_t bracket = text.rfind("]:");
    if (bracket == absl::string_view::npos ||
        !absl::SimpleAtoi(text.substr(bracket + 2), &port)) {
      return false;
    }
    std::string host(text.substr(0, bracket));
    // A zone ("%eth0") is not part of the address compared.
    host = host.substr(0, host.find('%'));
    auto* in6 = reinterpret_cast<sockaddr_in6*>(address);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    return inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1;
  }
  return false;
}

bool SameAddress(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
  const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
  return x.sin6_port == y.sin6_port &&
         std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof(x.sin6_addr)) == 0;
}

}  // namespace

absl::Status ConnectionGuard::Admit(
    const grpc::CallbackServerContext& context) const {
  const int64_t total = unsent_bytes();
  if (total > options_.max_unsent_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the server holds ", total,
        " bytes of responses its callers have not read, more than its limit "
        "of ",
        options_.max_unsent_bytes, "; retry later"));
  }
  // No connection can be over its limit while all together are not.
  if (total <= options_.max_unsent_bytes_per_connection) {
    return absl::OkStatus();
  }
  const std::string peer = context.peer();
  int64_t held = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = connections_.find(peer);
    if (it != connections_.end()) held = it->second.unsent;
  }
  if (held <= options_.max_unsent_bytes_per_connection) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "this connection holds ", held,
      " bytes of responses it has not read, more than the limit of ",
      options_.max_unsent_bytes_per_connection,
      "; read them or open fewer calls at once"));
}

void ConnectionGuard::Charge(const std::string& peer, int64_t bytes) {
  total_unsent_.fetch_add(bytes, std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  connections_[peer].unsent += bytes;
}

void ConnectionGuard::Release(const std::string& peer, int64_t bytes) {
  total_unsent_.fetch_sub(bytes, std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  auto it = connections_.find(peer);
  if (it == connections_.end()) return;
  it->second.unsent -= bytes;
  if (it->second.unsent <= 0 && it->second.cancellations == 0) {
    connections_.erase(it);
  }
}

void ConnectionGuard::NoteCancelled(const std::string& peer) {
  if (options_.max_cancellations_per_second <= 0) return;
  const absl::Time now = absl::Now();
  bool shut_down = false;
  {
    absl::MutexLock lock(&mu_);
    if (connections_.size() > kSweepAbove) {
      absl::erase_if(connections_, [&](const auto& entry) {
        return entry.second.unsent <= 0 &&
               now - entry.second.window_start > absl::Seconds(1);
      });
    }
    Connection& connection = connections_[peer];
    if (now - connection.window_start > absl::Seconds(1)) {
      connection.window_start = now;
      connection.cancellations = 0;
    }
    if (++connection.cancellations > options_.max_cancellations_per_second) {
      connection.cancellations = 0;
      connection.window_start = now;
      shut_down = true;
    }
  }
  if (shut_down && ShutDownConnectionTo(peer)) {
    shut_down_.fetch_add(1, std::memory_order_relaxed);
  }
}

grpc::experimental::Interceptor*
ConnectionGuardInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ConnectionGuardInterceptor(guard_, info);
}

bool ShutDownConnectionTo(const std::string& peer) {
  sockaddr_storage wanted;
  if (!ParsePeer(peer, &wanted)) return false;
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return false;
  bool found = false;
  while (dirent* entry = readdir(fds)) {
    int fd = 0;
    if (!absl::SimpleAtoi(entry->d_name, &fd) || fd == dirfd(fds)) continue;
    sockaddr_storage address;
    socklen_t size = sizeof(address);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      continue;
    }
    if (SameAddress(address, wanted)) {
      // Not close(): the descriptor stays gRPC's; it sees the connection end.
      ::shutdown(fd, SHUT_RDWR);
      found = true;
    }
  }
  closedir(fds);
  return found;
}

}  // namespace factgraph::server
