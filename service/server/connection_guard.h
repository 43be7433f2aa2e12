// Bounds on what one client connection can make the server hold, beyond
// gRPC 1.51's own (SECURITY.md "Holding under abuse"):
//
// - Response bytes built but not yet sent. A caller that never reads (HTTP/2
//   window 0) leaves every response it asked for in the server. Each call's
//   response is charged to its connection and to the process from the moment
//   gRPC is handed it until the call ends; while a connection holds more than
//   `max_unsent_bytes_per_connection`, or all connections more than
//   `max_unsent_bytes`, new unary calls are RESOURCE_EXHAUSTED before any
//   work is done for them (api::Admission). gRPC's max send message size caps
//   one response, so a connection holds at most its limit plus one response
//   per concurrent stream.
// - Stream resets (CVE-2023-44487, "rapid reset"). gRPC 1.51 predates the
//   upstream mitigation: a client that opens and cancels streams as fast as
//   it can makes the server build calls faster than it frees them. A
//   connection on which more than `max_cancellations_per_second` calls end
//   cancelled within one second is shut down (its socket, found by the peer
//   address gRPC reports), which ends every call on it.
//
// Connections are told apart by gRPC's peer string ("ipv4:127.0.0.1:5678"),
// which names one TCP connection.
#ifndef FACTGRAPH_SERVICE_SERVER_CONNECTION_GUARD_H_
#define FACTGRAPH_SERVICE_SERVER_CONNECTION_GUARD_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/api/admission.h"

namespace factgraph::server {

struct ConnectionGuardOptions {
  int64_t max_unsent_bytes_per_connection = int64_t{16} << 20;
  int64_t max_unsent_bytes = int64_t{1} << 30;
  // 0: no limit.
  int max_cancellations_per_second = 500;
};

class ConnectionGuard final : public api::Admission {
 public:
  explicit ConnectionGuard(ConnectionGuardOptions options)
      : options_(options) {}

  absl::Status Admit(const grpc::CallbackServerContext& context) const override;

  // Response bytes handed to gRPC on `peer`'s connection / returned when its
  // call ended.
  void Charge(const std::string& peer, int64_t bytes);
  void Release(const std::string& peer, int64_t bytes);

  // A call on `peer`'s connection ended cancelled; shuts the connection down
  // once it exceeds the rate.
  void NoteCancelled(const std::string& peer);

  int64_t unsent_bytes() const {
    return total_unsent_.load(std::memory_order_relaxed);
  }
  int64_t connections_shut_down() const {
    return shut_down_.load(std::memory_order_relaxed);
  }

 private:
  struct Connection {
    int64_t unsent = 0;
    absl::Time window_start;
    int cancellations = 0;
  };

  const ConnectionGuardOptions options_;
  std::atomic<int64_t> total_unsent_{0};
  std::atomic<int64_t> shut_down_{0};
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Connection> connections_
      ABSL_GUARDED_BY(mu_);
};

// Charges each call's response to the guard and tells it of cancelled calls.
class ConnectionGuardInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ConnectionGuardInterceptorFactory(ConnectionGuard* guard)
      : guard_(guard) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  ConnectionGuard* const guard_;
};

// Shuts down (both directions) this process's TCP socket whose peer is
// `peer`, a gRPC peer string; gRPC then closes that connection. Returns
// whether a socket was found.
bool ShutDownConnectionTo(const std::string& peer);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_CONNECTION_GUARD_H_
