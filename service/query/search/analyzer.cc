#include "service/query/search/analyzer.h"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "service/store/text_normalizer.h"

namespace factgraph::query::search {
namespace {

bool IsWordCharacter(UChar32 c, bool in_word) {
  if (c < 0x80) return absl::ascii_isalnum(static_cast<unsigned char>(c));
  if (u_isalnum(c)) return true;
  // Combining marks continue a word ("Cafe" + U+0301); they never start one.
  const int8_t type = u_charType(c);
  return in_word &&
         (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
          type == U_ENCLOSING_MARK);
}

bool IsHangul(UChar32 c) {
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3130 && c <= 0x318F);
}

bool IsAsciiLetters(std::string_view word) {
  for (char c : word) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};

void AddToken(std::string word, std::string_view text, int32_t byte_start,
              int32_t start, int32_t end, int32_t* position,
              std::vector<Token>* tokens) {
  Token& token = tokens->emplace_back();
  token.word = std::move(word);
  token.start = start;
  token.end = end;
  token.byte_start = byte_start;
  token.byte_end = byte_start + static_cast<int32_t>(text.size());
  token.hangul = ContainsHangul(token.word);
  token.stop_word = !token.hangul && IsStopWord(token.word);
  token.term =
      IsAsciiLetters(token.word) ? StemEnglish(token.word) : token.word;
  token.position = *position;
  if (!token.stop_word) ++*position;
}

// Appends the tokens of one word (normally one token; normalization may
// split a compatibility character such as a ligature into two).
void AddWord(std::string_view text, int32_t byte_start, int32_t start,
             int32_t end, int32_t* position, std::vector<Token>* tokens) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    // An ASCII word is letters and digits only, which normalization only
    // lower-cases: one token, with no normalized copy to split.
    AddToken(absl::AsciiStrToLower(absl::string_view(text.data(), text.size())),
             text, byte_start, start, end, position, tokens);
    return;
  }
  const std::string normalized = store::NormalizeForSearch(text);
  for (std::string_view piece : store::SplitTokens(normalized)) {
    AddToken(std::string(piece), text, byte_start, start, end, position,
             tokens);
  }
}

// "u", "s" of "U.S." become "us": single letters each followed by a dot.
void MergeAbbreviations(std::string_view text, std::vector<Token>* tokens) {
  auto letter_and_dot = [&](const Token& t) {
    return t.word.size() == 1 && t.byte_end == t.byte_start + 1 &&
           static_cast<size_t>(t.byte_end) < text.size() &&
           text[static_cast<size_t>(t.byte_end)] == '.';
  };
  bool any = false;
  for (const Token& token : *tokens) any = any || letter_and_dot(token);
  // Most texts have none: they keep their vector.
  if (!any) return;
  std::vector<Token> merged;
  merged.reserve(tokens->size());
  for (size_t i = 0; i < tokens->size();) {
    size_t j = i;
    while (j + 1 < tokens->size() && letter_and_dot((*tokens)[j]) &&
           (*tokens)[j + 1].byte_start == (*tokens)[j].byte_end + 1 &&
           (*tokens)[j + 1].word.size() == 1) {
      ++j;
    }
    if (j == i) {
      merged.push_back(std::move((*tokens)[i++]));
      continue;
    }
    Token token = (*tokens)[i];
    for (size_t k = i + 1; k <= j; ++k) token.word += (*tokens)[k].word;
    token.term = token.word;
    token.end = (*tokens)[j].end;
    token.byte_end = (*tokens)[j].byte_end;
    token.stop_word = IsStopWord(token.word);
    merged.push_back(std::move(token));
    i = j + 1;
  }
  if (merged.size() != tokens->size()) {
    // Positions again, without the merged words.
    int32_t position = 0;
    for (Token& token : merged) {
      token.position = position;
      if (!token.stop_word) ++position;
    }
  }
  *tokens = std::move(merged);
}

}  // namespace

int32_t CodePointCount(std::string_view text) {
  int32_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool ContainsHangul(std::string_view word) {
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(word.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(word.data(), i, length, c);
    if (IsHangul(c)) return true;
  }
  return false;
}

std::vector<Token> Analyze(std::string_view text) {
  std::vector<Token> tokens;
  Analyze(text, &tokens);
  return tokens;
}

void Analyze(std::string_view text, std::vector<Token>* tokens_out) {
  std::vector<Token>& tokens = *tokens_out;
  tokens.clear();
  // About one word in six bytes of English: most texts grow it at most once.
  tokens.reserve(text.size() / 6 + 1);
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t code_point = 0;
  int32_t word_begin = -1;  // Byte offset, -1 outside a word.
  int32_t word_start = 0;   // Code point offset of word_begin.
  int32_t position = 0;
  while (i < length) {
    const int32_t here = i;
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    const bool word_character = c >= 0 && IsWordCharacter(c, word_begin >= 0);
    if (word_character && word_begin < 0) {
      word_begin = here;
      word_start = code_point;
    } else if (!word_character && word_begin >= 0) {
      AddWord(text.substr(word_begin, here - word_begin), word_begin,
              word_start, code_point, &position, &tokens);
      word_begin = -1;
    }
    // A bad byte counts as one code point, as U+FFFD would.
    ++code_point;
  }
  if (word_begin >= 0) {
    AddWord(text.substr(word_begin), word_begin, word_start, code_point,
            &position, &tokens);
  }
  MergeAbbreviations(text, &tokens);
}

std::string StemEnglish(std::string_view word) {
  // Building an index analyzes every text of a snapshot, and the same words
  // recur across resources: a thread's recent stems are remembered rather
  // than stemmed again. Bounded: cleared when full.
  constexpr size_t kRememberedStems = 16384;
  thread_local absl::flat_hash_map<std::string, std::string> stems;
  if (auto it = stems.find(absl::string_view(word.data(), word.size()));
      it != stems.end()) {
    return it->second;
  }
  // A stemmer keeps state between calls, so each thread has its own.
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
      sb_stemmer_new("english", "UTF_8"));
  if (stemmer == nullptr) return std::string(word);
  const sb_symbol* stem = sb_stemmer_stem(
      stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()),
      static_cast<int>(word.size()));
  if (stem == nullptr) return std::string(word);
  std::string result(reinterpret_cast<const char*>(stem),
                     static_cast<size_t>(sb_stemmer_length(stemmer.get())));
  if (stems.size() >= kRememberedStems) stems.clear();
  stems.emplace(std::string(word), result);
  return result;
}

bool IsStopWord(std::string_view word) {
  // Function words only: nouns and verbs, however common, carry meaning.
  static const auto* const kStopWords =
      new absl::flat_hash_set<std::string_view>(
          {"a",     "about", "against", "among", "an",   "and",     "any",
           "are",   "as",    "at",      "be",    "been", "between", "but",
           "by",    "did",   "do",      "does",  "for",  "from",    "had",
           "has",   "have",  "he",      "her",   "his",  "how",     "i",
           "in",    "into",  "is",      "it",    "its",  "of",      "on",
           "or",    "our",   "s",       "she",   "that", "the",     "their",
           "them",  "there", "these",   "they",  "this", "those",   "to",
           "was",   "we",    "were",    "what",  "when", "where",   "which",
           "who",   "whom",  "whose",   "why",   "will", "with",    "within",
           "would", "you"});
  return kStopWords->contains(word);
}

}  // namespace factgraph::query::search
