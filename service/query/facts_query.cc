#include "service/query/facts_query.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/types/span.h"

namespace factgraph::query {
namespace {

using store::FactIndex;

bool CitedBy(const store::Snapshot& snapshot, FactIndex fact,
             std::string_view document) {
  const absl::Span<const FactIndex> cited = snapshot.FactsByDocument(document);
  return std::binary_search(cited.begin(), cited.end(), fact);
}

}  // namespace

FactPattern::FactPattern(const v1::QueryFactsRequest& request)
    : subject(request.subject()),
      predicate(request.predicate()),
      object(request.object()),
      document(request.document()),
      limit(request.limit()) {}

absl::Status VisitFacts(const store::Snapshot& snapshot,
                        const FactPattern& pattern,
                        const std::function<bool(FactIndex)>& visit) {
  if (pattern.limit < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("limit must not be negative (got %d)", pattern.limit));
  }
  // The smallest index list among the set fields; fact order throughout.
  bool indexed = false;
  absl::Span<const FactIndex> candidates;
  auto consider = [&](const std::string& key,
                      absl::Span<const FactIndex> list) {
    if (key.empty()) return;
    if (!indexed || list.size() < candidates.size()) candidates = list;
    indexed = true;
  };
  consider(pattern.subject, snapshot.FactsBySubject(pattern.subject));
  consider(pattern.predicate, snapshot.FactsByPredicate(pattern.predicate));
  consider(pattern.object, snapshot.FactsByObject(pattern.object));
  consider(pattern.document, snapshot.FactsByDocument(pattern.document));

  auto matches = [&](FactIndex fact) {
    return (pattern.subject.empty() ||
            snapshot.FactSubject(fact) == pattern.subject) &&
           (pattern.predicate.empty() ||
            snapshot.FactPredicate(fact) == pattern.predicate) &&
           (pattern.object.empty() ||
            snapshot.FactObjectKey(fact) == pattern.object) &&
           (pattern.document.empty() ||
            CitedBy(snapshot, fact, pattern.document));
  };
  int64_t visited = 0;
  auto offer = [&](FactIndex fact) {
    if (!matches(fact)) return true;
    if (!visit(fact)) return false;
    ++visited;
    return true;
  };
  const auto limit_reached = [&] {
    return pattern.limit > 0 && visited >= pattern.limit;
  };
  if (indexed) {
    for (FactIndex fact : candidates) {
      if (limit_reached()) break;
      if (!offer(fact)) return absl::CancelledError("QueryFacts cancelled");
    }
  } else {
    const size_t count = snapshot.fact_count();
    for (size_t i = 0; i < count; ++i) {
      if (limit_reached()) break;
      if (!offer(static_cast<FactIndex>(i))) {
        return absl::CancelledError("QueryFacts cancelled");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace factgraph::query
