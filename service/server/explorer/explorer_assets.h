// The web explorer's static files, compiled into factgraphd and served by
// the HTTP/JSON listener for GET paths outside /v1/ (docs/http.md
// "Explorer"). The explorer provides the implementation (target
// factgraph_explorer_assets).
#ifndef FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_
#define FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_

#include "absl/strings/string_view.h"

namespace factgraph::server {

struct ExplorerAsset {
  absl::string_view content_type;
  absl::string_view body;
};

// The asset served at `path` (the request path, e.g. "/" or "/app.js"), or
// nullptr when there is none (the listener answers 404).
const ExplorerAsset* FindExplorerAsset(absl::string_view path);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_
