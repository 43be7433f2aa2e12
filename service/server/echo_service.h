// factgraph.bench.v1.EchoService: does no work, so that benchmarks can
// measure the transport's ceiling on the same server build and options.
#ifndef FACTGRAPH_SERVICE_SERVER_ECHO_SERVICE_H_
#define FACTGRAPH_SERVICE_SERVER_ECHO_SERVICE_H_

#include "factgraph/bench/v1/echo_service.grpc.pb.h"

namespace factgraph::server {

class EchoService final : public bench::v1::EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const bench::v1::EchoRequest* request,
                                 bench::v1::EchoResponse* response) override {
    response->set_payload(request->payload());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_ECHO_SERVICE_H_
