#include "service/query/field_selector.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "factgraph/v1/common.pb.h"
#include "service/query/error_details.h"

namespace factgraph::query {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

ValueKind ValueKindOf(const FieldDescriptor& field) {
  // Indexed by FieldDescriptor::CppType, whose values protobuf fixes at 1 to
  // MAX_CPPTYPE; messages are told apart below.
  static constexpr ValueKind kByCppType[] = {
      ValueKind::kMessage,  // (no C++ type 0)
      ValueKind::kInt,      // CPPTYPE_INT32
      ValueKind::kInt,      // CPPTYPE_INT64
      ValueKind::kUint,     // CPPTYPE_UINT32
      ValueKind::kUint,     // CPPTYPE_UINT64
      ValueKind::kDouble,   // CPPTYPE_DOUBLE
      ValueKind::kDouble,   // CPPTYPE_FLOAT
      ValueKind::kBool,     // CPPTYPE_BOOL
      ValueKind::kEnum,     // CPPTYPE_ENUM
      ValueKind::kString,   // CPPTYPE_STRING
      ValueKind::kMessage,  // CPPTYPE_MESSAGE
  };
  static_assert(std::size(kByCppType) == FieldDescriptor::MAX_CPPTYPE + 1);
  if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return kByCppType[field.cpp_type()];
  }
  if (field.message_type() == v1::Date::descriptor()) return ValueKind::kDate;
  if (field.message_type() == v1::EntityRef::descriptor()) {
    return ValueKind::kEntityRef;
  }
  return ValueKind::kMessage;
}

std::string_view ValueKindNoun(ValueKind kind) {
  // Indexed by ValueKind.
  static constexpr std::string_view kNouns[] = {
      "a string", "an integer", "an integer",  "a number", "a boolean",
      "an enum",  "a date",     "a reference", "a message"};
  static_assert(std::size(kNouns) ==
                static_cast<size_t>(ValueKind::kMessage) + 1);
  return kNouns[static_cast<size_t>(kind)];
}

namespace {

// An error in the field path at `position` of the request field `context`
// ("filter" or "order_by").
absl::Status SelectorError(std::string_view context, std::string_view message,
                           int position) {
  return FieldError(absl::StatusCode::kInvalidArgument, context,
                    context == "order_by"    ? v1::INVALID_ORDER_BY
                    : context == "predicate" ? v1::INVALID_PREDICATE
                                             : v1::INVALID_FILTER,
                    message, position);
}

}  // namespace

absl::StatusOr<FieldSelector> ResolveFieldSelector(const Descriptor& descriptor,
                                                   std::string_view path,
                                                   std::string_view context,
                                                   int position) {
  FieldSelector selector;
  selector.text = std::string(path);
  const Descriptor* current = &descriptor;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string_view segment =
        path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    const int segment_position = position + static_cast<int>(start);
    if (segment.empty()) {
      return SelectorError(
          context,
          absl::StrFormat("%s: expected a field name at position %d", context,
                          segment_position),
          segment_position);
    }
    if (current == nullptr) {
      const FieldDescriptor& parent = *selector.fields.back();
      return SelectorError(
          context,
          absl::StrFormat(
              "%s: field \"%s\" of %s is %s and has no field \"%s\" at "
              "position %d",
              context, parent.name(), parent.containing_type()->full_name(),
              ValueKindNoun(ValueKindOf(parent)), segment, segment_position),
          segment_position);
    }
    const FieldDescriptor* field =
        current->FindFieldByName(std::string(segment));
    if (field == nullptr) {
      return SelectorError(
          context,
          absl::StrFormat("%s: unknown field \"%s\" of %s at position %d",
                          context, segment, current->full_name(),
                          segment_position),
          segment_position);
    }
    if (field->is_map()) {
      return SelectorError(
          context,
          absl::StrFormat(
              "%s: field \"%s\" of %s is a map, which filters and ordering "
              "do not support, at position %d",
              context, segment, current->full_name(), segment_position),
          segment_position);
    }
    selector.fields.push_back(field);
    selector.repeated = selector.repeated || field->is_repeated();
    current = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE
                  ? field->message_type()
                  : nullptr;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  selector.leaf_kind = ValueKindOf(selector.leaf());
  const Descriptor* leaf_type = selector.leaf().message_type();
  if (selector.leaf_kind == ValueKind::kEntityRef) {
    selector.entity_ref_name = leaf_type->FindFieldByNumber(1);
  } else if (selector.leaf_kind == ValueKind::kDate) {
    // Date's fields 1, 2, 3 are year, month, day.
    for (int i = 0; i < 3; ++i) {
      selector.date_parts[i] = leaf_type->FindFieldByNumber(i + 1);
    }
  }
  return selector;
}

}  // namespace factgraph::query
