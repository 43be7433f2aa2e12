#include "service/api/health_service.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace factgraph::api {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream. Writes the latest status whenever it changes; at most one
// write is in flight, and a change during a write is sent after it.
class HealthService::WatchReactor final
    : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  WatchReactor(HealthService* service, std::string name)
      : service_(service), name_(std::move(name)) {}

  // Queues `status` if it differs from the last one sent or queued.
  void Update(ServingStatus status) {
    absl::MutexLock lock(&mu_);
    if (finished_ || status == last_queued_) return;
    last_queued_ = status;
    pending_ = status;
    MaybeWriteLocked();
  }

  // Ends the stream with OK after what is queued has been written.
  void FinishAfterWrites() {
    absl::MutexLock lock(&mu_);
    finish_requested_ = true;
    MaybeWriteLocked();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    MaybeWriteLocked();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    service_->Unregister(this);
    delete this;
  }

 private:
  void MaybeWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || writing_) return;
    if (pending_.has_value()) {
      response_.set_status(*pending_);
      pending_.reset();
      writing_ = true;
      StartWrite(&response_);
      return;
    }
    if (finish_requested_) FinishLocked(grpc::Status::OK);
  }

  void FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    Finish(std::move(status));
  }

  HealthService* const service_;
  const std::string name_;
  absl::Mutex mu_;
  HealthCheckResponse response_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> pending_ ABSL_GUARDED_BY(mu_);
  std::optional<ServingStatus> last_queued_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

HealthService::HealthService(std::vector<std::string> services) {
  absl::MutexLock lock(&mu_);
  statuses_[""] = HealthCheckResponse::NOT_SERVING;
  for (auto& service : services) {
    statuses_[std::move(service)] = HealthCheckResponse::NOT_SERVING;
  }
}

HealthService::~HealthService() = default;

void HealthService::SetServingStatus(ServingStatus status) {
  std::vector<WatchReactor*> watchers;
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    for (auto& [name, current] : statuses_) current = status;
    // Updates happen under mu_ so that a watcher cannot unregister (and be
    // deleted) while it is being updated.
    for (WatchReactor* watcher : watchers_) watcher->Update(status);
  }
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  for (auto& [name, current] : statuses_) {
    current = HealthCheckResponse::NOT_SERVING;
  }
  shut_down_ = true;
  for (WatchReactor* watcher : watchers_) {
    watcher->Update(HealthCheckResponse::NOT_SERVING);
    watcher->FinishAfterWrites();
  }
}

void HealthService::Unregister(WatchReactor* watcher) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(std::remove(watchers_.begin(), watchers_.end(), watcher),
                  watchers_.end());
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(request->service());
  if (it == statuses_.end()) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::NOT_FOUND,
                     "unknown service \"" + request->service() + "\""));
    return reactor;
  }
  response->set_status(it->second);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request) {
  auto* watcher = new WatchReactor(this, request->service());
  absl::MutexLock lock(&mu_);
  watchers_.push_back(watcher);
  auto it = statuses_.find(request->service());
  // Per the health protocol, an unknown service is reported as
  // SERVICE_UNKNOWN and the stream stays open.
  watcher->Update(it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN
                                        : it->second);
  if (shut_down_) watcher->FinishAfterWrites();
  return watcher;
}

}  // namespace factgraph::api
