// The fact view, generic over descriptors: every set field of every resource
// is a factgraph.v1.Fact. Scalar leaves of nested messages are facts of their
// own ("roles[1].title"), except the shared value types Date, Money and
// EntityRef, which are one fact each. `name` and `citations` are not facts,
// nor are output-only fields the loader derives (Document.content).
#ifndef FACTGRAPH_SERVICE_STORE_FACTS_H_
#define FACTGRAPH_SERVICE_STORE_FACTS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "factgraph/v1/common.pb.h"
#include "factgraph/v1/fact.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/store/fact_path.h"

namespace factgraph::store {

// Date, Money or EntityRef: values that are one fact, not a subtree.
bool IsValueMessage(const google::protobuf::Descriptor* descriptor);

// Fields of a resource that are not facts: name, citations, Document.content.
bool IsExcludedFromFacts(const google::protobuf::FieldDescriptor* field);

// Calls `visit` with the path of every fact of `resource`, in field
// declaration order and element order. The span is only valid during the
// call.
void ForEachFactPath(
    const google::protobuf::Message& resource,
    const std::function<void(absl::Span<const PathStep>)>& visit);

// The message holding the leaf of a fact path (the resource itself for a
// top-level field).
const google::protobuf::Message& LeafParentAt(
    const google::protobuf::Message& resource, absl::Span<const PathStep> path);

// The citations of a resource, in order; none if it has no `citations`.
std::vector<const v1::Citation*> CitationsOf(
    const google::protobuf::Message& resource);

// The value at a fact path (as produced by ForEachFactPath).
v1::FactValue FactValueAt(const google::protobuf::Message& resource,
                          absl::Span<const PathStep> path);

// Sets `value` to the value of the fact whose leaf field is `leaf` in
// `parent` (the message that holds it; `reflection` is parent's). Assigns
// into value's existing storage, so a reused FactValue of the same kind
// allocates nothing.
void SetLeafValue(const google::protobuf::Message& parent,
                  const google::protobuf::Reflection& reflection,
                  const PathStep& leaf, v1::FactValue* value);

// The citations of `resource` whose field paths cover `fact_path`, in the
// resource's order.
std::vector<const v1::Citation*> CoveringCitations(
    const google::protobuf::Message& resource, std::string_view fact_path);

// The complete facts of a resource, in ForEachFactPath order.
std::vector<v1::Fact> FactsOf(const google::protobuf::Message& resource);

// How FactValueText spells the kinds of value whose text depends on its
// reader (the index's keys, the CLI's tables); a string, an enum value, an
// integer and a boolean read the same for all.
struct FactValueSpelling {
  std::string (*number)(double);
  std::string (*date)(const v1::Date&);
  std::string (*money)(const v1::Money&);
  std::string (*entity)(const v1::EntityRef&);
};

// The text of `value` spelled so; empty for a value of no kind.
std::string FactValueText(const v1::FactValue& value,
                          const FactValueSpelling& spelling);

// The key a fact's object is indexed under:
//   entity_value  -> the target's resource name
//   string_value  -> the string
//   enum_value    -> the enum value name
//   int_value     -> decimal, e.g. "-12"
//   double_value  -> shortest text that reads back to the same double
//                    ("1200", "0.25", "1e+21")
//   bool_value    -> "true" / "false"
//   date_value    -> ISO 8601 style by what is known: "2025", "2025-07",
//                    "2025-07-18"; with the year unknown "--07" (month),
//                    "--07-18"; with year and month unknown "---18"; with
//                    only the month unknown "2025--18"
//   money_value   -> "<currency> <units>[.<nanos without trailing zeros>]",
//                    e.g. "KRW 15100000000", "USD 1.5", "USD -0.25"
std::string ObjectKey(const v1::FactValue& value);
std::string DateKey(const v1::Date& date);
std::string MoneyKey(const v1::Money& money);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_FACTS_H_
