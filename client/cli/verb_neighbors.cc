// factgraph neighbors NAME: the resources linked to one, up to a depth.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/render.h"
#include "client/cli/verbs.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"

namespace factgraph::cli {
namespace {

// "agreements/x parties -> institutions/kaist": which field links whom.
std::string DescribeLink(const v1::Fact& link) {
  return absl::StrCat(link.subject(), " ", link.predicate(), " -> ",
                      link.object().entity_value().name());
}

}  // namespace

absl::Status RunNeighbors(const Invocation& invocation) {
  v1::ListNeighborsRequest request;
  request.set_name(invocation.argument(0));
  if (absl::Status set = SetIntFieldsFromOptions(
          invocation, {"depth", "max_results"}, &request);
      !set.ok()) {
    return set;
  }
  for (const std::string& predicate :
       SplitList(invocation.String("predicate"))) {
    request.add_predicates(predicate);
  }
  return CallAndPrint(
      invocation, &v1::FactGraphService::Stub::ListNeighbors, request,
      [](const v1::ListNeighborsResponse& response) {
        Table table({"DISTANCE", "NAME", "DISPLAY NAME", "VIA"}, 80);
        for (const v1::Neighbor& neighbor : response.neighbors()) {
          std::vector<std::string> links;
          for (const v1::Fact& link : neighbor.links())
            links.push_back(DescribeLink(link));
          table.AddRow(
              {absl::StrCat(neighbor.distance()), neighbor.entity().name(),
               neighbor.entity().display_name(), absl::StrJoin(links, "; ")});
        }
        table.Print(std::cout);
        std::cout << response.neighbors_size() << " neighbors"
                  << (response.truncated() ? " (truncated; raise --max_results)"
                                           : "")
                  << "\n";
        return absl::OkStatus();
      });
}

}  // namespace factgraph::cli
