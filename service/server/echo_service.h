// factgraph.bench.v1.EchoService: does no work, so that benchmarks can
// measure the transport's ceiling on the same server build and options.
#ifndef FACTGRAPH_SERVICE_SERVER_ECHO_SERVICE_H_
#define FACTGRAPH_SERVICE_SERVER_ECHO_SERVICE_H_

#include <string>

#include "factgraph/bench/v1/echo_service.grpc.pb.h"

namespace factgraph::server {

// The answer to an echo `request`, written over `response` (shared by the
// callback service below and the completion-queue echo server of bench/).
inline grpc::Status AnswerEcho(const bench::v1::EchoRequest& request,
                               bench::v1::EchoResponse* response) {
  constexpr int kMaxResponseBytes = 1 << 20;
  if (request.response_bytes() > kMaxResponseBytes) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        "response_bytes " + std::to_string(request.response_bytes()) +
            " exceeds the maximum of " + std::to_string(kMaxResponseBytes));
  }
  if (request.response_bytes() > 0) {
    response->mutable_payload()->assign(
        static_cast<size_t>(request.response_bytes()), '\0');
  } else {
    response->set_payload(request.payload());
  }
  return grpc::Status::OK;
}

class EchoService final : public bench::v1::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const bench::v1::EchoRequest* request,
                                 bench::v1::EchoResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(AnswerEcho(*request, response));
    return reactor;
  }
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_ECHO_SERVICE_H_
