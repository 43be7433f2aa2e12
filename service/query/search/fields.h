// Which texts of a resource search reads, and how much each counts
// (docs/search.md, "Fields"). Generic over resource messages: every string
// field at any depth is a text, classified by where it is, so a new resource
// type or field is searched without code changes; enum values and the
// resource's type and collection are texts too ("cooperation agreement",
// "agreements").
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_FIELDS_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_FIELDS_H_

#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "google/protobuf/message.h"
#include "service/store/snapshot.h"

namespace factgraph::query::search {

// Ordered by weight, highest first.
enum class FieldClass : uint8_t {
  kName,         // The resource's display_name.
  kAlias,        // Its aliases.
  kReference,    // display_name of an EntityRef: whom or what it involves.
  kAttribute,    // Any other text: topics, goals, titles, scope areas...
  kDescription,  // Its description.
  kKind,         // Type, collection and enum values.
  kDateMoney,    // The text of a Date or Money, period texts.
  kQuote,        // Citation quotes.
  kContent,      // A document's full text.
};
inline constexpr int kFieldClassCount = 9;

// The BM25F weight of a field class, and its length normalization (b).
double FieldWeight(FieldClass field_class);
double LengthNormalization(FieldClass field_class);
// Short id, e.g. "name", "reference", "quote".
std::string_view FieldClassId(FieldClass field_class);

// Calls visit(path, class, text) for every text of `resource`, in field
// declaration order. `path` is relative to the resource as in
// Citation.field_paths ("roles[2].title"), "@type" for the type name and
// "@collection" for the collection id. With a snapshot, a reference's
// target's aliases are texts of the reference too ("parties[0].@aliases[1]"),
// so that an agreement is found by "NCC" or "카이스트" as well as by its
// parties' display names.
void ForEachText(const google::protobuf::Message& resource,
                 const store::Snapshot* snapshot,
                 absl::FunctionRef<void(std::string_view path, FieldClass,
                                        std::string_view text)>
                     visit);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_FIELDS_H_
