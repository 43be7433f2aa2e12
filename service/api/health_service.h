// grpc.health.v1.Health, implemented from the health proto that Debian's
// grpc-proto ships (so that server reflection can describe it): Check and a
// streaming Watch that reports every change.
#ifndef FACTGRAPH_SERVICE_API_HEALTH_SERVICE_H_
#define FACTGRAPH_SERVICE_API_HEALTH_SERVICE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace factgraph::api {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // `services`: the names Check and Watch know, besides "" (the server).
  explicit HealthService(std::vector<std::string> services);
  ~HealthService() override;

  // Sets the status of the server and of every known service.
  void SetServingStatus(ServingStatus status);

  // Reports NOT_SERVING, then ends every Watch stream so that shutdown is not
  // held up by them; later Watch calls end at once.
  void Shutdown();

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;

  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class WatchReactor;

  void Unregister(WatchReactor* watcher);

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, ServingStatus> statuses_
      ABSL_GUARDED_BY(mu_);
  std::vector<WatchReactor*> watchers_ ABSL_GUARDED_BY(mu_);
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_HEALTH_SERVICE_H_
