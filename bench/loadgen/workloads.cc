#include "bench/loadgen/workloads.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "factgraph/bench/v1/echo_service.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace factgraph::bench {
namespace {

constexpr char kService[] = "/factgraph.v1.FactGraphService/";

grpc::ByteBuffer Serialize(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

template <typename Request>
Workload MakeWorkload(std::string label, std::string method,
                      const std::vector<Request>& requests) {
  Workload workload{std::move(label), std::move(method), {}};
  for (const Request& request : requests) {
    workload.bodies.push_back(Serialize(request));
  }
  return workload;
}

// Echo answering with as many bytes as the mean response of `searches`:
// what the transport alone costs for responses of that size, to read the
// search workload's ratio against (a search page carries kilobytes of
// explanations; the baseline echo carries none).
absl::StatusOr<Workload> EchoSizedAsSearches(
    factgraph::v1::FactGraphService::Stub& stub,
    const std::vector<factgraph::v1::SearchEntitiesRequest>& searches,
    absl::string_view label) {
  size_t total_bytes = 0;
  for (const factgraph::v1::SearchEntitiesRequest& search : searches) {
    grpc::ClientContext context;
    factgraph::v1::SearchEntitiesResponse response;
    if (absl::Status status =
            FromGrpc(stub.SearchEntities(&context, search, &response),
                     absl::StrCat("SearchEntities \"", search.query(), "\""));
        !status.ok()) {
      return status;
    }
    total_bytes += response.ByteSizeLong();
  }
  bench::v1::EchoRequest request;
  request.set_response_bytes(static_cast<int32_t>(
      searches.empty() ? 0 : total_bytes / searches.size()));
  return MakeWorkload(absl::StrCat("Echo of ", request.response_bytes(),
                                   " B, the mean response of ", label),
                      "/factgraph.bench.v1.EchoService/Echo",
                      std::vector<bench::v1::EchoRequest>{request});
}

// SearchEntities of page size 10 over `queries`, then the echo of its mean
// response size.
absl::Status AddSearchWorkloads(factgraph::v1::FactGraphService::Stub& stub,
                                const std::vector<std::string>& queries,
                                const std::string& label,
                                std::vector<Workload>* workloads) {
  std::vector<factgraph::v1::SearchEntitiesRequest> searches;
  for (const std::string& query : queries) {
    factgraph::v1::SearchEntitiesRequest& search = searches.emplace_back();
    search.set_query(query);
    search.set_page_size(10);
  }
  if (searches.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(label, ": no query to send"));
  }
  absl::StatusOr<Workload> sized_echo =
      EchoSizedAsSearches(stub, searches, label);
  if (!sized_echo.ok()) return sized_echo.status();
  workloads->push_back(
      MakeWorkload(label, absl::StrCat(kService, "SearchEntities"), searches));
  workloads->push_back(*std::move(sized_echo));
  return absl::OkStatus();
}

}  // namespace

Workload EchoWorkload() {
  return MakeWorkload(kEchoLabel, "/factgraph.bench.v1.EchoService/Echo",
                      std::vector<bench::v1::EchoRequest>(1));
}

