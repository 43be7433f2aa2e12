#include "service/store/facts.h"

#include <charconv>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "factgraph/v1/document.pb.h"
#include "service/store/field_values.h"
#include "service/store/support_check.h"

namespace factgraph::store {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsValueMessage(const Descriptor* descriptor) {
  return descriptor == v1::Date::descriptor() ||
         descriptor == v1::Money::descriptor() ||
         descriptor == v1::EntityRef::descriptor();
}

bool IsExcludedFromFacts(const FieldDescriptor* field) {
  // Only top-level fields of resources are excluded; `field` belongs to the
  // resource message here. Looked up once: this runs for every field of
  // every resource when a snapshot is indexed.
  static const FieldDescriptor* const document_content =
      v1::Document::descriptor()->FindFieldByName("content");
  if (field == document_content) return true;
  return field->name() == "name" || field->name() == "citations";
}

namespace {

bool IsSet(const Message& message, const FieldDescriptor* field) {
  const Reflection* reflection = message.GetReflection();
  if (field->is_repeated()) return reflection->FieldSize(message, field) > 0;
  return reflection->HasField(message, field);
}

void VisitMessage(
    const Message& message, bool is_resource, std::vector<PathStep>* steps,
    const std::function<void(absl::Span<const PathStep>)>& visit) {
  const Descriptor* descriptor = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (is_resource && IsExcludedFromFacts(field)) continue;
    if (!IsSet(message, field)) continue;
    const bool descend = field->type() == FieldDescriptor::TYPE_MESSAGE &&
                         !IsValueMessage(field->message_type());
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      for (int j = 0; j < size; ++j) {
        steps->push_back(PathStep{field, j});
        if (descend) {
          VisitMessage(reflection->GetRepeatedMessage(message, field, j), false,
                       steps, visit);
        } else {
          visit(*steps);
        }
        steps->pop_back();
      }
    } else {
      steps->push_back(PathStep{field, -1});
      if (descend) {
        VisitMessage(reflection->GetMessage(message, field), false, steps,
                     visit);
      } else {
        visit(*steps);
      }
      steps->pop_back();
    }
  }
}

}  // namespace

void ForEachFactPath(
    const Message& resource,
    const std::function<void(absl::Span<const PathStep>)>& visit) {
  std::vector<PathStep> steps;
  VisitMessage(resource, true, &steps, visit);
}

const Message& LeafParentAt(const Message& resource,
                            absl::Span<const PathStep> path) {
  const Message* message = &resource;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const Reflection* reflection = message->GetReflection();
    message = path[i].index >= 0
                  ? &reflection->GetRepeatedMessage(*message, path[i].field,
                                                    path[i].index)
                  : &reflection->GetMessage(*message, path[i].field);
  }
  return *message;
}

std::vector<const v1::Citation*> CitationsOf(const Message& resource) {
  std::vector<const v1::Citation*> citations;
  const FieldDescriptor* field =
      resource.GetDescriptor()->FindFieldByName("citations");
  if (field == nullptr || field->message_type() != v1::Citation::descriptor()) {
    return citations;
  }
  const Reflection* reflection = resource.GetReflection();
  for (int i = 0; i < reflection->FieldSize(resource, field); ++i) {
    citations.push_back(static_cast<const v1::Citation*>(
        &reflection->GetRepeatedMessage(resource, field, i)));
  }
  return citations;
}

v1::FactValue FactValueAt(const Message& resource,
                          absl::Span<const PathStep> path) {
  const Message& parent = LeafParentAt(resource, path);
  v1::FactValue value;
  SetLeafValue(parent, *parent.GetReflection(), path.back(), &value);
  return value;
}

namespace {

// A Date, Money or EntityRef leaf as itself; any other message has no value.
void SetMessageValue(const FieldDescriptor* field, const Message& sub,
                     v1::FactValue* value) {
  // Looked up once: descriptor() goes through a call_once each time.
  static const Descriptor* const date = v1::Date::descriptor();
  static const Descriptor* const money = v1::Money::descriptor();
  static const Descriptor* const entity = v1::EntityRef::descriptor();
  const Descriptor* type = field->message_type();
  if (type == date) {
    value->mutable_date_value()->CopyFrom(static_cast<const v1::Date&>(sub));
  } else if (type == money) {
    value->mutable_money_value()->CopyFrom(static_cast<const v1::Money&>(sub));
  } else if (type == entity) {
    value->mutable_entity_value()->CopyFrom(
        static_cast<const v1::EntityRef&>(sub));
  } else {
    value->Clear();
  }
}

}  // namespace

void SetLeafValue(const Message& parent, const Reflection& reflection,
                  const PathStep& leaf, v1::FactValue* value) {
  // By reference, then assigned: a copy that reuses value's buffer.
  std::string scratch;
  FieldValueAt(parent, reflection, leaf.field, leaf.index)
      .Visit(
          &scratch,
          Overloaded{
              [&](const std::string& text) { value->set_string_value(text); },
              [&](int64_t number) { value->set_int_value(number); },
              [&](uint64_t number) {
                value->set_int_value(static_cast<int64_t>(number));
              },
              [&](double number) { value->set_double_value(number); },
              [&](bool truth) { value->set_bool_value(truth); },
              [&](const EnumValueDescriptor* enum_value) {
                value->set_enum_value(enum_value->name());
              },
              [&](const Message& sub) {
                SetMessageValue(leaf.field, sub, value);
              },
          });
}

