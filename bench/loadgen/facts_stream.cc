#include "bench/loadgen/facts_stream.h"

#include "absl/strings/str_cat.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace factgraph::bench {

absl::StatusOr<FactsStreamResult> MeasureFactsStream(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration duration,
    int32_t limit) {
  auto stub = factgraph::v1::FactGraphService::NewStub(channel);
  FactsStreamResult result;
  const absl::Time start = absl::Now();
  do {
    grpc::ClientContext context;
    factgraph::v1::QueryFactsRequest request;
    request.set_limit(limit);
    auto reader = stub->QueryFacts(&context, request);
    factgraph::v1::QueryFactsResponse response;
    while (reader->Read(&response)) result.facts += response.facts_size();
    const grpc::Status status = reader->Finish();
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("QueryFacts: ", status.error_message()));
    }
    ++result.calls;
  } while (absl::Now() - start < duration);
  result.elapsed = absl::Now() - start;
  result.facts_per_second =
      static_cast<double>(result.facts) / absl::ToDoubleSeconds(result.elapsed);
  return result;
}

}  // namespace factgraph::bench
