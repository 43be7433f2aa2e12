// How the CLI reaches factgraphd: the channel (plaintext or TLS), the
// per-call context (deadline, bearer token), and the one place where a gRPC
// status becomes an absl::Status.
#ifndef FACTGRAPH_CLIENT_CLI_CONNECTION_H_
#define FACTGRAPH_CLIENT_CLI_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/cli/command_line.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace factgraph::cli {

struct ConnectionOptions {
  std::string server = "localhost:50051";
  absl::Duration timeout = absl::Seconds(10);
  bool tls = false;
  std::string tls_ca_pem;    // Empty: the system's roots.
  std::string tls_cert_pem;  // Client certificate for mutual TLS.
  std::string tls_key_pem;
  std::string tls_server_name;
  std::string token;  // Sent as "authorization: Bearer <token>".
};

// From the global options, $FACTGRAPH_SERVER and the files they name.
absl::StatusOr<ConnectionOptions> ConnectionOptionsFrom(
    const Invocation& invocation);

class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // Sets the deadline and the token on a context for one call.
  void Prepare(grpc::ClientContext* context) const;
  const ConnectionOptions& options() const { return options_; }
  // A failed call's status (FromGrpc), with a hint when it looks like a
  // TLS/plaintext mismatch.
  absl::Status Failed(const grpc::Status& status) const;

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// " [reason=INVALID_FILTER position=12 field=filter]": the google.rpc
// error details of a gRPC status (grpc-status-details-bin) on one line, or
// empty when there are none.
std::string ErrorDetailsText(const std::string& details);

// The gRPC status as an absl::Status with the same code, the message followed
// by ErrorDetailsText.
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_CONNECTION_H_