std::vector<const v1::Citation*> CoveringCitations(const Message& resource,
                                                   std::string_view fact_path) {
  std::vector<const v1::Citation*> covering;
  const FieldDescriptor* citations =
      resource.GetDescriptor()->FindFieldByName("citations");
  if (citations == nullptr || !citations->is_repeated() ||
      citations->message_type() != v1::Citation::descriptor()) {
    return covering;
  }
  const Reflection* reflection = resource.GetReflection();
  const int size = reflection->FieldSize(resource, citations);
  for (int i = 0; i < size; ++i) {
    const auto& citation = static_cast<const v1::Citation&>(
        reflection->GetRepeatedMessage(resource, citations, i));
    for (const std::string& path : citation.field_paths()) {
      if (PathCovers(path, fact_path)) {
        covering.push_back(&citation);
        break;
      }
    }
  }
  return covering;
}

std::vector<v1::Fact> FactsOf(const Message& resource) {
  std::vector<v1::Fact> facts;
  const Descriptor* descriptor = resource.GetDescriptor();
  const Reflection* reflection = resource.GetReflection();
  const FieldDescriptor* name_field = descriptor->FindFieldByName("name");
  const FieldDescriptor* display_field =
      descriptor->FindFieldByName("display_name");
  const std::string subject =
      name_field ? reflection->GetString(resource, name_field) : "";
  const std::string display =
      display_field ? reflection->GetString(resource, display_field) : "";
  ForEachFactPath(resource, [&](absl::Span<const PathStep> steps) {
    v1::Fact& fact = facts.emplace_back();
    fact.set_subject(subject);
    fact.set_predicate(FormatPredicate(steps));
    fact.set_path(FormatPath(steps));
    *fact.mutable_object() = FactValueAt(resource, steps);
    const std::vector<const v1::Citation*> covering =
        CoveringCitations(resource, fact.path());
    for (const v1::Citation* citation : covering) {
      *fact.add_citations() = *citation;
    }
    fact.set_kind(KindOfSupport(covering));
    fact.set_subject_display_name(display);
  });
  return facts;
}

std::string DateKey(const v1::Date& date) {
  std::string key;
  if (date.year() != 0) {
    key = absl::StrFormat("%04d", date.year());
  } else {
    key = "-";
  }
  if (date.month() != 0) {
    absl::StrAppendFormat(&key, "-%02d", date.month());
  } else if (date.day() != 0) {
    key.push_back('-');
  }
  if (date.day() != 0) absl::StrAppendFormat(&key, "-%02d", date.day());
  if (key == "-") key = "";
  return key;
}

std::string MoneyKey(const v1::Money& money) {
  std::string key = absl::StrCat(money.currency_code(), " ");
  const bool negative = money.units() < 0 || money.nanos() < 0;
  if (negative) key.push_back('-');
  // Magnitudes as unsigned, so that INT64_MIN has one too.
  const uint64_t units = money.units() < 0
                             ? 0 - static_cast<uint64_t>(money.units())
                             : static_cast<uint64_t>(money.units());
  absl::StrAppend(&key, units);
  if (money.nanos() != 0) {
    const int64_t nanos = money.nanos();
    std::string fraction = absl::StrFormat("%09d", nanos < 0 ? -nanos : nanos);
    while (fraction.back() == '0') fraction.pop_back();
    absl::StrAppend(&key, ".", fraction);
  }
  return key;
}

namespace {

std::string DoubleKey(double value) {
  char buffer[64];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string FactValueText(const v1::FactValue& value,
                          const FactValueSpelling& spelling) {
  switch (value.kind_case()) {
    case v1::FactValue::kStringValue:
      return value.string_value();
    case v1::FactValue::kIntValue:
      return absl::StrCat(value.int_value());
    case v1::FactValue::kDoubleValue:
      return spelling.number(value.double_value());
    case v1::FactValue::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case v1::FactValue::kEnumValue:
      return value.enum_value();
    case v1::FactValue::kDateValue:
      return spelling.date(value.date_value());
    case v1::FactValue::kMoneyValue:
      return spelling.money(value.money_value());
    case v1::FactValue::kEntityValue:
      return spelling.entity(value.entity_value());
    case v1::FactValue::KIND_NOT_SET:
      break;
  }
  return "";
}

std::string ObjectKey(const v1::FactValue& value) {
  static constexpr FactValueSpelling kKeySpelling = {
      &DoubleKey, &DateKey, &MoneyKey,
      [](const v1::EntityRef& ref) -> std::string { return ref.name(); }};
  return FactValueText(value, kKeySpelling);
}

}  // namespace factgraph::store
