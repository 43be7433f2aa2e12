#include "service/server/log_text.h"

#include <cstdint>

#include "service/store/utf8.h"

namespace factgraph::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendByteEscape(unsigned char byte, std::string* out) {
  out->append("\\x");
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0xf]);
}

enum class Mode { kField, kMessage };

std::string Escape(std::string_view text, Mode mode) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    uint32_t code_point = 0;
    const size_t length =
        store::Utf8SequenceLength(text.substr(i), &code_point);
    if (length == 0) {
      AppendByteEscape(static_cast<unsigned char>(text[i]), &out);
      ++i;
      continue;
    }
    if (code_point == '\\') {
      out.append("\\\\");
    } else if (code_point == '\n' && mode == Mode::kMessage) {
      out.append("\n  ");
    } else if (code_point == ' ' && mode == Mode::kMessage) {
      out.push_back(' ');
    } else if (code_point <= 0x20 || code_point == 0x7F) {
      AppendByteEscape(static_cast<unsigned char>(code_point), &out);
    } else if ((code_point >= 0x80 && code_point <= 0x9F) ||
               code_point == 0x2028 || code_point == 0x2029) {
      out.append("\\u");
      for (int shift = 12; shift >= 0; shift -= 4) {
        out.push_back(kHex[(code_point >> shift) & 0xf]);
      }
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace

std::string EscapeLogField(std::string_view text) {
  return Escape(text, Mode::kField);
}

std::string EscapeLogMessage(std::string_view text) {
  return Escape(text, Mode::kMessage);
}

}  // namespace factgraph::server
