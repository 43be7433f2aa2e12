// factgraph_cq_echo_server: factgraph.bench.v1.EchoService on gRPC's
// completion-queue API, to compare with the callback API that factgraphd
// uses (its --enable_echo serves the same method). Nothing else is served,
// so that the comparison is of the two APIs alone.
//
//   factgraph_cq_echo_server --listen=127.0.0.1:0 --port_file=F [--threads=2]
// Runs until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "factgraph/bench/v1/echo_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "service/server/echo_service.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "host:port to listen on");
ABSL_FLAG(std::string, port_file, "", "write the bound port here");
ABSL_FLAG(bool, mutex_deadlock_detection, true,
          "keep Abseil's Mutex deadlock detection (on by default in "
          "Debian's Abseil; gRPC's locks are absl::Mutex), to measure what "
          "it costs per call");
ABSL_FLAG(int32_t, threads, 2,
          "threads, each polling its own completion queue");

namespace factgraph::bench {
namespace {

constexpr char kUsage[] =
    "EchoService on gRPC's completion-queue API, for benchmarks.";

using Service = bench::v1::EchoService::AsyncService;

// One call's state: waiting for a request, then for its answer to be sent.
class EchoCall {
 public:
  EchoCall(Service* service, grpc::ServerCompletionQueue* cq)
      : service_(service), cq_(cq), responder_(&context_) {
    service_->RequestEcho(&context_, &request_, &responder_, cq_, cq_, this);
  }

  // Advances on a completion; `ok` is false when the queue is shutting down.
  void Proceed(bool ok) {
    if (answered_ || !ok) {
      delete this;
      return;
    }
    // Accept the next call before answering this one.
    new EchoCall(service_, cq_);
    const grpc::Status status = server::AnswerEcho(request_, &response_);
    answered_ = true;
    responder_.Finish(response_, status, this);
  }

 private:
  Service* service_;
  grpc::ServerCompletionQueue* cq_;
  grpc::ServerContext context_;
  bench::v1::EchoRequest request_;
  bench::v1::EchoResponse response_;
  grpc::ServerAsyncResponseWriter<bench::v1::EchoResponse> responder_;
  bool answered_ = false;
};

int Run() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!absl::GetFlag(FLAGS_mutex_deadlock_detection)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }
  Service service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen),
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  const int thread_count = std::max(1, absl::GetFlag(FLAGS_threads));
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
  for (int i = 0; i < thread_count; ++i) {
    queues.push_back(builder.AddCompletionQueue());
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "cannot listen on %s\n",
                 absl::GetFlag(FLAGS_listen).c_str());
    return 1;
  }
  std::vector<std::thread> threads;
  for (auto& queue : queues) {
    // Several pending calls per queue, so that a burst need not wait for
    // the next RequestEcho.
    for (int i = 0; i < 32; ++i) new EchoCall(&service, queue.get());
    threads.emplace_back([cq = queue.get()] {
      void* tag = nullptr;
      bool ok = false;
      while (cq->Next(&tag, &ok)) static_cast<EchoCall*>(tag)->Proceed(ok);
    });
  }
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    {
      std::ofstream out(port_file + ".tmp");
      out << port << "\n";
    }
    std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  }
  int signal = 0;
  sigwait(&signals, &signal);
  server->Shutdown();
  for (auto& queue : queues) queue->Shutdown();
  for (std::thread& thread : threads) thread.join();
  return 0;
}

}  // namespace
}  // namespace factgraph::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(factgraph::bench::kUsage);
  absl::ParseCommandLine(argc, argv);
  return factgraph::bench::Run();
}
