#include "service/store/support_check.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "factgraph/v1/statistic.pb.h"
#include "service/store/facts.h"
#include "service/store/quote_matcher.h"

namespace factgraph::store {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsStated(const v1::Citation& citation) {
  return citation.kind() != v1::CITATION_KIND_CURATED;
}

v1::CitationKind KindOfSupport(
    absl::Span<const v1::Citation* const> citations) {
  for (const v1::Citation* citation : citations) {
    if (IsStated(*citation)) return v1::CITATION_KIND_STATED;
  }
  return v1::CITATION_KIND_CURATED;
}

namespace {

constexpr __int128 kNanosPerUnit = 1000000000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c));
}

__int128 PowerOfTen(int exponent) {
  __int128 power = 1;
  for (int i = 0; i < exponent; ++i) power *= 10;
  return power;
}

// The word at `position` of a lower-case text, or empty.
std::string_view WordAt(std::string_view text, size_t position) {
  size_t end = position;
  while (end < text.size() && IsLetter(text[end])) ++end;
  return text.substr(position, end - position);
}

// Powers of ten of the scale words, 0 when `word` is none.
int ScaleOf(std::string_view word) {
  if (word == "thousand") return 3;
  if (word == "million") return 6;
  if (word == "billion") return 9;
  if (word == "trillion") return 12;
  return 0;
}

