// QueryFacts: the facts of the fact view that match a pattern.
#ifndef FACTGRAPH_SERVICE_QUERY_FACTS_QUERY_H_
#define FACTGRAPH_SERVICE_QUERY_FACTS_QUERY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/cancel_check.h"
#include "service/store/snapshot.h"

namespace factgraph::query {

// Empty fields match everything; set fields must all match.
struct FactPattern {
  FactPattern() = default;
  explicit FactPattern(const v1::QueryFactsRequest& request);

  // Resource name of the subject.
  std::string subject;
  // Field path without indexes, e.g. "roles.institution".
  std::string predicate;
  // store::ObjectKey of the object: a resource name for references, else
  // the value as text (see service/store/facts.h).
  std::string object;
  // A document that cites the fact, e.g. "documents/x".
  std::string document;
  // Stop after this many facts; 0 means no limit. Negative is
  // INVALID_ARGUMENT.
  int64_t limit = 0;
  // Only facts with a stated citation (docs/provenance.md). Checked on each
  // candidate after the other fields, by materialising its citations.
  bool stated_only = false;
};

// Calls `visit` with the index of every matching fact (materialise it with
// Snapshot::GetFact), in fact order: by subject, then by path. Returns OK
// after the last match or when `limit` is reached, CANCELLED as soon as
// `visit` returns false (the caller was cancelled or its deadline passed).
//
// Cost: candidates come from the most selective of the snapshot's indexes
// for the set fields (subject, predicate, object, document; the shortest
// list), and the other fields are checked on each candidate; with no field
// set, every fact is visited.
absl::Status VisitFacts(const store::Snapshot& snapshot,
                        const FactPattern& pattern,
                        const std::function<bool(store::FactIndex)>& visit);

// The service's entry point: the indexes of the facts matching the request's
// pattern, in fact order (4 bytes a fact; the caller materialises them batch
// by batch with Snapshot::GetFact). OUT_OF_RANGE on "limit" when more than
// `max_facts` match; CANCELLED when `cancelled` (asked every 1024 matches)
// says so.
absl::StatusOr<std::vector<store::FactIndex>> MatchFacts(
    const store::Snapshot& snapshot, const v1::QueryFactsRequest& request,
    size_t max_facts, const CancelCheck& cancelled);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_FACTS_QUERY_H_
