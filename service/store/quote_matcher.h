// Finds a citation's quote in its document. Runs of whitespace compare as one
// space and typographic quotes (‘ ’ “ ”) as their ASCII forms; nothing else
// may differ. Offsets are in Unicode code points of the original text.
#ifndef FACTGRAPH_SERVICE_STORE_QUOTE_MATCHER_H_
#define FACTGRAPH_SERVICE_STORE_QUOTE_MATCHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace factgraph::store {

// Collapses every run of whitespace (ASCII whitespace and U+00A0) to one
// space and maps ‘ ’ to ' and “ ” to ".
std::string NormalizeQuoteText(std::string_view text);

class QuoteMatcher {
 public:
  // `document` is UTF-8; it need not outlive the matcher.
  explicit QuoteMatcher(std::string_view document);

  struct Match {
    int32_t start_offset;  // First code point of the quote.
    int32_t end_offset;    // One past its last code point.
  };
  // The first occurrence of `quote`, or nullopt (also for an empty quote).
  std::optional<Match> Find(std::string_view quote) const;

 private:
  std::string normalized_;
  // For each byte of normalized_: the code point range of the original text
  // it stands for (a collapsed whitespace run stands for the whole run).
  std::vector<int32_t> start_;
  std::vector<int32_t> end_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_QUOTE_MATCHER_H_
