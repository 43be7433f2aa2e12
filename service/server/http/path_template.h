// A google.api.http path template ("/v1/{name=institutions/*}:neighbors")
// parsed once, and matched against request paths (docs/http.md "Mapping").
#ifndef FACTGRAPH_SERVICE_SERVER_HTTP_PATH_TEMPLATE_H_
#define FACTGRAPH_SERVICE_SERVER_HTTP_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace factgraph::server::http {

// A field path of the request message ("name", "parent.id") and the text
// of the path it was bound to ("institutions/kaist").
using PathBindings = std::vector<std::pair<std::string, std::string>>;

class PathTemplate {
 public:
  // Parses the grammar of google/api/http.proto: segments of literals, `*`,
  // a final `**`, variables `{field.path}` or `{field.path=segments}`, and
  // an optional `:verb`. INVALID_ARGUMENT naming the column on a malformed
  // template.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // The variables' bindings when `path` (the request path, without its query
  // string) matches, else nullopt. The path's last segment is split at its
  // last ':' into the segment and the verb, so a template without a verb
  // never matches a path with one.
  std::optional<PathBindings> Match(absl::string_view path) const;

  // How many of the segments are literals: of two templates matching the
  // same path, the one with more literals is the more specific.
  int literal_count() const;

  // The request fields the variables bind, in template order.
  std::vector<std::string> field_paths() const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }

 private:
  struct Segment {
    enum Kind { kLiteral, kAny, kAnyTail } kind = kLiteral;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    size_t first_segment = 0;
    size_t end_segment = 0;  // One past the last.
  };

  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
};

}  // namespace factgraph::server::http

#endif  // FACTGRAPH_SERVICE_SERVER_HTTP_PATH_TEMPLATE_H_
