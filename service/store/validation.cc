#include "service/store/validation.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace factgraph::store {

namespace {

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

}  // namespace

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

absl::Status CheckResourceName(const Collection& collection,
                               std::string_view name) {
  const std::string_view prefix = collection.id;
  bool ok = name.size() > prefix.size() + 1 &&
            name.substr(0, prefix.size()) == prefix &&
            name[prefix.size()] == '/';
  if (ok) {
    for (char c : name.substr(prefix.size() + 1)) {
      if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
            absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-')) {
        ok = false;
        break;
      }
    }
  }
  if (ok) return absl::OkStatus();
  return Invalid(absl::StrCat(
      "name \"", std::string(name), "\" is not \"", std::string(prefix),
      "/<id>\" with an id of lowercase letters, digits and "
      "'-'"));
}

namespace {

// Whether day `day` (1 to 31) exists in `month` of `year`; with the year
// unknown (0), February 29 may exist, so a leap year stands in for it.
bool DayExists(int year, int month, int day) {
  const absl::CivilDay civil(year == 0 ? 2000 : year, month, day);
  return civil.day() == day;
}

}  // namespace

absl::Status CheckDate(const v1::Date& date) {
  if (date.year() < 0 || date.year() > 9999) {
    return Invalid(absl::StrCat("year ", date.year(), " is not 1 to 9999"));
  }
  if (date.month() < 0 || date.month() > 12) {
    return Invalid(absl::StrCat("month ", date.month(), " is not 1 to 12"));
  }
  if (date.day() < 0 || date.day() > 31) {
    return Invalid(absl::StrCat("day ", date.day(), " is not 1 to 31"));
  }
  if (date.month() > 0 && date.day() > 0 &&
      !DayExists(date.year(), date.month(), date.day())) {
    return Invalid(absl::StrCat(
        "day ", date.day(), " does not exist in month ", date.month(),
        date.year() > 0 ? absl::StrCat(" of ", date.year()) : std::string()));
  }
  const bool any_component = date.year() || date.month() || date.day();
  switch (date.precision()) {
    case v1::DATE_PRECISION_UNSPECIFIED:
      return Invalid(any_component ? "precision must be set"
                                   : "date has no year, month or day");
    case v1::DATE_PRECISION_YEAR:
      if (date.year() == 0 || date.month() != 0 || date.day() != 0) {
        return Invalid("DATE_PRECISION_YEAR needs a year and no month or day");
      }
      break;
    case v1::DATE_PRECISION_MONTH:
      if (date.month() == 0 || date.day() != 0) {
        return Invalid("DATE_PRECISION_MONTH needs a month and no day");
      }
      break;
    case v1::DATE_PRECISION_DAY:
      if (date.day() == 0) return Invalid("DATE_PRECISION_DAY needs a day");
      break;
    default:
      return Invalid(absl::StrCat("unknown precision ", date.precision()));
  }
  if (date.inferred() && date.inference().empty()) {
    return Invalid("an inferred date needs its inference");
  }
  if (!date.inferred() && !date.inference().empty()) {
    return Invalid("inference given but inferred is false");
  }
  return absl::OkStatus();
}

absl::Status CheckMoney(const v1::Money& money) {
  const std::string& code = money.currency_code();
  bool code_ok = code.size() == 3;
  for (char c : code) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c))) code_ok = false;
  }
  if (!code_ok) {
    return Invalid(absl::StrCat("currency_code \"", code,
                                "\" is not three upper-case letters"));
  }
  if (money.nanos() <= -1000000000 || money.nanos() >= 1000000000) {
    return Invalid(
        absl::StrCat("nanos ", money.nanos(), " is not below 10^9 in size"));
  }
  if ((money.units() > 0 && money.nanos() < 0) ||
      (money.units() < 0 && money.nanos() > 0)) {
    return Invalid("nanos and units have different signs");
  }
  if (money.text().empty())
    return Invalid("text must give the amount as written");
  if (money.approximate() &&
      money.qualifier() != v1::MONEY_QUALIFIER_APPROXIMATE &&
      money.qualifier() != v1::MONEY_QUALIFIER_UNSPECIFIED) {
    return Invalid("approximate (deprecated) contradicts qualifier " +
                   v1::MoneyQualifier_Name(money.qualifier()));
  }
  return absl::OkStatus();
}

int LocateField(const TextFormat::ParseInfoTree* tree,
                const FieldDescriptor* field, int index) {
  if (tree == nullptr) return -1;
  for (int i = index; i >= (index < 0 ? -1 : 0); --i) {
    const TextFormat::ParseLocation location = tree->GetLocation(field, i);
    if (location.line >= 0) return location.line;
  }
  return -1;
}

namespace {

int LineOf(const TextFormat::ParseInfoTree* tree, const FieldDescriptor* field,
           int index, int fallback) {
  const int line = LocateField(tree, field, index);
  return line >= 0 ? line + 1 : fallback;
}

void Visit(const Message& message, const TextFormat::ParseInfoTree* tree,
           int line, const std::string& prefix,
           const NestedMessageVisitor& visit) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const std::string path = prefix.empty()
                                 ? field->name()
                                 : absl::StrCat(prefix, ".", field->name());
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        const std::string element = absl::StrCat(path, "[", i, "]");
        const int element_line = LineOf(tree, field, i, line);
        const Message& nested =
            reflection->GetRepeatedMessage(message, field, i);
        visit(nested, element, element_line);
        Visit(nested, tree ? tree->GetTreeForNested(field, i) : nullptr,
              element_line, element, visit);
      }
    } else {
      const int field_line = LineOf(tree, field, -1, line);
      const Message& nested = reflection->GetMessage(message, field);
      visit(nested, path, field_line);
      Visit(nested, tree ? tree->GetTreeForNested(field, -1) : nullptr,
            field_line, path, visit);
    }
  }
}

}  // namespace

void ForEachNestedMessage(const Message& message,
                          const TextFormat::ParseInfoTree* tree, int line,
                          const NestedMessageVisitor& visit) {
  Visit(message, tree, line, "", visit);
}

void ForEachNestedMutableMessage(
    Message* message, const std::function<void(Message* nested)>& visit) {
  const Reflection* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(*message, field);
      for (int i = 0; i < size; ++i) {
        Message* nested = reflection->MutableRepeatedMessage(message, field, i);
        visit(nested);
        ForEachNestedMutableMessage(nested, visit);
      }
    } else {
      Message* nested = reflection->MutableMessage(message, field);
      visit(nested);
      ForEachNestedMutableMessage(nested, visit);
    }
  }
}

}  // namespace factgraph::store
