// Filter evaluation over protobuf reflection.
#include "service/query/filter.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "absl/strings/ascii.h"
#include "service/query/field_selector.h"
#include "service/query/filter_ast.h"

namespace factgraph::query {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using Node = Filter::Node;

// Three-way comparison result of field value against literal.
template <typename T>
int Compare(const T& value, const T& literal) {
  return value < literal ? -1 : (literal < value ? 1 : 0);
}

// `:` and `!=` are evaluated as `=` (`!=` is negated by the caller).
bool Holds(Comparator comparator, int order) {
  switch (comparator) {
    case Comparator::kEq:
    case Comparator::kNe:
    case Comparator::kHas:
      return order == 0;
    case Comparator::kLt:
      return order < 0;
    case Comparator::kLe:
      return order <= 0;
    case Comparator::kGt:
      return order > 0;
    case Comparator::kGe:
      return order >= 0;
  }
  return false;
}

bool ContainsIgnoringAsciiCase(std::string_view text,
                               std::string_view lower_needle) {
  return std::search(
             text.begin(), text.end(), lower_needle.begin(), lower_needle.end(),
             [](char a, char b) {
               return absl::ascii_tolower(static_cast<unsigned char>(a)) == b;
             }) != text.end();
}

// The string at (parent, field, index); `scratch` may hold it.
const std::string& StringAt(const Message& parent, const FieldDescriptor* field,
                            int index, std::string* scratch) {
  const Reflection& reflection = *parent.GetReflection();
  return index < 0 ? reflection.GetStringReference(parent, field, scratch)
                   : reflection.GetRepeatedStringReference(parent, field, index,
                                                           scratch);
}

const Message& MessageAt(const Message& parent, const FieldDescriptor* field,
                         int index) {
  const Reflection& reflection = *parent.GetReflection();
  return index < 0 ? reflection.GetMessage(parent, field)
                   : reflection.GetRepeatedMessage(parent, field, index);
}

int64_t IntAt(const Message& parent, const FieldDescriptor* field, int index) {
  const Reflection& r = *parent.GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
    return index < 0 ? r.GetInt32(parent, field)
                     : r.GetRepeatedInt32(parent, field, index);
  }
  return index < 0 ? r.GetInt64(parent, field)
                   : r.GetRepeatedInt64(parent, field, index);
}

uint64_t UintAt(const Message& parent, const FieldDescriptor* field,
                int index) {
  const Reflection& r = *parent.GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_UINT32) {
    return index < 0 ? r.GetUInt32(parent, field)
                     : r.GetRepeatedUInt32(parent, field, index);
  }
  return index < 0 ? r.GetUInt64(parent, field)
                   : r.GetRepeatedUInt64(parent, field, index);
}

double DoubleAt(const Message& parent, const FieldDescriptor* field,
                int index) {
  const Reflection& r = *parent.GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
    return index < 0 ? r.GetFloat(parent, field)
                     : r.GetRepeatedFloat(parent, field, index);
  }
  return index < 0 ? r.GetDouble(parent, field)
                   : r.GetRepeatedDouble(parent, field, index);
}

bool IsPresent(const Message& parent, const FieldDescriptor* field, int index) {
  // Repeated elements and (visited) singular messages are present by being
  // reached; a singular scalar is present when it is not its default.
  return index >= 0 || field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ||
         parent.GetReflection()->HasField(parent, field);
}

bool DateHolds(const Restriction& r, const Message& date) {
  const Reflection& reflection = *date.GetReflection();
  int order = 0;
  for (int i = 0; i < r.date.count; ++i) {
    const int32_t component =
        reflection.GetInt32(date, r.selector.date_parts[i]);
    if (component == 0) return false;
    order = Compare(component, r.date.parts[i]);
    if (order != 0) break;
  }
  return Holds(r.comparator, order);
}

bool ValueHolds(const Restriction& r, const Message& parent, int index) {
  const FieldDescriptor* field = &r.selector.leaf();
  switch (r.selector.kind()) {
    case ValueKind::kString: {
      std::string scratch;
      const std::string& value = StringAt(parent, field, index, &scratch);
      if (r.comparator == Comparator::kHas) {
        return ContainsIgnoringAsciiCase(value, r.string_value);
      }
      return Holds(r.comparator,
                   std::string_view(value).compare(r.string_value));
    }
    case ValueKind::kEntityRef: {
      const Message& ref = MessageAt(parent, field, index);
      std::string scratch;
      const std::string& name = ref.GetReflection()->GetStringReference(
          ref, r.selector.entity_ref_name, &scratch);
      return Holds(r.comparator,
                   std::string_view(name).compare(r.string_value));
    }
    case ValueKind::kInt: {
      const int64_t value = IntAt(parent, field, index);
      return Holds(r.comparator,
                   r.is_integer
                       ? Compare(value, r.int_value)
                       : Compare(static_cast<double>(value), r.double_value));
    }
    case ValueKind::kUint: {
      const uint64_t value = UintAt(parent, field, index);
      if (!r.is_integer) {
        return Holds(r.comparator,
                     Compare(static_cast<double>(value), r.double_value));
      }
      if (r.int_value < 0) return Holds(r.comparator, 1);
      return Holds(r.comparator,
                   Compare(value, static_cast<uint64_t>(r.int_value)));
    }
    case ValueKind::kDouble: {
      const double value = DoubleAt(parent, field, index);
      if (value != value) return false;  // NaN compares with nothing.
      return Holds(r.comparator, Compare(value, r.double_value));
    }
    case ValueKind::kBool: {
      const Reflection& reflection = *parent.GetReflection();
      const bool value = index < 0
                             ? reflection.GetBool(parent, field)
                             : reflection.GetRepeatedBool(parent, field, index);
      return value == r.bool_value;
    }
    case ValueKind::kEnum: {
      const Reflection& reflection = *parent.GetReflection();
      const int value =
          index < 0 ? reflection.GetEnumValue(parent, field)
                    : reflection.GetRepeatedEnumValue(parent, field, index);
      return value == r.enum_number;
    }
    case ValueKind::kDate:
      return DateHolds(r, MessageAt(parent, field, index));
    case ValueKind::kMessage:
      return false;  // The parser only admits `:*` on other messages.
  }
  return false;
}

bool RestrictionHolds(const Restriction& r, const Message& message) {
  if (r.presence) {
    return AnyValue(message, r.selector, [&](const Message& parent, int index) {
      return IsPresent(parent, &r.selector.leaf(), index);
    });
  }
  const bool any =
      AnyValue(message, r.selector, [&](const Message& parent, int index) {
        return ValueHolds(r, parent, index);
      });
  return r.comparator == Comparator::kNe ? !any : any;
}

bool Evaluate(const Node& node, const Message& message) {
  switch (node.kind) {
    case Node::Kind::kAnd:
      for (const auto& child : node.children) {
        if (!Evaluate(*child, message)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (const auto& child : node.children) {
        if (Evaluate(*child, message)) return true;
      }
      return false;
    case Node::Kind::kNot:
      return !Evaluate(*node.children.front(), message);
    case Node::Kind::kRestriction:
      return RestrictionHolds(node.restriction, message);
  }
  return false;
}

}  // namespace

Filter::Filter() = default;
Filter::Filter(Filter&&) noexcept = default;
Filter& Filter::operator=(Filter&&) noexcept = default;
Filter::~Filter() = default;

bool Filter::Matches(const Message& message) const {
  return root_ == nullptr || Evaluate(*root_, message);
}

}  // namespace factgraph::query
