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
  absl::StatusOr<int> page_size = invocation.Int("page_size", 0);
  if (!page_size.ok()) return page_size.status();
  request.set_page_size(*page_size);
  v1::SearchEntitiesResponse response;
  if (absl::Status called =
          CallUnaryRpc(invocation, &v1::FactGraphService::Stub::SearchEntities,
                       request, &response);
      !called.ok()) {
    return called;
  }
  if (invocation.Bool("json")) return PrintJson(response, std::cout);

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

}  // namespace factgraph::cli
