#include "service/query/list.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/query/error_details.h"
#include "service/query/order_by.h"
#include "service/query/paging.h"
#include "service/query/resource_name.h"
#include "service/query/snapshot_memo.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;

bool InCollection(const Message& resource,
                  const store::Collection& collection) {
  return resource.GetDescriptor() == collection.descriptor;
}

using Ordering = ListMemos::Ordering;
using ReferrersByName = ListMemos::ReferrersByName;

// "<collection>\n<what>": names a memo of one collection.
std::string MemoKey(std::string_view collection_id, std::string_view what) {
  std::string key(collection_id);
  key += '\n';
  key.append(what);
  return key;
}

ReferrersByName BuildReferrers(const store::Snapshot& snapshot,
                               const store::Collection& collection,
                               std::string_view predicate) {
  ReferrersByName referrers;
  for (store::FactIndex fact : snapshot.FactsByPredicate(predicate)) {
    const Message* resource = &snapshot.FactResource(fact);
    if (!InCollection(*resource, collection)) continue;
    std::vector<const Message*>& list = referrers[snapshot.FactObjectKey(fact)];
    // Facts are ordered by subject, so a resource's repeats are adjacent.
    if (list.empty() || list.back() != resource) list.push_back(resource);
  }
  return referrers;
}

// The resources one indexable term allows, in name order. A reference term
// reads a per-snapshot index from (collection, predicate, name) to the
// resources, built on its first use: walking the facts whose object is the
// name, at scattered addresses, grows with the knowledge base
// (docs/design.md, "Filters").
std::vector<const Message*> CandidatesOf(
    const std::shared_ptr<const store::Snapshot>& snapshot,
    const store::Collection& collection, const IndexableTerm& term,
    ListMemos* memos) {
  std::vector<const Message*> candidates;
  if (term.kind == IndexableTerm::Kind::kName) {
    const Message* resource = snapshot->Find(term.name);
    if (resource != nullptr && InCollection(*resource, collection)) {
      candidates.push_back(resource);
    }
    return candidates;
  }
  const std::shared_ptr<const ReferrersByName> referrers =
      memos->reference_indexes().Get(
          snapshot, MemoKey(collection.id, term.predicate),
          [&](const store::Snapshot& s) {
            return BuildReferrers(s, collection, term.predicate);
          });
  const auto it = referrers->find(term.name);
  if (it != referrers->end()) candidates = it->second;
  return candidates;
}

// The resources the filter can match: those of its most selective indexable
// term, or the whole collection. Always in name order.
std::vector<const Message*> Candidates(
    const std::shared_ptr<const store::Snapshot>& snapshot,
    const store::Collection& collection, const Filter& filter,
    ListMemos* memos) {
  bool have_best = false;
  std::vector<const Message*> best;
  for (const IndexableTerm& term : filter.indexable_terms()) {
    std::vector<const Message*> candidates =
        CandidatesOf(snapshot, collection, term, memos);
    if (!have_best || candidates.size() < best.size()) {
      best = std::move(candidates);
      have_best = true;
    }
  }
  if (have_best) return best;
  const store::Snapshot::ResourceRange all = snapshot->Resources(collection);
  return std::vector<const Message*>(all.begin(), all.end());
}

}  // namespace

