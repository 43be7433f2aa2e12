// The web explorer's static files, compiled into factgraphd and served by
// the HTTP/JSON listener for GET paths outside /v1/ (docs/explorer.md).
#ifndef FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_
#define FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_

#include "absl/strings/string_view.h"

namespace factgraph::server {

// One static file: its media type and bytes, alive for the whole process.
struct ExplorerAsset {
  absl::string_view content_type;
  absl::string_view body;
};

// The file served at `path` (an HTTP request path without query, e.g. "/",
// "/app.css", "/js/api.js"), or nullptr when the explorer has none. "/" is
// index.html.
const ExplorerAsset* FindExplorerAsset(absl::string_view path);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_
