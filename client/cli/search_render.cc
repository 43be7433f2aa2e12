#include "client/cli/search_render.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace factgraph::cli {
namespace {

// Byte offsets of every code point of `text`, plus text.size() at the end.
std::vector<size_t> CodePointStarts(std::string_view text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      starts.push_back(i);
    }
  }
  starts.push_back(text.size());
  return starts;
}

std::string_view Mark(v1::TermMatch how) {
  switch (how) {
    case v1::TERM_MATCH_PREFIX:
      return "…";
    case v1::TERM_MATCH_TYPO:
      return "~";
    case v1::TERM_MATCH_PARTICLE:
      return "+";
    default:
      return "";
  }
}

}  // namespace

std::string HighlightMatch(const v1::SearchMatch& match) {
  const std::string_view text = match.text();
  const std::vector<size_t> starts = CodePointStarts(text);
  const int32_t length = static_cast<int32_t>(starts.size()) - 1;
  std::string out;
  if (match.text_offset() > 0) out = "…";
  int32_t done = 0;  // Code points copied so far.
  for (const v1::MatchedSpan& span : match.spans()) {
    if (span.start_offset() < done || span.end_offset() > length ||
        span.start_offset() >= span.end_offset()) {
      continue;
    }
    out.append(
        text.substr(starts[done], starts[span.start_offset()] - starts[done]));
    out.append("[");
    out.append(
        text.substr(starts[span.start_offset()],
                    starts[span.end_offset()] - starts[span.start_offset()]));
    out.append(Mark(span.term_match()));
    out.append("]");
    done = span.end_offset();
  }
  out.append(text.substr(starts[done]));
  return out;
}

void PrintExplanations(const v1::SearchEntitiesResponse& response,
                       std::ostream& out) {
  int rank = 0;
  for (const v1::SearchResult& result : response.results()) {
    out << ++rank << ". " << result.entity().name() << "  "
        << v1::MatchKind_Name(result.match_kind()) << "\n";
    for (const v1::SearchMatch& match : result.matches()) {
      std::string line = HighlightMatch(match);
      for (char& c : line) {
        if (c == '\n' || c == '\t' || c == '\r') c = ' ';
      }
      out << "   " << match.field() << ": " << line << "\n";
    }
  }
}

}  // namespace factgraph::cli