absl::StatusOr<ListResult> ListPage(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const store::Collection& collection, const ListRequest& request,
    const ListLimits& limits, const PageTokenCodec& tokens, ListMemos* memos) {
  absl::StatusOr<int32_t> page_size = EffectivePageSize(
      request.page_size, limits.default_page_size, limits.max_page_size);
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<Filter> filter =
      Filter::Parse(request.filter, *collection.descriptor, limits.filter);
  if (!filter.ok()) return filter.status();
  absl::StatusOr<OrderBy> order_by =
      OrderBy::Parse(request.order_by, *collection.descriptor);
  if (!order_by.ok()) return order_by.status();

  // page_size is not part of it: it may change between pages (AIP-158), the
  // token holding the offset of the next result.
  const std::string fingerprint = RequestFingerprint(
      {"List", collection.id, request.filter, request.order_by});
  absl::StatusOr<PageStart> start = StartPage(
      holder, std::move(current), request.page_token, fingerprint, tokens);
  if (!start.ok()) return start.status();
  const store::Snapshot& snapshot = *start->snapshot;

  std::vector<const Message*> matches;
  // Holds the ordering `ordered` views, when it comes from the cache.
  std::shared_ptr<const Ordering> cached_order;
  absl::Span<const Message* const> ordered;
  // The collection itself when it is already in the order asked for (name
  // order): no copy, no sort, and only the page's resources are read.
  std::optional<store::Snapshot::ResourceRange> in_name_order;
  if (filter->empty()) {
    if (order_by->keys().empty()) {
      in_name_order = snapshot.Resources(collection);
    } else {
      // Sorted once per snapshot, then every page is a slice of it.
      cached_order = memos->sorted_collections().Get(
          start->snapshot, MemoKey(collection.id, order_by->CanonicalText()),
          [&](const store::Snapshot& s) {
            const store::Snapshot::ResourceRange all = s.Resources(collection);
            Ordering ordering(all.begin(), all.end());
            order_by->Sort(&ordering);
            return ordering;
          });
      ordered = *cached_order;
    }
  } else {
    matches = Candidates(start->snapshot, collection, *filter, memos);
    // Index candidates of a filter that is only its indexable term all match.
    if (!filter->answered_by_index()) {
      matches.erase(std::remove_if(matches.begin(), matches.end(),
                                   [&](const Message* resource) {
                                     return !filter->Matches(*resource);
                                   }),
                    matches.end());
    }
    // Only the pages up to this one need to be in order.
    if (!order_by->keys().empty()) {
      order_by->SortPrefix(&matches,
                           std::min<uint64_t>(start->offset, matches.size()) +
                               static_cast<uint64_t>(*page_size));
    }
    ordered = matches;
  }

  ListResult result;
  const size_t total =
      in_name_order.has_value() ? in_name_order->size() : ordered.size();
  result.total_size = static_cast<int32_t>(total);
  const uint64_t begin = std::min<uint64_t>(start->offset, total);
  const uint64_t end =
      std::min<uint64_t>(begin + static_cast<uint64_t>(*page_size), total);
  if (in_name_order.has_value()) {
    result.resources.assign(in_name_order->begin() + begin,
                            in_name_order->begin() + end);
  } else {
    result.resources.assign(ordered.begin() + begin, ordered.begin() + end);
  }
  result.next_page_token =
      NextPageToken(tokens, snapshot, fingerprint, end, total);
  result.snapshot = std::move(start->snapshot);
  return result;
}

absl::StatusOr<const Message*> Get(const store::Snapshot& snapshot,
                                   const store::Collection& collection,
                                   std::string_view name) {
  absl::Status valid = ValidateResourceName(collection, name, "name");
  if (!valid.ok()) return valid;
  // The collection from the resource's position, not from the message: at
  // a million resources the message is one more cache miss (docs/design.md,
  // "Known limits").
  const std::optional<size_t> position = snapshot.ResourceIndex(name);
  if (!position.has_value() ||
      snapshot.CollectionAt(*position).descriptor != collection.descriptor) {
    return ResourceNotFound(ResourceTypeOf(*collection.descriptor), name,
                            absl::StrFormat("%s not found", name));
  }
  return &snapshot.ResourceAt(*position);
}

absl::StatusOr<std::vector<const Message*>> BatchGet(
    const store::Snapshot& snapshot, const store::Collection& collection,
    absl::Span<const std::string> names, int max_names) {
  if (names.size() > static_cast<size_t>(std::max(max_names, 0))) {
    return FieldError(
        absl::StatusCode::kOutOfRange, "names", v1::LIMIT_EXCEEDED,
        absl::StrFormat("names: %d names, more than the limit of %d",
                        names.size(), max_names));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    absl::Status valid = ValidateResourceName(collection, names[i],
                                              absl::StrFormat("names[%d]", i));
    if (!valid.ok()) return valid;
  }
  // AIP-231 answers names one to one, in request order; a repeated name would
  // only repeat a resource in the response (260 copies turned a 6.8 KB request
  // into a 4 MB response, SECURITY.md), so it is refused.
  absl::flat_hash_map<std::string_view, size_t> first_index;
  first_index.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    auto [it, inserted] = first_index.emplace(names[i], i);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "names[%d]: %s repeats names[%d]; ask for each resource once", i,
          names[i], it->second));
    }
  }
  std::vector<const Message*> resources;
  resources.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    const Message* resource = snapshot.Find(names[i]);
    if (resource == nullptr || !InCollection(*resource, collection)) {
      return ResourceNotFound(
          ResourceTypeOf(*collection.descriptor), names[i],
          absl::StrFormat("names[%d]: %s not found", i, names[i]));
    }
    resources.push_back(resource);
  }
  return resources;
}

}  // namespace factgraph::query
