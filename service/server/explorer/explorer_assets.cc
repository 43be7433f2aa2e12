// No explorer yet: every path outside /v1/ is 404. The explorer replaces
// this file with its compiled-in assets.
#include "service/server/explorer/explorer_assets.h"

namespace factgraph::server {

const ExplorerAsset* FindExplorerAsset(absl::string_view /*path*/) {
  return nullptr;
}

}  // namespace factgraph::server