absl::StatusOr<std::vector<Workload>> DiscoverWorkloads(
    const std::shared_ptr<grpc::Channel>& channel, int max_bodies) {
  auto stub = factgraph::v1::FactGraphService::NewStub(channel);
  const size_t limit = static_cast<size_t>(std::max(1, max_bodies));

  factgraph::v1::ListInstitutionsResponse institutions;
  {
    grpc::ClientContext context;
    factgraph::v1::ListInstitutionsRequest request;
    request.set_page_size(1000);
    // Cities are hubs (every institution is located in one): asking for
    // them would make every workload about the few most linked entities.
    request.set_filter("kind != INSTITUTION_KIND_CITY");
    if (absl::Status status =
            FromGrpc(stub->ListInstitutions(&context, request, &institutions),
                     "ListInstitutions");
        !status.ok()) {
      return status;
    }
  }
  factgraph::v1::ListAgreementsResponse agreements;
  {
    grpc::ClientContext context;
    factgraph::v1::ListAgreementsRequest request;
    request.set_page_size(1000);
    if (absl::Status status =
            FromGrpc(stub->ListAgreements(&context, request, &agreements),
                     "ListAgreements");
        !status.ok()) {
      return status;
    }
  }
  if (institutions.institutions().empty()) {
    return absl::FailedPreconditionError(
        "the knowledge base has no institutions to query");
  }

  std::vector<factgraph::v1::GetInstitutionRequest> gets;
  std::vector<std::string> search_words;
  std::vector<factgraph::v1::BatchGetInstitutionsRequest> batch_gets;
  std::vector<factgraph::v1::ListNeighborsRequest> neighbors;
  absl::flat_hash_set<std::string> distinct_words;
  for (const factgraph::v1::Institution& institution :
       institutions.institutions()) {
    if (gets.size() < limit) {
      gets.emplace_back().set_name(institution.name());
      factgraph::v1::ListNeighborsRequest& neighbor = neighbors.emplace_back();
      neighbor.set_name(institution.name());
      neighbor.set_depth(1);
    }
    if (batch_gets.size() < limit) {
      if (batch_gets.empty() || batch_gets.back().names_size() == 10) {
        batch_gets.emplace_back();
      }
      batch_gets.back().add_names(institution.name());
    }
    const std::string word(
        *absl::StrSplit(institution.display_name(), ' ').begin());
    if (search_words.size() < limit && word.size() >= 2 &&
        distinct_words.insert(word).second) {
      search_words.push_back(word);
    }
  }
  while (!batch_gets.empty() && batch_gets.back().names_size() < 10) {
    batch_gets.pop_back();
  }

  std::vector<factgraph::v1::ListAgreementsRequest> filtered_lists;
  absl::flat_hash_set<std::string> parties;
  for (const factgraph::v1::Agreement& agreement : agreements.agreements()) {
    for (const factgraph::v1::EntityRef& party : agreement.parties()) {
      if (filtered_lists.size() < limit &&
          parties.insert(party.name()).second) {
        factgraph::v1::ListAgreementsRequest& list =
            filtered_lists.emplace_back();
        list.set_filter(absl::StrCat("parties = \"", party.name(), "\""));
        list.set_page_size(10);
      }
    }
  }
  if (filtered_lists.empty()) {
    return absl::FailedPreconditionError(
        "the knowledge base has no agreement with parties to filter on");
  }

  std::vector<Workload> workloads;
  workloads.push_back(EchoWorkload());
  workloads.push_back(MakeWorkload(
      "GetInstitution", absl::StrCat(kService, "GetInstitution"), gets));
  workloads.push_back(MakeWorkload("ListAgreements filter=parties",
                                   absl::StrCat(kService, "ListAgreements"),
                                   filtered_lists));
  if (absl::Status added = AddSearchWorkloads(
          *stub, search_words, "SearchEntities page_size=10", &workloads);
      !added.ok()) {
    return added;
  }
  if (!batch_gets.empty()) {
    workloads.push_back(MakeWorkload(
        "BatchGetInstitutions x10",
        absl::StrCat(kService, "BatchGetInstitutions"), batch_gets));
  }
  workloads.push_back(MakeWorkload("ListNeighbors depth=1",
                                   absl::StrCat(kService, "ListNeighbors"),
                                   neighbors));
  return workloads;
}

absl::StatusOr<std::vector<Workload>> QueryWorkloads(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<std::string>& queries, const std::string& label) {
  auto stub = factgraph::v1::FactGraphService::NewStub(channel);
  std::vector<Workload> workloads;
  if (absl::Status added =
          AddSearchWorkloads(*stub, queries, label, &workloads);
      !added.ok()) {
    return added;
  }
  return workloads;
}

}  // namespace factgraph::bench
