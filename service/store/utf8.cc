#include "service/store/utf8.h"

#include <algorithm>

#include "unicode/utf8.h"

namespace factgraph::store {

bool IsValidUtf8(std::string_view text) {
  uint32_t code_point;
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text.substr(i), &code_point);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

size_t Utf8SequenceLength(std::string_view text, uint32_t* code_point) {
  if (text.empty()) return 0;
  int32_t i = 0;
  // At most four bytes make a sequence.
  const auto length = static_cast<int32_t>(std::min<size_t>(text.size(), 4));
  UChar32 c;
  U8_NEXT(text.data(), i, length, c);
  if (c < 0) return 0;
  *code_point = static_cast<uint32_t>(c);
  return static_cast<size_t>(i);
}

size_t CharacterBoundary(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

}  // namespace factgraph::store
