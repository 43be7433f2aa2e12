// Reading one value of a field through protobuf reflection, the same way for
// a singular field and for one element of a repeated field: the store's fact
// values, the query layer's filters and sort keys and the CLI's rendering all
// read fields so. Each numeric reader covers both C++ types of its kind,
// widened, because every caller compares or prints them widened.
#ifndef FACTGRAPH_SERVICE_STORE_FIELD_VALUES_H_
#define FACTGRAPH_SERVICE_STORE_FIELD_VALUES_H_

#include <cstdint>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace factgraph::store {

// Where a value is: field `field` of `parent`, read with `reflection`
// (parent's own, passed in by callers that hold it already); element `index`
// of a repeated field, or the singular value when `index` < 0.
struct FieldValueAt {
  using FieldDescriptor = google::protobuf::FieldDescriptor;
  using Message = google::protobuf::Message;
  using Reflection = google::protobuf::Reflection;

  const Message& parent;
  const Reflection& reflection;
  const FieldDescriptor* field;
  int index;

  FieldValueAt(const Message& parent, const Reflection& reflection,
               const FieldDescriptor* field, int index)
      : parent(parent), reflection(reflection), field(field), index(index) {}
  FieldValueAt(const Message& parent, const FieldDescriptor* field, int index)
      : FieldValueAt(parent, *parent.GetReflection(), field, index) {}

  bool repeated() const { return index >= 0; }

  // CPPTYPE_INT32 or CPPTYPE_INT64.
  int64_t Signed() const {
    return field->cpp_type() == FieldDescriptor::CPPTYPE_INT32
               ? Get(&Reflection::GetInt32, &Reflection::GetRepeatedInt32)
               : Get(&Reflection::GetInt64, &Reflection::GetRepeatedInt64);
  }

  // CPPTYPE_UINT32 or CPPTYPE_UINT64.
  uint64_t Unsigned() const {
    return field->cpp_type() == FieldDescriptor::CPPTYPE_UINT32
               ? Get(&Reflection::GetUInt32, &Reflection::GetRepeatedUInt32)
               : Get(&Reflection::GetUInt64, &Reflection::GetRepeatedUInt64);
  }

  // CPPTYPE_DOUBLE or CPPTYPE_FLOAT.
  double Floating() const {
    return field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT
               ? Get(&Reflection::GetFloat, &Reflection::GetRepeatedFloat)
               : Get(&Reflection::GetDouble, &Reflection::GetRepeatedDouble);
  }

  bool Bool() const {
    return Get(&Reflection::GetBool, &Reflection::GetRepeatedBool);
  }

  const google::protobuf::EnumValueDescriptor* Enum() const {
    return Get(&Reflection::GetEnum, &Reflection::GetRepeatedEnum);
  }

  // The number, known to the enum type or not.
  int EnumNumber() const {
    return Get(&Reflection::GetEnumValue, &Reflection::GetRepeatedEnumValue);
  }

  // The string itself where reflection can return a reference to it, else
  // `scratch` holding a copy.
  const std::string& String(std::string* scratch) const {
    return repeated() ? reflection.GetRepeatedStringReference(parent, field,
                                                              index, scratch)
                      : reflection.GetStringReference(parent, field, scratch);
  }

  const Message& SubMessage() const {
    return repeated() ? reflection.GetRepeatedMessage(parent, field, index)
                      : reflection.GetMessage(parent, field);
  }

  // Calls `visitor` with the value, by the field's C++ type: a
  // `const std::string&` (the string itself, or `scratch` holding a copy),
  // int64_t, uint64_t, double, bool, a `const EnumValueDescriptor*` or a
  // `const Message&`; returns what it returns. The one place that dispatches
  // on the C++ type of a value.
  template <typename Visitor>
  auto Visit(std::string* scratch, Visitor&& visitor) const {
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return visitor(String(scratch));
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64:
        return visitor(Signed());
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64:
        return visitor(Unsigned());
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT:
        return visitor(Floating());
      case FieldDescriptor::CPPTYPE_BOOL:
        return visitor(Bool());
      case FieldDescriptor::CPPTYPE_ENUM:
        return visitor(Enum());
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
    return visitor(SubMessage());
  }

 private:
  // The value read with reflection's getter for a singular field or for an
  // element of a repeated one.
  template <typename T>
  T Get(T (Reflection::*get)(const Message&, const FieldDescriptor*) const,
        T (Reflection::*get_element)(const Message&, const FieldDescriptor*,
                                     int) const) const {
    return repeated() ? (reflection.*get_element)(parent, field, index)
                      : (reflection.*get)(parent, field);
  }
};

// A visitor made of lambdas, one for each type of value:
// `at.Visit(&scratch, Overloaded{[](int64_t n) {...}, [](double d) {...}})`.
template <typename... Lambdas>
struct Overloaded : Lambdas... {
  using Lambdas::operator()...;
};
template <typename... Lambdas>
Overloaded(Lambdas...) -> Overloaded<Lambdas...>;

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_FIELD_VALUES_H_
