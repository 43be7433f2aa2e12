// AIP-132 ordering: "field [asc|desc] {, field [asc|desc]}" with dotted paths
// into singular fields, parsed against a resource descriptor.
//
// Sortable leaves: strings (by bytes), numbers, bools, enums (by number),
// Date (by year, month, day; unknown components are 0 and sort first) and
// EntityRef (by name). A value the path does not reach (an unset message on
// the way) sorts before every value, so it comes first ascending and last
// descending. Ties are broken by the resource name, ascending, so the order
// is total and pages are stable.
//
// Errors are INVALID_ARGUMENT "order_by: <what> at position N" (1-based
// character position): unknown fields, paths through repeated fields,
// messages that have no order (Money, Role, ...), syntax. Text longer than
// kMaxOrderByLength characters is OUT_OF_RANGE.
#ifndef FACTGRAPH_SERVICE_QUERY_ORDER_BY_H_
#define FACTGRAPH_SERVICE_QUERY_ORDER_BY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/query/field_selector.h"

namespace factgraph::query {

// Longest order_by, in characters: room for every sortable field of a
// resource many times over.
inline constexpr int kMaxOrderByLength = 1024;

class OrderBy {
 public:
  struct Key {
    FieldSelector selector;
    bool descending = false;
  };

  static absl::StatusOr<OrderBy> Parse(
      std::string_view text, const google::protobuf::Descriptor& descriptor);

  const std::vector<Key>& keys() const { return keys_; }

  // Sorts resources (of the parsed descriptor, each with a string field 1
  // `name`) by the keys, then by name. Extracts every key once per resource,
  // so the cost is O(n log n) comparisons of plain values.
  void Sort(std::vector<const google::protobuf::Message*>* resources) const;

  // As Sort, for the first `count` positions only: they hold what a full
  // sort would put there, the rest follow in no particular order. O(n log
  // count) comparisons, for a page at the start of a long result.
  void SortPrefix(std::vector<const google::protobuf::Message*>* resources,
                  size_t count) const;

  // The keys as "path[ desc], ...": the same for every spelling of the same
  // ordering ("a asc,b" and "a, b"), so it can name a cached order.
  std::string CanonicalText() const;

 private:
  std::vector<Key> keys_;
};

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_ORDER_BY_H_
