#include "client/cli/render.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "service/store/facts.h"
#include "service/store/field_values.h"
#include "service/store/utf8.h"

namespace factgraph::cli {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Decodes one UTF-8 code point at text[*pos] and advances; an invalid byte
// decodes as itself so that nothing is lost or loops (responses are proto3
// strings, valid UTF-8, so only hand-made input has any).
uint32_t NextCodePoint(const std::string& text, size_t* pos) {
  uint32_t code;
  size_t length =
      store::Utf8SequenceLength(std::string_view(text).substr(*pos), &code);
  if (length == 0) {
    code = static_cast<unsigned char>(text[*pos]);
    length = 1;
  }
  *pos += length;
  return code;
}

int CodePointWidth(uint32_t code) {
  if (code >= 0x0300 && code <= 0x036F) return 0;  // Combining accents.
  const bool wide = (code >= 0x1100 && code <= 0x115F) ||
                    (code >= 0x2E80 && code <= 0xA4CF) ||
                    (code >= 0xAC00 && code <= 0xD7A3) ||
                    (code >= 0xF900 && code <= 0xFAFF) ||
                    (code >= 0xFE30 && code <= 0xFE4F) ||
                    (code >= 0xFF00 && code <= 0xFF60) ||
                    (code >= 0xFFE0 && code <= 0xFFE6) || code >= 0x20000;
  return wide ? 2 : 1;
}

// Messages shown as one value rather than field by field.
bool IsLeafMessage(const google::protobuf::Descriptor* type) {
  return type == v1::Date::descriptor() || type == v1::Money::descriptor() ||
         type == v1::EntityRef::descriptor() ||
         type == v1::Citation::descriptor() ||
         type == v1::FactValue::descriptor() ||
         type == google::protobuf::Timestamp::descriptor();
}

// `format` applied to `message` if it is a T; nullopt otherwise.
template <typename T>
std::optional<std::string> FormatAs(const Message& message,
                                    std::string (*format)(const T&)) {
  if (message.GetDescriptor() != T::descriptor()) return std::nullopt;
  T typed;
  typed.CopyFrom(message);
  return format(typed);
}

std::string FormatMessage(const Message& message) {
  for (const std::optional<std::string>& text :
       {FormatAs(message, &FormatDate), FormatAs(message, &FormatMoney),
        FormatAs(message, &FormatEntityRef), FormatAs(message, &FormatCitation),
        FormatAs(message, &FormatFactValue),
        FormatAs<google::protobuf::Timestamp>(
            message, &google::protobuf::util::TimeUtil::ToString)}) {
    if (text.has_value()) return *text;
  }
  return message.ShortDebugString();
}

std::string FormatNumber(double value) {
  return absl::StrFormat("%.15g", value);
}

void Flatten(const Message& message, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>* out) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int count =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      std::string path = absl::StrCat(prefix, field->name());
      if (field->is_repeated()) absl::StrAppend(&path, "[", i, "]");
      const bool nested = field->type() == FieldDescriptor::TYPE_MESSAGE &&
                          !IsLeafMessage(field->message_type());
      if (nested) {
        const Message& child =
            field->is_repeated()
                ? reflection->GetRepeatedMessage(message, field, i)
                : reflection->GetMessage(message, field);
        Flatten(child, path + ".", out);
      } else {
        out->emplace_back(
            path, FormatField(message, field, field->is_repeated() ? i : -1));
      }
    }
  }
}

}  // namespace

std::string FormatDate(const v1::Date& date) {
  static constexpr const char* kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const bool has_month = date.precision() >= v1::DATE_PRECISION_MONTH &&
                         date.month() >= 1 && date.month() <= 12;
  const bool has_day =
      date.precision() >= v1::DATE_PRECISION_DAY && date.day() != 0;
  std::string text;
  if (date.year() != 0 && has_month && has_day) {
    text = absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                           date.day());
  } else if (has_month) {
    // Partial dates read as their sources write them: "November 2025",
    // "July 18".
    text = kMonths[date.month() - 1];
    if (has_day) absl::StrAppend(&text, " ", date.day());
    if (date.year() != 0) absl::StrAppend(&text, " ", date.year());
  } else if (has_day) {
    const int day = date.day();
    const char* suffix = (day % 100 >= 11 && day % 100 <= 13) ? "th"
                         : day % 10 == 1                      ? "st"
                         : day % 10 == 2                      ? "nd"
                         : day % 10 == 3                      ? "rd"
                                                              : "th";
    text = absl::StrCat("the ", day, suffix);
    if (date.year() != 0) absl::StrAppend(&text, " of ", date.year());
  } else {
    text = date.year() != 0 ? absl::StrFormat("%04d", date.year()) : "?";
  }
  if (date.inferred()) absl::StrAppend(&text, " (inferred)");
  return text;
}

