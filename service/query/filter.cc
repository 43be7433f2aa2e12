// Filter evaluation over protobuf reflection.
#include "service/query/filter.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "absl/strings/ascii.h"
#include "service/query/field_selector.h"
#include "service/query/filter_ast.h"
#include "service/store/field_values.h"

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
  const store::FieldValueAt at(parent, &r.selector.leaf(), index);
  switch (r.selector.kind()) {
    case ValueKind::kString: {
      std::string scratch;
      const std::string& value = at.String(&scratch);
      if (r.comparator == Comparator::kHas) {
        return ContainsIgnoringAsciiCase(value, r.string_value);
      }
      return Holds(r.comparator,
                   std::string_view(value).compare(r.string_value));
    }
    case ValueKind::kEntityRef: {
      const Message& ref = at.SubMessage();
      std::string scratch;
      const std::string& name = ref.GetReflection()->GetStringReference(
          ref, r.selector.entity_ref_name, &scratch);
      return Holds(r.comparator,
                   std::string_view(name).compare(r.string_value));
    }
    case ValueKind::kInt: {
      const int64_t value = at.Signed();
      return Holds(r.comparator,
                   r.is_integer
                       ? Compare(value, r.int_value)
                       : Compare(static_cast<double>(value), r.double_value));
    }
    case ValueKind::kUint: {
      const uint64_t value = at.Unsigned();
      if (!r.is_integer) {
        return Holds(r.comparator,
                     Compare(static_cast<double>(value), r.double_value));
      }
      if (r.int_value < 0) return Holds(r.comparator, 1);
      return Holds(r.comparator,
                   Compare(value, static_cast<uint64_t>(r.int_value)));
    }
    case ValueKind::kDouble: {
      const double value = at.Floating();
      if (value != value) return false;  // NaN compares with nothing.
      return Holds(r.comparator, Compare(value, r.double_value));
    }
    case ValueKind::kBool: {
      return at.Bool() == r.bool_value;
    }
    case ValueKind::kEnum: {
      return at.EnumNumber() == r.enum_number;
    }
    case ValueKind::kDate:
      return DateHolds(r, at.SubMessage());
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
