// The text analysis search uses on both sides, indexing and querying
// (docs/search.md, "Analysis"): a text is split into words (runs of letters
// and digits), each word normalized as store::NormalizeForSearch does (case,
// accents, width), English stop words are marked, and words in Latin script
// are reduced to their Snowball English stem, so that "scientists" and
// "scientist", "agreements" and "agreement" give the same term. Hangul words
// are kept as written: Korean is matched by word prefixes (see scorer.h).
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_ANALYZER_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_ANALYZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace factgraph::query::search {

struct Token {
  // The word, normalized (lower case, no accents), not stemmed.
  std::string word;
  // What is indexed and looked up: the stem of `word`, or `word` itself
  // for Hangul, digits and other scripts.
  std::string term;
  // Where the word is in the analyzed text, in code points.
  int32_t start = 0;
  int32_t end = 0;
  // The same in bytes.
  int32_t byte_start = 0;
  int32_t byte_end = 0;
  // Position among the text's words that are not stop words; a stop word
  // has the position of the next word.
  int32_t position = 0;
  bool stop_word = false;
  bool hangul = false;
};

// The words of `text`. Invalid UTF-8 bytes separate words. Dotted
// abbreviations are one word: "U.S." gives "us", as "US" does.
std::vector<Token> Analyze(std::string_view text);
// The same into `*tokens` (cleared first), whose capacity a caller that
// analyzes text after text reuses.
void Analyze(std::string_view text, std::vector<Token>* tokens);

// The Snowball English stem of a lower-case word (thread-safe).
std::string StemEnglish(std::string_view word);

// True for the English function words that must not decide a ranking
// ("the", "of", "between", "with").
bool IsStopWord(std::string_view word);

// Number of code points in valid UTF-8.
int32_t CodePointCount(std::string_view text);

// True if `word` contains a Hangul syllable or jamo.
bool ContainsHangul(std::string_view word);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_ANALYZER_H_