std::string FormatMoney(const v1::Money& money) {
  std::string exact = absl::StrCat(money.currency_code(), " ", money.units());
  if (money.nanos() != 0) {
    std::string fraction = absl::StrFormat("%09d", std::abs(money.nanos()));
    fraction.erase(fraction.find_last_not_of('0') + 1);
    if (money.units() == 0 && money.nanos() < 0) {
      exact = absl::StrCat(money.currency_code(), " -0");
    }
    absl::StrAppend(&exact, ".", fraction);
  }
  if (money.qualifier() != v1::MONEY_QUALIFIER_UNSPECIFIED) {
    // "MONEY_QUALIFIER_MORE_THAN" -> "more than".
    std::string qualifier =
        v1::MoneyQualifier_Name(money.qualifier())
            .substr(std::string_view("MONEY_QUALIFIER_").size());
    absl::AsciiStrToLower(&qualifier);
    std::replace(qualifier.begin(), qualifier.end(), '_', ' ');
    absl::StrAppend(&exact, ", ", qualifier);
  }
  if (money.text().empty() || money.text() == exact) return exact;
  return absl::StrCat(money.text(), " (", exact, ")");
}

std::string FormatEntityRef(const v1::EntityRef& ref) {
  if (ref.display_name().empty()) return ref.name();
  return absl::StrCat(ref.name(), " (", ref.display_name(), ")");
}

std::string FormatCitation(const v1::Citation& citation) {
  const std::string paths =
      citation.field_paths_size() == 0
          ? ""
          : absl::StrCat(" [", absl::StrJoin(citation.field_paths(), ", "),
                         "]");
  if (citation.kind() != v1::CITATION_KIND_CURATED) {
    return absl::StrCat(citation.document(), ": \"", citation.quote(), "\"",
                        paths);
  }
  std::string text =
      absl::StrCat("CURATED, no article states it: ", citation.note(), paths);
  if (!citation.reference().empty()) {
    absl::StrAppend(&text, " (see ", citation.reference(), ")");
  }
  if (!citation.quote().empty()) {
    absl::StrAppend(&text, " context ", citation.document(), ": \"",
                    citation.quote(), "\"");
  } else if (!citation.document().empty()) {
    absl::StrAppend(&text, " context ", citation.document());
  }
  return text;
}

std::string FormatFactKind(v1::CitationKind kind) {
  return kind == v1::CITATION_KIND_CURATED ? "CURATED" : "stated";
}

std::string FormatFactValue(const v1::FactValue& value) {
  static constexpr store::FactValueSpelling kShownSpelling = {
      &FormatNumber, &FormatDate, &FormatMoney, &FormatEntityRef};
  return store::FactValueText(value, kShownSpelling);
}

std::string FormatField(const Message& message, const FieldDescriptor* field,
                        int index) {
  std::string scratch;
  return store::FieldValueAt(message, field, field->is_repeated() ? index : -1)
      .Visit(
          &scratch,
          store::Overloaded{
              [](const std::string& text) { return text; },
              [](int64_t number) { return absl::StrCat(number); },
              [](uint64_t number) { return absl::StrCat(number); },
              [](double number) { return FormatNumber(number); },
              [](bool truth) { return std::string(truth ? "true" : "false"); },
              [](const google::protobuf::EnumValueDescriptor* value) {
                return value->name();
              },
              [](const Message& value) { return FormatMessage(value); },
          });
}

std::vector<std::pair<std::string, std::string>> FlattenFields(
    const Message& message) {
  std::vector<std::pair<std::string, std::string>> fields;
  Flatten(message, "", &fields);
  return fields;
}

