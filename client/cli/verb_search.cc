// factgraph search TEXT: resources ranked by how well their texts match,
// each with the texts it matched in (search_render.h).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/render.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/search_render.h"
#include "client/cli/verbs.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"

namespace factgraph::cli {

namespace {

// The results as a table, then (unless --brief) why each matched.
absl::Status PrintResults(const Invocation& invocation,
                          const v1::SearchEntitiesResponse& response) {
  Table table({"NAME", "DISPLAY NAME", "MATCH", "MATCHED TEXT", "SCORE"});
  for (const v1::SearchResult& result : response.results()) {
    table.AddRow({result.entity().name(), result.entity().display_name(),
                  v1::MatchKind_Name(result.match_kind()),
                  result.matched_text(),
                  absl::StrFormat("%.3g", result.score())});
  }
  table.Print(std::cout);
  std::cout << response.results_size() << " of " << response.total_size()
            << " matches\n";
  if (response.results_size() > 0 && !invocation.Bool("brief")) {
    std::cout << "\nWhy they matched ([word] as written, [word…] by prefix, "
                 "[word~] by spelling, [word+] without a particle):\n";
    PrintExplanations(response, std::cout);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunSearch(const Invocation& invocation) {
  v1::SearchEntitiesRequest request;
  request.set_query(invocation.argument(0));
  for (const std::string& type : SplitList(invocation.String("type"))) {
    if (absl::StatusOr<const CollectionMethods*> found =
            FindCollectionOrUsageError(type);
        !found.ok()) {
      return UsageError(absl::StrCat("--type: ", found.status().message()));
    }
    request.add_collections(type);
  }
  if (absl::Status set =
          SetIntFieldsFromOptions(invocation, {"page_size"}, &request);
      !set.ok()) {
    return set;
  }
  return CallAndPrint(invocation, &v1::FactGraphService::Stub::SearchEntities,
                      request, [&](const v1::SearchEntitiesResponse& response) {
                        return PrintResults(invocation, response);
                      });
}

}  // namespace factgraph::cli