int NumberWordValue(std::string_view word) {
  static constexpr std::string_view kOnes[] = {
      "zero",     "one",      "two",      "three",   "four",    "five",
      "six",      "seven",    "eight",    "nine",    "ten",     "eleven",
      "twelve",   "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
      "eighteen", "nineteen", "twenty"};
  static constexpr std::string_view kTens[] = {
      "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
  for (int i = 1; i <= 20; ++i) {
    if (word == kOnes[i]) return i;
  }
  for (int i = 0; i < 7; ++i) {
    if (word == kTens[i]) return 30 + 10 * i;
  }
  if (word == "hundred") return 100;
  return 0;
}

// The denominator a fraction word names ("tenth" -> 10), or 0.
int DenominatorOf(std::string_view word) {
  if (!word.empty() && word.back() == 's') word.remove_suffix(1);
  if (word == "half" || word == "halve") return 2;
  if (word == "third") return 3;
  if (word == "quarter") return 4;
  if (word == "fifth") return 5;
  if (word == "tenth") return 10;
  return 0;
}

// After a number ending at `position`: the scale word that follows it.
int ScaleAfter(std::string_view text, size_t position) {
  while (position < text.size() && text[position] == ' ') ++position;
  return ScaleOf(WordAt(text, position));
}

// A figure written with digits: "1,200", "USD 7.7 billion".
bool StartsWithNumeral(std::string_view text) {
  if (!text.empty() && IsDigit(text[0])) return true;
  return text.size() > 4 && IsLetter(text[0]) && IsLetter(text[1]) &&
         IsLetter(text[2]) && text[3] == ' ' && IsDigit(text[4]);
}

// A numeral or a number word: "about one-tenth".
bool StartsWithFigure(std::string_view text) {
  return StartsWithNumeral(text) || NumberWordValue(WordAt(text, 0)) != 0;
}

struct Phrase {
  std::string_view text;
  std::string_view suffix;
};
// Longer phrases first, so that "more than" is found before "than".
constexpr Phrase kQualifierPhrases[] = {
    {"in excess of", "MORE_THAN"}, {"more than", "MORE_THAN"},
    {"exceeding", "MORE_THAN"},    {"exceeded", "MORE_THAN"},
    {"exceeds", "MORE_THAN"},      {"exceed", "MORE_THAN"},
    {"surpassed", "MORE_THAN"},    {"above", "MORE_THAN"},
    {"over", "MORE_THAN"},         {"approximately", "APPROXIMATE"},
    {"roughly", "APPROXIMATE"},    {"around", "APPROXIMATE"},
    {"about", "APPROXIMATE"},      {"nearly", "NEARLY"},
    {"almost", "NEARLY"},          {"approaching", "NEARLY"},
    {"approached", "NEARLY"},      {"close to", "NEARLY"},
    {"less than", "LESS_THAN"},    {"fewer than", "LESS_THAN"},
    {"below", "LESS_THAN"},        {"under", "LESS_THAN"},
    {"at least", "AT_LEAST"},
};

// Names, aliases and titles: the string leaves whose value must be quoted.
// Display names of other resources are descriptive labels, not names.
bool IsQuotedString(const Message& resource, const Message& parent,
                    const FieldDescriptor* field) {
  const std::string& name = field->name();
  if (name == "aliases") return true;
  if (name == "title") return parent.GetDescriptor() == v1::Role::descriptor();
  if (name == "text") {
    return parent.GetDescriptor() == v1::Statistic::descriptor();
  }
  if (name == "display_name" && &parent == &resource) {
    const Descriptor* type = resource.GetDescriptor();
    return type == v1::Institution::descriptor() ||
           type == v1::Person::descriptor();
  }
  return false;
}

class ValueChecker {
 public:
  ValueChecker(const Message& resource, const SupportProblemSink& report)
      : resource_(resource), report_(report) {}

  int64_t checked() const { return checked_; }

  void Check(absl::Span<const PathStep> steps) {
    const std::string path = FormatPath(steps);
    quotes_.clear();
    for (const v1::Citation* citation : CoveringCitations(resource_, path)) {
      if (IsStated(*citation)) {
        quotes_.push_back(NormalizeQuoteText(citation->quote()));
      }
    }
    if (quotes_.empty()) return;  // Curated only: nothing to check.
    steps_ = steps;
    const Message& parent = LeafParentAt(resource_, steps);
    const PathStep& leaf = steps.back();
    const Reflection* reflection = parent.GetReflection();
    switch (leaf.field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        if (!IsQuotedString(resource_, parent, leaf.field)) return;
        const std::string value =
            leaf.index >= 0
                ? reflection->GetRepeatedString(parent, leaf.field, leaf.index)
                : reflection->GetString(parent, leaf.field);
        if (CheckQuoted(leaf.field->name(), value) &&
            leaf.field->name() == "text") {
          CheckQualifier(parent, value);
        }
        return;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE:
        if (parent.GetDescriptor() == v1::Statistic::descriptor()) {
          const double value = reflection->GetDouble(parent, leaf.field);
          ++checked_;
          if (!DoubleStated(value)) {
            Report(absl::StrCat(leaf.field->name(), " ", value,
                                " is not a number its stated quote gives"));
          }
        }
        return;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;
      default:
        return;
    }
    const Message& value =
        leaf.index >= 0
            ? reflection->GetRepeatedMessage(parent, leaf.field, leaf.index)
            : reflection->GetMessage(parent, leaf.field);
    if (value.GetDescriptor() == v1::Date::descriptor()) {
      const auto& date = static_cast<const v1::Date&>(value);
      if (date.inferred()) {
        Report(
            "an inferred date is curated, not stated: cite it with kind "
            "CITATION_KIND_CURATED and a note");
        return;
      }
      if (!date.text().empty()) CheckQuoted("date text", date.text());
    } else if (value.GetDescriptor() == v1::Money::descriptor()) {
      const auto& money = static_cast<const v1::Money&>(value);
      if (CheckQuoted("money text", money.text()))
        CheckQualifier(money, money.text());
      const __int128 nanos =
          static_cast<__int128>(money.units()) * kNanosPerUnit + money.nanos();
      ++checked_;
      if (!NanosStated(nanos)) {
        Report(absl::StrCat("amount ", money.units(),
                            money.nanos() != 0
                                ? absl::StrCat(" and ", money.nanos(), " nanos")
                                : "",
                            " ", money.currency_code(),
                            " is not a number its stated quote gives"));
      }
    }
  }

 private:
  void Report(std::string message) { report_(steps_, std::move(message)); }

  // Whether `value` occurs in a quote; reports it when not.
  bool CheckQuoted(std::string_view what, std::string_view value) {
    ++checked_;
    const std::string normalized = NormalizeQuoteText(value);
    for (const std::string& quote : quotes_) {
      if (quote.find(normalized) != std::string::npos) return true;
    }
    Report(absl::StrCat(std::string(what), " \"", std::string(value),
                        "\" is not in its stated quote; quote the sentence "
                        "that states it, or cite it as curated with a note"));
    return false;
  }

  // Each qualifier a quote puts on `text` must be `message`'s qualifier.
  void CheckQualifier(const Message& message, std::string_view text) {
    const FieldDescriptor* field =
        message.GetDescriptor()->FindFieldByName("qualifier");
    if (field == nullptr || field->enum_type() == nullptr) return;
    const std::string& actual =
        message.GetReflection()->GetEnum(message, field)->name();
    // "MONEY_QUALIFIER_UNSPECIFIED" -> "MONEY_QUALIFIER_".
    const std::string& first = field->enum_type()->value(0)->name();
    const std::string prefix = first.substr(0, first.rfind('_') + 1);
    const std::string normalized = NormalizeQuoteText(text);
    for (const std::string& quote : quotes_) {
      const size_t position = quote.find(normalized);
      if (position == std::string::npos) continue;
      const QualifierInText found = QualifierAt(quote, position);
      if (found.suffix.empty()) continue;
      const std::string expected = absl::StrCat(prefix, found.suffix);
      if (actual != expected) {
        Report(absl::StrCat("the quote qualifies \"", std::string(text),
                            "\" by \"", found.phrase, "\" but qualifier is ",
                            actual, "; set ", expected));
        return;
      }
    }
  }

  bool NanosStated(__int128 nanos) {
    for (const std::string& quote : quotes_) {
      for (__int128 stated : NumbersStated(quote)) {
        if (stated == nanos) return true;
      }
    }
    return false;
  }

  bool DoubleStated(double value) {
    for (const std::string& quote : quotes_) {
      for (__int128 stated : NumbersStated(quote)) {
        const double number = static_cast<double>(stated) / 1e9;
        if (std::fabs(number - value) <=
            1e-9 * std::fmax(1.0, std::fabs(value))) {
          return true;
        }
      }
    }
    return false;
  }

  const Message& resource_;
  const SupportProblemSink& report_;
  std::vector<std::string> quotes_;
  absl::Span<const PathStep> steps_;
  int64_t checked_ = 0;
};

}  // namespace

