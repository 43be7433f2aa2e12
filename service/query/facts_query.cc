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
      limit(request.limit()),
      stated_only(request.stated_only()) {}

absl::Status VisitFacts(const store::Snapshot& snapshot,
                        const FactPattern& pattern,
                        const std::function<bool(FactIndex)>& visit) {
  if (pattern.limit < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("limit must not be negative (got %d)", pattern.limit));
  }
  // The smallest index list among the set fields; fact order throughout.
  // Every candidate of an index matches the field it was looked up by, so
  // that field is not checked again (the object key is the costly check).
  enum class Field { kNone, kSubject, kPredicate, kObject, kDocument };
  Field indexed_by = Field::kNone;
  absl::Span<const FactIndex> candidates;
  // Only set fields are looked up: each lookup hashes its key.
  using Lookup =
      absl::Span<const FactIndex> (store::Snapshot::*)(std::string_view) const;
  auto consider = [&](Field field, const std::string& key, Lookup lookup) {
    if (key.empty()) return;
    const absl::Span<const FactIndex> list = (snapshot.*lookup)(key);
    if (indexed_by == Field::kNone || list.size() < candidates.size()) {
      candidates = list;
      indexed_by = field;
    }
  };
  consider(Field::kSubject, pattern.subject, &store::Snapshot::FactsBySubject);
  consider(Field::kPredicate, pattern.predicate,
           &store::Snapshot::FactsByPredicate);
  consider(Field::kObject, pattern.object, &store::Snapshot::FactsByObject);
  consider(Field::kDocument, pattern.document,
           &store::Snapshot::FactsByDocument);
  const auto must_check = [&](Field field, const std::string& key) {
    return !key.empty() && indexed_by != field;
  };
  const bool check_subject = must_check(Field::kSubject, pattern.subject);
  const bool check_predicate = must_check(Field::kPredicate, pattern.predicate);
  const bool check_object = must_check(Field::kObject, pattern.object);
  const bool check_document = must_check(Field::kDocument, pattern.document);

  std::string object_scratch;
  v1::Fact fact_scratch;
  auto stated = [&](FactIndex fact) {
    snapshot.GetFact(fact, &fact_scratch);
    return fact_scratch.kind() == v1::CITATION_KIND_STATED;
  };
  auto matches = [&](FactIndex fact) {
    return (!check_subject || snapshot.FactSubject(fact) == pattern.subject) &&
           (!check_predicate ||
            snapshot.FactPredicate(fact) == pattern.predicate) &&
           (!check_object ||
            snapshot.FactObjectKey(fact, &object_scratch) == pattern.object) &&
           (!check_document || CitedBy(snapshot, fact, pattern.document)) &&
           (!pattern.stated_only || stated(fact));
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
  if (indexed_by != Field::kNone) {
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
