#include "service/store/text_normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace factgraph::store {
namespace {

// Appends a space unless the output is empty or already ends with one, so
// that runs collapse and no leading space appears.
void AppendSpace(std::string* out) {
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
}

void TrimTrailingSpace(std::string* out) {
  if (!out->empty() && out->back() == ' ') out->pop_back();
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// The same result as the ICU path for ASCII input, without its cost: names
// are mostly ASCII and a snapshot of a million entities normalises millions.
std::string NormalizeAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u)) {
      out.push_back(absl::ascii_tolower(u));
    } else {
      AppendSpace(&out);
    }
  }
  TrimTrailingSpace(&out);
  return out;
}

bool IsSeparatorLike(UChar32 c) {
  constexpr uint32_t kMask =
      U_GC_P_MASK | U_GC_S_MASK | U_GC_Z_MASK | U_GC_C_MASK;
  return (U_GET_GC_MASK(c) & kMask) != 0;
}

}  // namespace

std::string NormalizeForSearch(std::string_view text) {
  if (IsAscii(text)) return NormalizeAscii(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return NormalizeAscii(text);

  // fromUTF8 replaces ill-formed sequences with U+FFFD.
  const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString decomposed = nfd->normalize(input, status);
  icu::UnicodeString unaccented;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) unaccented.append(c);
    i += U16_LENGTH(c);
  }
  icu::UnicodeString folded = nfkc->normalize(unaccented, status);
  folded.foldCase(U_FOLD_CASE_DEFAULT);
  if (U_FAILURE(status)) return NormalizeAscii(text);

  std::string out;
  out.reserve(text.size());
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (IsSeparatorLike(c)) {
      AppendSpace(&out);
      continue;
    }
    char buffer[U8_MAX_LENGTH];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buffer), length, U8_MAX_LENGTH, c,
              error);
    if (!error) out.append(buffer, static_cast<size_t>(length));
  }
  TrimTrailingSpace(&out);
  return out;
}

std::vector<std::string_view> SplitTokens(std::string_view normalized) {
  std::vector<std::string_view> tokens;
  // Debian's Abseil has its own string_view: pieces are converted back.
  for (absl::string_view piece :
       absl::StrSplit(absl::string_view(normalized.data(), normalized.size()),
                      ' ', absl::SkipEmpty())) {
    tokens.emplace_back(piece.data(), piece.size());
  }
  return tokens;
}

}  // namespace factgraph::store
