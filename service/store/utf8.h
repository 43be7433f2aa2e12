// UTF-8 on ICU's U8_NEXT, the one definition of well-formed UTF-8 in
// factgraph: no overlong forms, no surrogates, nothing above U+10FFFF.
#ifndef FACTGRAPH_SERVICE_STORE_UTF8_H_
#define FACTGRAPH_SERVICE_STORE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace factgraph::store {

// True when all of `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// The length in bytes of the well-formed UTF-8 sequence that starts `text`,
// with its code point in *code_point; 0 when there is none (or `text` is
// empty).
size_t Utf8SequenceLength(std::string_view text, uint32_t* code_point);

// The largest length, at most `max_bytes`, at which `text` can be cut
// without splitting a UTF-8 sequence: `text.size()` when it is not longer.
// Only continuation bytes are stepped over, so invalid text is cut anyway.
size_t CharacterBoundary(std::string_view text, size_t max_bytes);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_UTF8_H_
