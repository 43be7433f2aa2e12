#include "service/query/facts_query.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "service/query/error_details.h"
#include "service/query/field_selector.h"
#include "service/query/resource_name.h"
#include "service/query/text_position.h"

namespace factgraph::query {
namespace {

using store::FactIndex;

bool CitedBy(const store::Snapshot& snapshot, FactIndex fact,
             std::string_view document) {
  const absl::Span<const FactIndex> cited = snapshot.FactsByDocument(document);
  return std::binary_search(cited.begin(), cited.end(), fact);
}

// A predicate is a field path of a resource (of the subject's type when a
// subject is given): anything else could match no fact, and "0 facts" would
// hide the typo.
absl::Status ValidatePredicate(std::string_view predicate,
                               std::string_view subject) {
  const store::Collection* subject_collection =
      subject.empty() ? nullptr : store::CollectionOfName(subject);
  if (subject_collection != nullptr) {
    absl::StatusOr<FieldSelector> selector = ResolveFieldSelector(
        *subject_collection->descriptor, predicate, "predicate", 1);
    return selector.status();
  }
  std::vector<std::string> types;
  for (const store::Collection& collection : store::AllCollections()) {
    if (ResolveFieldSelector(*collection.descriptor, predicate, "predicate", 1)
            .ok()) {
      return absl::OkStatus();
    }
    types.push_back(collection.descriptor->name());
  }
  return FieldError(
      absl::StatusCode::kInvalidArgument, "predicate", v1::INVALID_PREDICATE,
      absl::StrFormat("predicate: \"%s\" is not a field path of any resource "
                      "(%s), e.g. \"display_name\" or \"roles.institution\"",
                      PrintableText(predicate), absl::StrJoin(types, ", ")),
      1);
}

// Names and predicates are checked as strictly as Get and List check theirs.
absl::Status ValidatePattern(const FactPattern& pattern) {
  if (pattern.limit < 0) {
    return FieldError(
        absl::StatusCode::kInvalidArgument, "limit", v1::INVALID_ARGUMENT,
        absl::StrFormat("limit must not be negative (got %d)", pattern.limit));
  }
  if (!pattern.subject.empty()) {
    absl::Status valid = ValidateAnyResourceName(pattern.subject, "subject");
    if (!valid.ok()) return valid;
  }
  if (!pattern.document.empty()) {
    absl::Status valid = ValidateResourceName(
        *store::CollectionById("documents"), pattern.document, "document");
    if (!valid.ok()) return valid;
  }
  if (!pattern.predicate.empty()) {
    return ValidatePredicate(pattern.predicate, pattern.subject);
  }
  return absl::OkStatus();
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
  absl::Status valid = ValidatePattern(pattern);
  if (!valid.ok()) return valid;
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
      if (!offer(fact))
        return WithReason(absl::CancelledError("QueryFacts cancelled"),
                          v1::CANCELLED);
    }
  } else {
    const size_t count = snapshot.fact_count();
    for (size_t i = 0; i < count; ++i) {
      if (limit_reached()) break;
      if (!offer(static_cast<FactIndex>(i))) {
        return WithReason(absl::CancelledError("QueryFacts cancelled"),
                          v1::CANCELLED);
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<store::FactIndex>> MatchFacts(
    const store::Snapshot& snapshot, const v1::QueryFactsRequest& request,
    size_t max_facts, const CancelCheck& cancelled) {
  std::vector<store::FactIndex> matches;
  bool over_limit = false;
  absl::Status status =
      VisitFacts(snapshot, FactPattern(request), [&](store::FactIndex fact) {
        if (matches.size() == max_facts) {
          over_limit = true;
          return false;
        }
        matches.push_back(fact);
        return (matches.size() & 1023) != 0 || !cancelled || !cancelled();
      });
  if (over_limit) {
    return FieldError(absl::StatusCode::kOutOfRange, "limit",
                      v1::LIMIT_EXCEEDED,
                      absl::StrFormat("the pattern matches more than %d facts; "
                                      "narrow it or set limit",
                                      max_facts));
  }
  if (!status.ok()) return status;
  return matches;
}

}  // namespace factgraph::query
