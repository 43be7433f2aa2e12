// A hook the server gives the services to refuse a call before any work is
// done for it, e.g. because the caller's connection already holds too many
// responses it has not read (service/server/connection_guard.h).
#ifndef FACTGRAPH_SERVICE_API_ADMISSION_H_
#define FACTGRAPH_SERVICE_API_ADMISSION_H_

#include "absl/status/status.h"
#include "grpcpp/server_context.h"

namespace factgraph::api {

class Admission {
 public:
  virtual ~Admission() = default;
  // OK to serve the call; otherwise the status it gets (RESOURCE_EXHAUSTED).
  virtual absl::Status Admit(
      const grpc::CallbackServerContext& context) const = 0;
};

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_ADMISSION_H_
