#include "service/store/quote_matcher.h"

namespace factgraph::store {
namespace {

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length in bytes of the UTF-8 sequence starting at `i` (1 for a stray byte).
size_t SequenceLength(std::string_view text, size_t i) {
  size_t length = 1;
  while (i + length < text.size() &&
         IsContinuationByte(static_cast<unsigned char>(text[i + length]))) {
    ++length;
  }
  return length;
}

// What a source character becomes: 0 for whitespace, the ASCII replacement
// for a typographic quote, -1 to keep the character as it is.
int Classify(std::string_view character) {
  if (character.size() == 1) {
    switch (character[0]) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\f':
      case '\v':
        return 0;
      default:
        return -1;
    }
  }
  if (character == "\u00A0") return 0;
  if (character == "\u2018" || character == "\u2019") return '\'';
  if (character == "\u201C" || character == "\u201D") return '"';
  return -1;
}

// Normalises `text`; when `start`/`end` are given, records for every output
// byte the code point range of the input it stands for.
std::string Normalize(std::string_view text, std::vector<int32_t>* start,
                      std::vector<int32_t>* end) {
  std::string out;
  out.reserve(text.size());
  int32_t code_point = 0;
  bool in_space = false;
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    const std::string_view character = text.substr(i, length);
    const int kind = Classify(character);
    if (kind == 0) {
      if (in_space) {
        if (end != nullptr) end->back() = code_point + 1;
      } else {
        out.push_back(' ');
        if (start != nullptr) {
          start->push_back(code_point);
          end->push_back(code_point + 1);
        }
      }
      in_space = true;
    } else {
      in_space = false;
      if (kind > 0) {
        out.push_back(static_cast<char>(kind));
      } else {
        out.append(character);
      }
      if (start != nullptr) {
        const size_t added = kind > 0 ? 1 : length;
        for (size_t k = 0; k < added; ++k) {
          start->push_back(code_point);
          end->push_back(code_point + 1);
        }
      }
    }
    ++code_point;
    i += length;
  }
  return out;
}

}  // namespace

std::string NormalizeQuoteText(std::string_view text) {
  return Normalize(text, nullptr, nullptr);
}

QuoteMatcher::QuoteMatcher(std::string_view document) {
  // In the body: start_ and end_ must exist before Normalize fills them.
  normalized_ = Normalize(document, &start_, &end_);
}

std::optional<QuoteMatcher::Match> QuoteMatcher::Find(
    std::string_view quote) const {
  const std::string needle = NormalizeQuoteText(quote);
  if (needle.empty()) return std::nullopt;
  const size_t position = normalized_.find(needle);
  if (position == std::string::npos) return std::nullopt;
  return Match{start_[position], end_[position + needle.size() - 1]};
}

}  // namespace factgraph::store
