// Helpers for error messages about text a user typed: character positions in
// UTF-8 (Hangul included) and a printable rendering of arbitrary bytes.
#ifndef FACTGRAPH_SERVICE_QUERY_TEXT_POSITION_H_
#define FACTGRAPH_SERVICE_QUERY_TEXT_POSITION_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "service/store/utf8.h"

namespace factgraph::query {

// Number of characters (UTF-8 lead bytes; stray bytes count as one each).
inline int CharacterCount(std::string_view text) {
  int count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// 1-based character position of the byte at `offset`.
inline int CharacterPosition(std::string_view text, size_t offset) {
  return CharacterCount(text.substr(0, offset)) + 1;
}

// Most bytes of caller text an error message repeats: the message travels in
// the response trailers, which clients limit (8 KiB by default).
inline constexpr size_t kMaxPrintableBytes = 128;

// `text` with ASCII control characters, quotes and backslashes escaped
// (\n, \", \x01); UTF-8 passes through unchanged. Text longer than
// kMaxPrintableBytes is cut at a character boundary and ends with
// "... (N bytes)".
inline std::string PrintableText(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string_view shown =
      text.substr(0, store::CharacterBoundary(text, kMaxPrintableBytes));
  std::string out;
  for (char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (byte < 0x20 || byte == 0x7f) {
      out.append("\\x");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  if (shown.size() < text.size()) {
    out.append("... (").append(std::to_string(text.size())).append(" bytes)");
  }
  return out;
}

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_TEXT_POSITION_H_
