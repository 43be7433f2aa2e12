// Example: calling factgraphd from C++ with the generated stub.
//
//   factgraph_cpp_example HOST:PORT
//
// Prints KAIST's display name and aliases, the snapshot id the server sent in
// the response metadata, the universities, and what a missing name answers.
#include <iostream>
#include <memory>
#include <string>

#include "factgraph/service_config.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace {

namespace v1 = factgraph::v1;

int Run(const std::string& target) {
  // The recommended service config: round_robin, retries of UNAVAILABLE.
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(factgraph::kServiceConfigJson);
  std::unique_ptr<v1::FactGraphService::Stub> stub =
      v1::FactGraphService::NewStub(grpc::CreateCustomChannel(
          target, grpc::InsecureChannelCredentials(), args));

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::GetInstitutionRequest request;
  request.set_name("institutions/kaist");
  v1::Institution institution;  // Get returns the resource (AIP-131).
  grpc::Status status = stub->GetInstitution(&context, request, &institution);
  if (!status.ok()) {
    std::cerr << "GetInstitution: " << status.error_message() << "\n";
    return 1;
  }
  std::cout << institution.name() << ": " << institution.display_name() << " (";
  for (int i = 0; i < institution.aliases_size(); ++i) {
    std::cout << (i > 0 ? ", " : "") << institution.aliases(i);
  }
  std::cout << ")\n";
  const auto& metadata = context.GetServerInitialMetadata();
  auto snapshot = metadata.find("x-factgraph-snapshot-id");
  if (snapshot != metadata.end()) {
    std::cout << "snapshot: "
              << std::string(snapshot->second.data(), snapshot->second.size())
              << "\n";
  }

  grpc::ClientContext list_context;
  list_context.set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(10));
  v1::ListInstitutionsRequest list;
  list.set_filter("kind = INSTITUTION_KIND_UNIVERSITY");
  list.set_page_size(1000);
  v1::ListInstitutionsResponse universities;
  status = stub->ListInstitutions(&list_context, list, &universities);
  if (!status.ok()) {
    std::cerr << "ListInstitutions: " << status.error_message() << "\n";
    return 1;
  }
  std::cout << "universities:";
  for (const v1::Institution& university : universities.institutions()) {
    std::cout << " " << university.name();
  }
  std::cout << "\n";

  grpc::ClientContext missing_context;
  missing_context.set_deadline(std::chrono::system_clock::now() +
                               std::chrono::seconds(10));
  request.set_name("institutions/no-such-place");
  status = stub->GetInstitution(&missing_context, request, &institution);
  std::cout << "missing: "
            << (status.error_code() == grpc::StatusCode::NOT_FOUND
                    ? "NOT_FOUND"
                    : "unexpected")
            << " " << status.error_message() << "\n";
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: factgraph_cpp_example HOST:PORT\n";
    return 64;
  }
  return Run(argv[1]);
}
