// The parsed form of a Filter, shared by its parser and its evaluator.
#ifndef FACTGRAPH_SERVICE_QUERY_FILTER_AST_H_
#define FACTGRAPH_SERVICE_QUERY_FILTER_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "service/query/field_selector.h"
#include "service/query/filter.h"

namespace factgraph::query {

enum class Comparator { kEq, kNe, kLt, kLe, kGt, kGe, kHas };

// A date literal: `count` components (1 = year, 2 = year-month, 3 = day).
struct DateLiteral {
  int32_t parts[3] = {0, 0, 0};
  int count = 0;
};

// field comparator value, with the value already read as the field's type.
struct Restriction {
  FieldSelector selector;
  Comparator comparator = Comparator::kEq;
  // `field:*`.
  bool presence = false;
  // kString, kEntityRef. For ":" on strings: already lower-cased (ASCII).
  std::string string_value;
  // kInt, kUint, kDouble: an integer literal sets both values.
  bool is_integer = false;
  int64_t int_value = 0;
  double double_value = 0;
  // kBool.
  bool bool_value = false;
  // kEnum.
  int enum_number = 0;
  // kDate.
  DateLiteral date;
};

struct Filter::Node {
  enum class Kind { kAnd, kOr, kNot, kRestriction };
  Kind kind = Kind::kRestriction;
  std::vector<std::unique_ptr<Node>> children;  // kAnd, kOr, kNot.
  Restriction restriction;                      // kRestriction.
};

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_FILTER_AST_H_
