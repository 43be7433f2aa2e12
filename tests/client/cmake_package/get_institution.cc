// get_institution HOST:PORT NAME: prints "NAME: DISPLAY_NAME" of the
// institution, through the installed stubs and service config.
#include <iostream>
#include <memory>

#include "factgraph/service_config.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: get_institution HOST:PORT NAME\n";
    return 2;
  }
  // The installed recommended service config.
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(factgraph::kServiceConfigJson);
  auto stub =
      factgraph::v1::FactGraphService::NewStub(grpc::CreateCustomChannel(
          argv[1], grpc::InsecureChannelCredentials(), args));
  grpc::ClientContext context;
  factgraph::v1::GetInstitutionRequest request;
  request.set_name(argv[2]);
  factgraph::v1::Institution institution;
  const grpc::Status status =
      stub->GetInstitution(&context, request, &institution);
  if (!status.ok()) {
    std::cerr << status.error_message() << "\n";
    return 1;
  }
  std::cout << institution.name() << ": " << institution.display_name() << "\n";
  return 0;
}
