// The files of static/, as the build embeds them (embedded_files.cc.in).
#ifndef FACTGRAPH_SERVICE_SERVER_EXPLORER_EMBEDDED_FILES_H_
#define FACTGRAPH_SERVICE_SERVER_EXPLORER_EMBEDDED_FILES_H_

#include <cstddef>

#include "absl/types/span.h"

namespace factgraph::server {

struct EmbeddedFile {
  // Path relative to static/, e.g. "js/api.js".
  const char* path;
  const unsigned char* bytes;
  size_t size;
};

// Every file of static/, sorted by path.
absl::Span<const EmbeddedFile> EmbeddedExplorerFiles();

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_EXPLORER_EMBEDDED_FILES_H_
