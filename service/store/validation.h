// The checks on single values and names that both the seeds loader and the
// compiled-snapshot loader apply. Each returns OK when the value is fine, else
// INVALID_ARGUMENT saying what is wrong with it.
#ifndef FACTGRAPH_SERVICE_STORE_VALIDATION_H_
#define FACTGRAPH_SERVICE_STORE_VALIDATION_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "factgraph/v1/common.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "service/store/collections.h"

namespace factgraph::store {

// A name must be "<collection id>/<id>" with an id of [a-z0-9-]+.
absl::Status CheckResourceName(const Collection& collection,
                               std::string_view name);

// Components in range (day valid for the month when known), precision
// consistent with the components, inference given exactly when inferred.
absl::Status CheckDate(const v1::Date& date);

// Currency code of three upper-case letters, |nanos| < 10^9 with the sign of
// units, text given.
absl::Status CheckMoney(const v1::Money& money);

// The 0-based line of a field (element `index` of a repeated field, -1 for a
// singular one) in a parse tree, or -1. The text format records only the
// first element of a list ("field: [a, b]"); later elements fall back to the
// closest earlier one that has a location.
int LocateField(const google::protobuf::TextFormat::ParseInfoTree* tree,
                const google::protobuf::FieldDescriptor* field, int index);

// Calls `visit` for every set message field below `message` (at any depth,
// parents before children) with its path ("roles[1].as_of") and its 1-based
// line in the text it was parsed from (`tree`, may be null), or `line` of
// the closest ancestor the tree knows.
using NestedMessageVisitor =
    std::function<void(const google::protobuf::Message& nested,
                       const std::string& path, int line)>;
void ForEachNestedMessage(
    const google::protobuf::Message& message,
    const google::protobuf::TextFormat::ParseInfoTree* tree, int line,
    const NestedMessageVisitor& visit);

// Mutable variant, for filling output-only fields.
void ForEachNestedMutableMessage(
    google::protobuf::Message* message,
    const std::function<void(google::protobuf::Message* nested)>& visit);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_VALIDATION_H_
