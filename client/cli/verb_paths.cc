// factgraph paths FROM TO: how two resources are connected.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/render.h"
#include "client/cli/verbs.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"

namespace factgraph::cli {
namespace {

// One hop of a path from `from`: "-[parties]->" when `from` holds the link,
// "<-[parties]-" when the next entity does.
std::string Arrow(const v1::Fact& link, const std::string& from) {
  if (link.subject() == from)
    return absl::StrCat("-[", link.predicate(), "]->");
  return absl::StrCat("<-[", link.predicate(), "]-");
}

void PrintPath(int number, const v1::Path& path) {
  std::cout << "path " << number << " (" << path.links_size()
            << (path.links_size() == 1 ? " link" : " links") << "):\n";
  for (int i = 0; i < path.entities_size(); ++i) {
    std::cout << "  ";
    if (i > 0 && i - 1 < path.links_size()) {
      std::cout << Arrow(path.links(i - 1), path.entities(i - 1).name()) << " ";
    }
    std::cout << FormatEntityRef(path.entities(i)) << "\n";
  }
}

}  // namespace

absl::Status RunPaths(const Invocation& invocation) {
  v1::FindPathsRequest request;
  request.set_from(invocation.argument(0));
  request.set_to(invocation.argument(1));
  if (absl::Status set = SetIntFieldsFromOptions(
          invocation, {"max_length", "max_paths"}, &request);
      !set.ok()) {
    return set;
  }
  return CallAndPrint(
      invocation, &v1::FactGraphService::Stub::FindPaths, request,
      [&](const v1::FindPathsResponse& response) {
        if (response.paths().empty()) {
          std::cout << "no path from " << request.from() << " to "
                    << request.to() << " within "
                    << (request.max_length() == 0 ? 4 : request.max_length())
                    << " links\n";
          return absl::OkStatus();
        }
        for (int i = 0; i < response.paths_size(); ++i)
          PrintPath(i + 1, response.paths(i));
        if (response.truncated()) {
          std::cout << "(more paths; raise --max_paths)\n";
        }
        return absl::OkStatus();
      });
}

}  // namespace factgraph::cli
