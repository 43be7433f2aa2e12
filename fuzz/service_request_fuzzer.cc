// Request messages through the service layer: the first byte picks a method
// of factgraph.v1.FactGraphService, the rest is sent as its request bytes
// over an in-process channel to the real service over the real knowledge
// base. Bytes that parse as the request must never get INTERNAL, UNKNOWN or
// DATA_LOSS (those would be our bugs, not the caller's); an OK unary answer
// must parse as the response type.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "service/api/factgraph_service.h"
#include "service/query/page_token.h"
#include "service/store/snapshot_holder.h"

namespace {

using namespace factgraph;

// Facts one fuzzed QueryFacts may stream, so that an empty pattern (every
// fact) does not dominate the run time.
constexpr int kMaxFactsPerCall = 2000;

struct InProcessService {
  store::SnapshotHolder holder;
  query::PageTokenCodec tokens;
  std::unique_ptr<api::FactGraphService> service;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
};

InProcessService& Service() {
  static InProcessService* instance = [] {
    auto* created = new InProcessService();
    created->holder.Swap(fuzz::SeedsSnapshot());
    created->service = std::make_unique<api::FactGraphService>(
        &created->holder, &created->tokens, api::FactGraphServiceOptions());
    grpc::ServerBuilder builder;
    builder.RegisterService(created->service.get());
    created->server = builder.BuildAndStart();
    if (created->server == nullptr) fuzz::Fail("cannot start the server");
    created->channel =
        created->server->InProcessChannel(grpc::ChannelArguments());
    return created;
  }();
  return *instance;
}

bool IsOurBug(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::DATA_LOSS;
}

void CheckStatus(const grpc::Status& status, bool request_parses,
                 const std::string& method) {
  if (request_parses && IsOurBug(status.error_code())) {
    fuzz::Fail(method + ": " + std::to_string(status.error_code()) + " " +
               status.error_message());
  }
}

void CallQueryFacts(const std::string& bytes) {
  v1::QueryFactsRequest request;
  if (!request.ParseFromString(bytes)) return;
  if (request.limit() <= 0 || request.limit() > kMaxFactsPerCall) {
    if (request.limit() >= 0) request.set_limit(kMaxFactsPerCall);
  }
  auto stub = v1::FactGraphService::NewStub(Service().channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  auto reader = stub->QueryFacts(&context, request);
  v1::QueryFactsResponse response;
  while (reader->Read(&response)) {
  }
  CheckStatus(reader->Finish(), true, "QueryFacts");
}

void CallUnary(const google::protobuf::MethodDescriptor& method,
               const std::string& bytes) {
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<google::protobuf::Message> request(
      factory->GetPrototype(method.input_type())->New());
  const bool parses = request->ParseFromString(bytes);

  grpc::GenericStub stub(Service().channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  const std::string path =
      "/" + method.service()->full_name() + "/" + method.name();
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request_buffer,
                 &response_buffer,
                 [&done](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  CheckStatus(status, parses, method.name());
  if (!status.ok()) return;
  grpc::Slice answer;
  if (!response_buffer.DumpToSingleSlice(&answer).ok()) {
    fuzz::Fail(method.name() + ": unreadable response");
  }
  std::unique_ptr<google::protobuf::Message> response(
      factory->GetPrototype(method.output_type())->New());
  if (!response->ParseFromArray(answer.begin(),
                                static_cast<int>(answer.size()))) {
    fuzz::Fail(method.name() + ": response does not parse");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::Selected input = fuzz::Select(data, size);
  static const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::FactGraphService::service_full_name());
  if (service == nullptr) fuzz::Fail("no FactGraphService descriptor");
  const google::protobuf::MethodDescriptor& method =
      *service->method(input.selector % service->method_count());
  const std::string bytes(input.payload);
  if (method.server_streaming()) {
    CallQueryFacts(bytes);
  } else {
    CallUnary(method, bytes);
  }
  return 0;
}