int DisplayWidth(const std::string& text) {
  int width = 0;
  for (size_t pos = 0; pos < text.size();)
    width += CodePointWidth(NextCodePoint(text, &pos));
  return width;
}

std::string FitToWidth(const std::string& text, int width) {
  std::string flat = text;
  std::replace_if(
      flat.begin(), flat.end(),
      [](char c) { return c == '\n' || c == '\t' || c == '\r'; }, ' ');
  if (DisplayWidth(flat) <= width) return flat;
  std::string cut;
  int used = 0;
  for (size_t pos = 0; pos < flat.size();) {
    const size_t start = pos;
    const int w = CodePointWidth(NextCodePoint(flat, &pos));
    if (used + w > width - 1) break;
    used += w;
    cut.append(flat, start, pos - start);
  }
  return cut + "…";
}

void Table::AddRow(std::vector<std::string> row) {
  row.resize(header_.size());
  for (std::string& cell : row) cell = FitToWidth(cell, INT32_MAX);
  rows_.push_back(std::move(row));
}

int Table::TerminalWidth() {
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    int width = 0;
    if (absl::SimpleAtoi(columns, &width) && width > 0) return width;
  }
  struct winsize size {};
  if (::isatty(STDOUT_FILENO) &&
      ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
    return size.ws_col;
  }
  return 0;
}

std::string ShortEnumName(const google::protobuf::EnumValueDescriptor& value) {
  // "InstitutionKind" -> "INSTITUTION_KIND_".
  std::string prefix;
  for (char c : value.type()->name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !prefix.empty()) {
      prefix.push_back('_');
    }
    prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  prefix.push_back('_');
  const std::string& name = value.name();
  return absl::StartsWith(name, prefix) && name.size() > prefix.size()
             ? name.substr(prefix.size())
             : name;
}

void Table::DropEmptyColumns() {
  for (size_t column = header_.size(); column-- > 1;) {
    const bool empty =
        std::all_of(rows_.begin(), rows_.end(),
                    [&](const auto& row) { return row[column].empty(); });
    if (!empty) continue;
    header_.erase(header_.begin() + column);
    for (auto& row : rows_) row.erase(row.begin() + column);
  }
}

void Table::Print(std::ostream& out, int terminal_width) const {
  std::vector<int> widths(header_.size());
  for (size_t c = 0; c < header_.size(); ++c)
    widths[c] = DisplayWidth(header_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  for (size_t c = 1; c < widths.size(); ++c) {
    widths[c] = std::min(widths[c], std::max(max_cell_width_, kMinCutWidth));
  }
  // Columns shown: all, unless the terminal is too narrow for them even
  // cut; then the last ones go (the columns come in order of importance).
  size_t shown = widths.size();
  if (terminal_width > 0) {
    std::vector<int> minimum(widths.size());
    for (size_t c = 0; c < widths.size(); ++c) {
      minimum[c] =
          c == 0 ? widths[c]
                 : std::min(widths[c],
                            std::max(kMinCutWidth, DisplayWidth(header_[c])));
    }
    auto total = [&](const std::vector<int>& column_widths) {
      int sum = 0;
      for (size_t c = 0; c < shown; ++c) sum += column_widths[c];
      return sum + 2 * static_cast<int>(shown - 1);
    };
    while (shown > 2 && total(minimum) > terminal_width) --shown;
    // Narrow the widest column that can still give up a character.
    while (total(widths) > terminal_width) {
      int widest = -1;
      for (size_t c = 1; c < shown; ++c) {
        if (widths[c] > minimum[c] &&
            (widest < 0 || widths[c] > widths[widest])) {
          widest = static_cast<int>(c);
        }
      }
      if (widest < 0) break;
      --widths[widest];
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < shown; ++c) {
      const std::string cell = c == 0 ? row[c] : FitToWidth(row[c], widths[c]);
      line += cell;
      if (c + 1 < shown)
        line.append(std::max(widths[c] - DisplayWidth(cell), 0) + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  };
  print_row(header_);
  for (const auto& row : rows_) print_row(row);
}

absl::Status PrintJson(const Message& message, std::ostream& out) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print JSON: ", status.ToString()));
  }
  out << json << "\n";
  return absl::OkStatus();
}

}  // namespace factgraph::cli
