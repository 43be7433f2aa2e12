// One line per finished call — time, peer, method, status, latency — written
// by the call observer (call_observer.h), so that no handler has to remember
// to log.
#ifndef FACTGRAPH_SERVICE_SERVER_ACCESS_LOG_H_
#define FACTGRAPH_SERVICE_SERVER_ACCESS_LOG_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/status.h"

namespace factgraph::server {

// Where access log lines go: a file opened for appending, or stderr for "-".
class AccessLog {
 public:
  static absl::StatusOr<std::unique_ptr<AccessLog>> Open(
      const std::string& path);
  ~AccessLog();

  // "<RFC 3339 time> <peer> <method> <status code name> <latency>us"
  void Write(std::string_view peer, std::string_view method,
             grpc::StatusCode code, int64_t latency_us);
  // Appends one finished line (e.g. a JSON one, service/server/log_format.h).
  void WriteLine(std::string_view line);

 private:
  AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  absl::Mutex mu_;
  std::FILE* const file_;
  const bool owned_;
};

// The canonical name of a status code, e.g. "NOT_FOUND".
std::string_view StatusCodeName(grpc::StatusCode code);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_ACCESS_LOG_H_
