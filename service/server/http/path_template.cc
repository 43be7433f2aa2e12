#include "service/server/http/path_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace factgraph::server::http {
namespace {

bool IsLiteralChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '_' || c == '.' || c == '~' || c == '%';
}

bool IsIdentChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "path template \"", text_, "\" column ", pos_ + 1, ": ", what));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  std::string Take(bool (*accept)(char)) {
    const size_t start = pos_;
    while (!AtEnd() && accept(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate result;
  result.text_ = std::string(text);
  Parser parser(text);
  if (!parser.Consume('/')) return parser.Error("must start with '/'");
  std::optional<Variable> open;  // The variable being parsed.
  while (true) {
    if (!open.has_value() && parser.Consume('{')) {
      std::string field_path;
      do {
        std::string ident = parser.Take(&IsIdentChar);
        if (ident.empty()) return parser.Error("expected a field name");
        if (!field_path.empty()) field_path += '.';
        field_path += ident;
      } while (parser.Consume('.'));
      open = Variable{field_path, result.segments_.size(), 0};
      if (!parser.Consume('=')) {
        result.segments_.push_back({Segment::kAny, ""});
        if (!parser.Consume('}')) return parser.Error("expected '}'");
        open->end_segment = result.segments_.size();
        result.variables_.push_back(*open);
        open.reset();
        if (!parser.Consume('/')) break;
        continue;
      }
    }
    if (!result.segments_.empty() &&
        result.segments_.back().kind == Segment::kAnyTail) {
      return parser.Error("'**' must be the last segment");
    }
    if (parser.Consume('*')) {
      result.segments_.push_back(
          {parser.Consume('*') ? Segment::kAnyTail : Segment::kAny, ""});
    } else {
      std::string literal = parser.Take(&IsLiteralChar);
      if (literal.empty()) return parser.Error("expected a segment");
      result.segments_.push_back({Segment::kLiteral, literal});
    }
    if (parser.Consume('/')) continue;
    if (open.has_value()) {
      if (!parser.Consume('}')) return parser.Error("expected '}' or '/'");
      open->end_segment = result.segments_.size();
      result.variables_.push_back(*open);
      open.reset();
      if (parser.Consume('/')) continue;
    }
    break;
  }
  if (parser.Consume(':')) {
    result.verb_ = parser.Take(&IsLiteralChar);
    if (result.verb_.empty()) return parser.Error("expected a verb after ':'");
  }
  if (!parser.AtEnd()) return parser.Error("unexpected character");
  return result;
}

std::optional<PathBindings> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path.front() != '/') return std::nullopt;
  path.remove_prefix(1);
  absl::string_view verb;
  const size_t last_slash = path.rfind('/');
  const size_t colon = path.rfind(':');
  if (colon != absl::string_view::npos &&
      (last_slash == absl::string_view::npos || colon > last_slash)) {
    verb = path.substr(colon + 1);
    path = path.substr(0, colon);
  }
  if (verb != verb_) return std::nullopt;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  const bool tail =
      !segments_.empty() && segments_.back().kind == Segment::kAnyTail;
  if (tail ? parts.size() < segments_.size() - 1
           : parts.size() != segments_.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    const Segment& segment = segments_[i];
    if (segment.kind == Segment::kAnyTail) break;
    if (parts[i].empty()) return std::nullopt;
    if (segment.kind == Segment::kLiteral && parts[i] != segment.literal) {
      return std::nullopt;
    }
  }
  PathBindings bindings;
  for (const Variable& variable : variables_) {
    const bool to_end = variable.end_segment == segments_.size() && tail;
    const size_t end = to_end ? parts.size() : variable.end_segment;
    bindings.emplace_back(variable.field_path,
                          absl::StrJoin(parts.begin() + variable.first_segment,
                                        parts.begin() + end, "/"));
  }
  return bindings;
}

std::vector<std::string> PathTemplate::field_paths() const {
  std::vector<std::string> paths;
  for (const Variable& variable : variables_) {
    paths.push_back(variable.field_path);
  }
  return paths;
}

int PathTemplate::literal_count() const {
  int count = verb_.empty() ? 0 : 1;
  for (const Segment& segment : segments_) {
    if (segment.kind == Segment::kLiteral) ++count;
  }
  return count;
}

}  // namespace factgraph::server::http
