// The text normalisation that name search uses on both sides, so that
// "Kwang-Hyung LEE", "ＫＡＩＳＴ" and "Café" match "kwang hyung lee", "kaist"
// and "cafe", while Korean script stays as it is.
#ifndef FACTGRAPH_SERVICE_STORE_TEXT_NORMALIZER_H_
#define FACTGRAPH_SERVICE_STORE_TEXT_NORMALIZER_H_

#include <string>
#include <string_view>
#include <vector>

namespace factgraph::store {

// NFD, drop nonspacing marks (accents), NFKC (full-width forms to ASCII,
// Hangul jamo recomposed to syllables), full case folding, punctuation,
// symbols, controls and separators to a space, runs of spaces collapsed to
// one, trimmed. Input that is not valid UTF-8 has the bad bytes replaced by
// U+FFFD first (then dropped as a symbol).
std::string NormalizeForSearch(std::string_view text);

// The space-separated tokens of a normalized text.
std::vector<std::string_view> SplitTokens(std::string_view normalized);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_TEXT_NORMALIZER_H_
