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

// The Content-Security-Policy every explorer page is served with: nothing
// but this origin's own files, no inline script or style, no framing
// (docs/explorer.md, "Security"). The browser test fails on any violation.
inline constexpr absl::string_view kExplorerContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// The file served at `path` (an HTTP request path without query, e.g. "/",
// "/app.css", "/js/api.js"), or nullptr when the explorer has none. "/" is
// index.html.
const ExplorerAsset* FindExplorerAsset(absl::string_view path);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_EXPLORER_EXPLORER_ASSETS_H_