std::vector<__int128> NumbersStated(std::string_view text_in) {
  std::string text(text_in);
  absl::AsciiStrToLower(&text);
  std::vector<__int128> numbers;
  size_t i = 0;
  while (i < text.size()) {
    const bool starts_word =
        i == 0 || !(IsLetter(text[i - 1]) || IsDigit(text[i - 1]));
    if (IsDigit(text[i]) && (i == 0 || !IsDigit(text[i - 1]))) {
      __int128 mantissa = 0;
      int fraction_digits = 0;
      size_t j = i;
      while (j < text.size() && IsDigit(text[j]))
        mantissa = mantissa * 10 + (text[j++] - '0');
      // Thousands separators: ",ddd" not followed by a further digit.
      while (j + 3 < text.size() + 0 && text[j] == ',' &&
             IsDigit(text[j + 1]) && IsDigit(text[j + 2]) &&
             IsDigit(text[j + 3]) &&
             (j + 4 >= text.size() || !IsDigit(text[j + 4]))) {
        for (int k = 1; k <= 3; ++k)
          mantissa = mantissa * 10 + (text[j + k] - '0');
        j += 4;
      }
      if (j + 1 < text.size() && text[j] == '.' && IsDigit(text[j + 1])) {
        ++j;
        while (j < text.size() && IsDigit(text[j]) && fraction_digits < 9) {
          mantissa = mantissa * 10 + (text[j++] - '0');
          ++fraction_digits;
        }
        while (j < text.size() && IsDigit(text[j])) ++j;
      }
      const int scale = ScaleAfter(text, j);
      numbers.push_back(mantissa * PowerOfTen(9 + scale - fraction_digits));
      if (scale != 0) {
        // "15.1 billion" also states 15.1 (the figure as written).
        numbers.push_back(mantissa * PowerOfTen(9 - fraction_digits));
      }
      i = j;
      continue;
    }
    if (starts_word && IsLetter(text[i])) {
      const std::string_view word = WordAt(text, i);
      const int value = NumberWordValue(word);
      if (value != 0) {
        const int scale = ScaleAfter(text, i + word.size());
        numbers.push_back(static_cast<__int128>(value) * PowerOfTen(9 + scale));
        // "one-tenth", "two-thirds".
        const size_t after = i + word.size();
        if (after < text.size() && text[after] == '-') {
          const int denominator = DenominatorOf(WordAt(text, after + 1));
          if (denominator != 0) {
            numbers.push_back(static_cast<__int128>(value) * kNanosPerUnit /
                              denominator);
          }
        }
      }
      i += word.size();
      continue;
    }
    ++i;
  }
  return numbers;
}

QualifierInText QualifierAt(std::string_view text_in, size_t position) {
  std::string text(text_in);
  absl::AsciiStrToLower(&text);
  // Before the figure: "more than USD 7.7 billion", "has exceeded KRW ...".
  size_t end = std::min(position, text.size());
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '(')) --end;
  const std::string_view before = std::string_view(text).substr(0, end);
  const std::string_view figure =
      std::string_view(text).substr(std::min(position, text.size()));
  // Words such as "over" and "around" qualify a figure only when digits
  // follow them ("over 500", not "around four strategic areas" or "Over the
  // past 25 years").
  for (const Phrase& phrase : kQualifierPhrases) {
    if (StartsWithNumeral(figure) && before.size() >= phrase.text.size() &&
        before.substr(before.size() - phrase.text.size()) == phrase.text) {
      const size_t start = before.size() - phrase.text.size();
      if (start == 0 || !IsLetter(before[start - 1])) {
        return {std::string(phrase.suffix), std::string(phrase.text)};
      }
    }
    // Inside it: "about 1,200", "about one-tenth".
    if (figure.substr(0, phrase.text.size()) == phrase.text &&
        figure.size() > phrase.text.size() &&
        figure[phrase.text.size()] == ' ' &&
        StartsWithFigure(figure.substr(phrase.text.size() + 1))) {
      return {std::string(phrase.suffix), std::string(phrase.text)};
    }
  }
  return {};
}

int64_t CheckSupport(const Message& resource,
                     const SupportProblemSink& report) {
  ValueChecker checker(resource, report);
  ForEachFactPath(resource, [&](absl::Span<const PathStep> steps) {
    checker.Check(steps);
  });
  return checker.checked();
}

}  // namespace factgraph::store
