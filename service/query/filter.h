// AIP-160 filters over any resource message, parsed against its descriptor
// and evaluated with reflection.
//
// Grammar (AIP-160 subset; keywords are upper case):
//   filter      := [expression]
//   expression  := sequence { "AND" sequence }
//   sequence    := factor { factor }          juxtaposition is AND as well
//   factor      := term { "OR" term }         OR binds tighter than AND
//   term        := [ "NOT" | "-" ] simple
//   simple      := restriction | "(" expression ")"
//   restriction := field comparator value
//   field       := identifier { "." identifier }
//   comparator  := "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"
//   value       := "..." or '...' (escapes \" \' \\ \n \t) | bare word
//
// A bare word runs to the next space, parenthesis, quote or comparator
// character; quoting only matters for strings. The value is read as the
// field's type:
//   string     any text. "=" and "!=" compare exactly, "<" ... by bytes;
//              ":" is a substring test that ignores ASCII case.
//   integer,   decimal literal, e.g. 42, -7, 1.5 (compared numerically).
//   double
//   bool       true / false; only "=", "!=", ":".
//   enum       full value name (INSTITUTION_KIND_UNIVERSITY) or the part after
//              the enum's common prefix (UNIVERSITY); only "=", "!=", ":".
//   Date       2024, 2024-11 or 2024-11-07. The field's date is compared on
//              the components the literal gives: `signed_date = 2024` holds
//              for any date in 2024, `< 2024-11` for any earlier month.
//              Components the date does not know (0) decide nothing: 2024
//              with an unknown month is `< 2025-03` but neither `=`, `<` nor
//              `>` 2024-11 (and so it is `!=` 2024-11).
//   EntityRef  a resource name, compared with the reference's `name`
//              (`parent = "institutions/ku"`); ":" is equality too.
//   message    other messages (Money, Role, ...) only support `field:*`;
//              compare their fields instead (`amount.units > 1000`).
// `field:*` tests presence: a repeated field with elements, a set message, a
// scalar that is not its default.
//
// Paths through repeated fields reach every element and a comparison holds
// when it holds for any of them (`roles.institution = "institutions/x"`).
// `a != v` is defined as `NOT a = v`: on a repeated field it holds when no
// element equals v, and it holds when the path reaches no value at all.
//
// Errors are INVALID_ARGUMENT "filter: <what> at position N", N being the
// 1-based position (in characters) where the problem is. The limits below are
// OUT_OF_RANGE errors.
#ifndef FACTGRAPH_SERVICE_QUERY_FILTER_H_
#define FACTGRAPH_SERVICE_QUERY_FILTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace factgraph::query {

// A restriction of the top-level conjunction that an index can answer: every
// resource the filter matches satisfies it.
struct IndexableTerm {
  enum class Kind {
    // `name = "x"`: at most the resource named x.
    kName,
    // `ref = "x"` or `ref:"x"` on an EntityRef field (or `ref.name = "x"`):
    // resources with a fact whose predicate is `predicate` and whose object
    // refers to x.
    kReference,
  };
  Kind kind;
  std::string
      predicate;     // Dotted path of the EntityRef field; empty for kName.
  std::string name;  // The resource name compared with.
};

struct FilterLimits {
  // Most characters (Unicode code points) in a filter.
  int max_length = 2048;
  // Deepest nesting of parentheses. The parser never recurses deeper than
  // this, so hostile input cannot exhaust the stack.
  int max_depth = 32;
  // Most restrictions (field comparator value) in a filter.
  int max_terms = 64;
};

class Filter {
 public:
  // Parses `text` for messages of type `descriptor`. An empty (or all-space)
  // filter matches everything.
  static absl::StatusOr<Filter> Parse(
      std::string_view text, const google::protobuf::Descriptor& descriptor,
      const FilterLimits& limits = FilterLimits());

  Filter(Filter&&) noexcept;
  Filter& operator=(Filter&&) noexcept;
  ~Filter();

  // True when the filter has no restriction.
  bool empty() const { return root_ == nullptr; }

  // `message` must be of the descriptor the filter was parsed for.
  bool Matches(const google::protobuf::Message& message) const;

  const std::vector<IndexableTerm>& indexable_terms() const {
    return indexable_terms_;
  }
  // True when the whole filter is its one indexable term: the resources the
  // index selects for it are exactly the matches, so they need no evaluation
  // (which, by reflection, costs more than the lookup; docs/design.md,
  // "Filters").
  bool answered_by_index() const { return answered_by_index_; }

  struct Node;

 private:
  Filter();
  std::unique_ptr<Node> root_;
  std::vector<IndexableTerm> indexable_terms_;
  bool answered_by_index_ = false;
};

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_FILTER_H_
