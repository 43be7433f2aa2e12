// Dotted field paths of filters and order_by ("roles.institution",
// "signed_date.year"), resolved against a message descriptor and walked over
// messages with reflection. Paths name fields only, never indexes: a path
// through a repeated field reaches every element.
#ifndef FACTGRAPH_SERVICE_QUERY_FIELD_SELECTOR_H_
#define FACTGRAPH_SERVICE_QUERY_FIELD_SELECTOR_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace factgraph::query {

// How a field's values compare.
enum class ValueKind {
  kString,
  kInt,     // Signed integers of any width.
  kUint,    // Unsigned integers of any width.
  kDouble,  // double and float.
  kBool,
  kEnum,
  kDate,       // factgraph.v1.Date, compared by (year, month, day).
  kEntityRef,  // factgraph.v1.EntityRef, compared by its `name`.
  kMessage,    // Any other message: only presence can be tested.
};

ValueKind ValueKindOf(const google::protobuf::FieldDescriptor& field);
// "a string", "an integer", ... for error messages.
std::string_view ValueKindNoun(ValueKind kind);

struct FieldSelector {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  std::string text;  // "roles.institution"
  // True when some field of the path (the leaf included) is repeated.
  bool repeated = false;
  // What follows is resolved once by ResolveFieldSelector, because filters
  // and ordering ask for it on every value they visit, and asking a
  // descriptor (ValueKindOf, FindFieldByNumber) costs more than the
  // comparison itself (docs/design.md, "Principles").
  ValueKind leaf_kind = ValueKind::kMessage;
  // kEntityRef: the reference's `name` field.
  const google::protobuf::FieldDescriptor* entity_ref_name = nullptr;
  // kDate: the year, month and day fields.
  std::array<const google::protobuf::FieldDescriptor*, 3> date_parts = {};

  const google::protobuf::FieldDescriptor& leaf() const {
    return *fields.back();
  }
  ValueKind kind() const { return leaf_kind; }
};

// Resolves `path` (identifiers joined by '.') against `descriptor`. Errors are
// INVALID_ARGUMENT "<context>: unknown field "x" of factgraph.v1.T at
// position N", where N is `position` (1-based, of the path's first character)
// plus the offset of the failing segment.
absl::StatusOr<FieldSelector> ResolveFieldSelector(
    const google::protobuf::Descriptor& descriptor, std::string_view path,
    std::string_view context, int position);

// Calls visit(parent, index) for every value the selector reaches in
// `message`: index is the element of a repeated leaf, or -1 for a singular
// leaf. Unset singular message fields (on the way or as the leaf) reach
// nothing; singular scalar leaves are always reached (proto3 defaults).
// Stops and returns true as soon as visit returns true.
template <typename Visit>
bool AnyValue(const google::protobuf::Message& message,
              const google::protobuf::FieldDescriptor* const* field,
              const google::protobuf::FieldDescriptor* const* end,
              const Visit& visit) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  const google::protobuf::FieldDescriptor* f = *field;
  const bool is_leaf = field + 1 == end;
  if (f->is_repeated()) {
    const int size = reflection.FieldSize(message, f);
    for (int i = 0; i < size; ++i) {
      if (is_leaf) {
        if (visit(message, i)) return true;
      } else if (AnyValue(reflection.GetRepeatedMessage(message, f, i),
                          field + 1, end, visit)) {
        return true;
      }
    }
    return false;
  }
  if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
      !reflection.HasField(message, f)) {
    return false;
  }
  if (is_leaf) return visit(message, -1);
  return AnyValue(reflection.GetMessage(message, f), field + 1, end, visit);
}

template <typename Visit>
bool AnyValue(const google::protobuf::Message& message,
              const FieldSelector& selector, const Visit& visit) {
  return AnyValue(message, selector.fields.data(),
                  selector.fields.data() + selector.fields.size(), visit);
}

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_FIELD_SELECTOR_H_
