#include "service/query/list.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/query/order_by.h"
#include "service/query/paging.h"
#include "service/query/resource_name.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;

bool InCollection(const Message& resource,
                  const store::Collection& collection) {
  return resource.GetDescriptor() == collection.descriptor;
}

// The resources one indexable term allows, in name order.
std::vector<const Message*> CandidatesOf(const store::Snapshot& snapshot,
                                         const store::Collection& collection,
                                         const IndexableTerm& term) {
  std::vector<const Message*> candidates;
  if (term.kind == IndexableTerm::Kind::kName) {
    const Message* resource = snapshot.Find(term.name);
    if (resource != nullptr && InCollection(*resource, collection)) {
      candidates.push_back(resource);
    }
    return candidates;
  }
  const Message* previous = nullptr;
  for (store::FactIndex fact : snapshot.FactsByObject(term.name)) {
    if (snapshot.FactPredicate(fact) != term.predicate) continue;
    const Message* resource = &snapshot.FactResource(fact);
    // Facts are ordered by subject, so duplicates are adjacent.
    if (resource == previous || !InCollection(*resource, collection)) continue;
    candidates.push_back(resource);
    previous = resource;
  }
  return candidates;
}

// The resources the filter can match: those of its most selective indexable
// term, or the whole collection. Always in name order.
std::vector<const Message*> Candidates(const store::Snapshot& snapshot,
                                       const store::Collection& collection,
                                       const Filter& filter) {
  bool have_best = false;
  std::vector<const Message*> best;
  for (const IndexableTerm& term : filter.indexable_terms()) {
    std::vector<const Message*> candidates =
        CandidatesOf(snapshot, collection, term);
    if (!have_best || candidates.size() < best.size()) {
      best = std::move(candidates);
      have_best = true;
    }
  }
  if (have_best) return best;
  absl::Span<const Message* const> all = snapshot.Resources(collection);
  return std::vector<const Message*>(all.begin(), all.end());
}

}  // namespace

absl::StatusOr<ListResult> ListResources(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const store::Collection& collection, const ListRequest& request,
    const ListLimits& limits, const PageTokenCodec& tokens) {
  absl::StatusOr<int32_t> page_size = EffectivePageSize(
      request.page_size, limits.default_page_size, limits.max_page_size);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<Filter> filter =
      Filter::Parse(request.filter, *collection.descriptor, limits.filter);
  if (!filter.ok()) return filter.status();
  absl::StatusOr<OrderBy> order_by =
      OrderBy::Parse(request.order_by, *collection.descriptor);
  if (!order_by.ok()) return order_by.status();

  const std::string fingerprint =
      RequestFingerprint({"List", collection.id, request.filter,
                          request.order_by, absl::StrCat(request.page_size)});
  absl::StatusOr<PageStart> start = StartPage(
      holder, std::move(current), request.page_token, fingerprint, tokens);
  if (!start.ok()) return start.status();
  const store::Snapshot& snapshot = *start->snapshot;

  std::vector<const Message*> matches;
  absl::Span<const Message* const> ordered;
  if (filter->empty() && order_by->keys().empty()) {
    // The collection is already in name order: no copy, no sort.
    ordered = snapshot.Resources(collection);
  } else {
    matches = Candidates(snapshot, collection, *filter);
    // Index candidates of a filter that is only its indexable term all match.
    if (!filter->answered_by_index()) {
      matches.erase(std::remove_if(matches.begin(), matches.end(),
                                   [&](const Message* resource) {
                                     return !filter->Matches(*resource);
                                   }),
                    matches.end());
    }
    if (!order_by->keys().empty()) order_by->Sort(&matches);
    ordered = matches;
  }

  ListResult result;
  result.total_size = static_cast<int32_t>(ordered.size());
  const uint64_t begin = std::min<uint64_t>(start->offset, ordered.size());
  const uint64_t end = std::min<uint64_t>(
      begin + static_cast<uint64_t>(*page_size), ordered.size());
  result.resources.assign(ordered.begin() + begin, ordered.begin() + end);
  result.next_page_token =
      NextPageToken(tokens, snapshot, fingerprint, end, ordered.size());
  result.snapshot = std::move(start->snapshot);
  return result;
}

absl::StatusOr<const Message*> Get(const store::Snapshot& snapshot,
                                   const store::Collection& collection,
                                   std::string_view name) {
  absl::Status valid = ValidateResourceName(collection, name, "name");
  if (!valid.ok()) return valid;
  const Message* resource = snapshot.Find(name);
  if (resource == nullptr || !InCollection(*resource, collection)) {
    return absl::NotFoundError(absl::StrFormat("%s not found", name));
  }
  return resource;
}

absl::StatusOr<std::vector<const Message*>> BatchGet(
    const store::Snapshot& snapshot, const store::Collection& collection,
    absl::Span<const std::string> names, int max_names) {
  if (names.size() > static_cast<size_t>(std::max(max_names, 0))) {
    return absl::OutOfRangeError(absl::StrFormat(
        "names: %d names, more than the limit of %d", names.size(), max_names));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    absl::Status valid = ValidateResourceName(collection, names[i],
                                              absl::StrFormat("names[%d]", i));
    if (!valid.ok()) return valid;
  }
  std::vector<const Message*> resources;
  resources.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    const Message* resource = snapshot.Find(names[i]);
    if (resource == nullptr || !InCollection(*resource, collection)) {
      return absl::NotFoundError(
          absl::StrFormat("names[%d]: %s not found", i, names[i]));
    }
    resources.push_back(resource);
  }
  return resources;
}

}  // namespace factgraph::query
