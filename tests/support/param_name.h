// Readable names for value-parameterised tests, so that CTest lists
// "Errors/FilterErrorTest.SaysWhatAndWhere/3_foo_1" instead of the bytes of
// the parameter.
#ifndef FACTGRAPH_TESTS_SUPPORT_PARAM_NAME_H_
#define FACTGRAPH_TESTS_SUPPORT_PARAM_NAME_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace factgraph::test_support {

// "<index>_<text>" with every run of characters gtest does not allow in a
// name ([A-Za-z0-9_] only) folded to one '_', cut at about 48 characters;
// the index keeps names unique.
inline std::string ParamName(size_t index, std::string_view text) {
  constexpr size_t kMaxLength = 48;
  std::string name = std::to_string(index);
  bool separated = false;
  for (char c : text) {
    if (name.size() >= kMaxLength) break;
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
        (c >= 'a' && c <= 'z')) {
      if (!separated) name += '_';
      separated = true;
      name += c;
    } else if (separated && name.back() != '_') {
      name += '_';
    }
  }
  while (name.back() == '_') name.pop_back();
  return name;
}

// Prints a parameter's text for gtest's "GetParam() = ..." (which CTest keeps
// in the test's name): at most 40 characters, quoted, anything but printable
// ASCII shown as '?'. A struct parameter without a PrintTo would print as its
// bytes.
inline void PrintParamText(std::string_view text, std::ostream* os) {
  constexpr size_t kMaxShown = 40;
  *os << '"';
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const char c = text[i];
    *os << (c >= ' ' && c <= '~' ? c : '?');
  }
  *os << (text.size() > kMaxShown ? "...\"" : "\"");
}

// Names a test by its parameter, a string that is already a valid name
// ("institutions").
struct StringParamName {
  template <typename ParamInfo>
  std::string operator()(const ParamInfo& info) const {
    return std::string(info.param);
  }
};

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_SUPPORT_PARAM_NAME_H_
