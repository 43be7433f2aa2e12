#include "service/server/log_text.h"

#include <cstdint>

namespace factgraph::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendByteEscape(unsigned char byte, std::string* out) {
  out->append("\\x");
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0xf]);
}

// Length of the valid UTF-8 sequence at the start of `text` (no overlong
// forms, no surrogates, at most U+10FFFF) and its code point, or 0.
size_t ValidSequence(std::string_view text, uint32_t* code_point) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  size_t length;
  uint32_t value;
  uint32_t minimum;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *code_point = value;
  return length;
}

enum class Mode { kField, kMessage };

std::string Escape(std::string_view text, Mode mode) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    uint32_t code_point = 0;
    const size_t length = ValidSequence(text.substr(i), &code_point);
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
