#include "service/query/search.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "service/query/paging.h"
#include "service/query/text_position.h"
#include "service/store/collections.h"
#include "service/store/text_normalizer.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;
using store::NameEntry;

struct Hit {
  const NameEntry* entry;
  v1::MatchKind kind;
  double score;
};

double BaseScore(v1::MatchKind kind) {
  switch (kind) {
    case v1::MATCH_KIND_EXACT_NAME:
      return 4;
    case v1::MATCH_KIND_EXACT_ALIAS:
      return 3;
    case v1::MATCH_KIND_PREFIX:
      return 2;
    default:
      return 1;
  }
}

double Coverage(size_t query_size, size_t text_size) {
  if (text_size == 0) return 0;
  return std::min(static_cast<double>(query_size) / text_size, 0.999);
}

std::string StringField(const Message& message, const char* name) {
  const auto* field = message.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr) return "";
  return message.GetReflection()->GetString(message, field);
}

// Intersection of ascending position lists, smallest first.
std::vector<uint32_t> Intersect(std::vector<absl::Span<const uint32_t>> lists) {
  std::sort(lists.begin(), lists.end(),
            [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::vector<uint32_t> result(lists.front().begin(), lists.front().end());
  for (size_t i = 1; i < lists.size() && !result.empty(); ++i) {
    std::vector<uint32_t> next;
    std::set_intersection(result.begin(), result.end(), lists[i].begin(),
                          lists[i].end(), std::back_inserter(next));
    result = std::move(next);
  }
  return result;
}

}  // namespace

absl::StatusOr<SearchOutcome> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens) {
  const int query_length = CharacterCount(request.query());
  if (query_length > limits.max_query_length) {
    return absl::OutOfRangeError(
        absl::StrFormat("query: %d characters long, more than the limit of %d",
                        query_length, limits.max_query_length));
  }
  const std::string query = store::NormalizeForSearch(request.query());
  if (query.empty()) {
    return absl::InvalidArgumentError(
        request.query().empty()
            ? "query: must not be empty"
            : "query: has no letters or digits to search for");
  }
  std::vector<const google::protobuf::Descriptor*> wanted;
  for (int i = 0; i < request.collections_size(); ++i) {
    const store::Collection* collection =
        store::CollectionById(request.collections(i));
    if (collection == nullptr) {
      std::vector<std::string> ids;
      for (const auto& c : store::AllCollections()) ids.emplace_back(c.id);
      return absl::InvalidArgumentError(absl::StrFormat(
          "collections[%d]: \"%s\" is not a collection (one of %s)", i,
          PrintableText(request.collections(i)), absl::StrJoin(ids, ", ")));
    }
    wanted.push_back(collection->descriptor);
  }
  absl::StatusOr<int32_t> page_size = EffectivePageSize(
      request.page_size(), limits.default_page_size, limits.max_page_size);
  if (!page_size.ok()) return page_size.status();
  // Without page_size, which may change between pages (AIP-158).
  const std::string fingerprint =
      RequestFingerprint({"SearchEntities", request.query(),
                          absl::StrJoin(request.collections(), "\n")});
  absl::StatusOr<PageStart> start = StartPage(
      holder, std::move(current), request.page_token(), fingerprint, tokens);
  if (!start.ok()) return start.status();
  const store::Snapshot& snapshot = *start->snapshot;

  const absl::Span<const NameEntry> entries = snapshot.NameEntries();
  // The best hit per resource.
  absl::flat_hash_map<const Message*, Hit> best;
  auto offer = [&](const NameEntry& entry, v1::MatchKind kind) {
    if (!wanted.empty() &&
        std::find(wanted.begin(), wanted.end(),
                  entry.resource->GetDescriptor()) == wanted.end()) {
      return;
    }
    const double score =
        BaseScore(kind) +
        (kind == v1::MATCH_KIND_PREFIX || kind == v1::MATCH_KIND_TOKEN
             ? Coverage(query.size(), entry.normalized.size())
             : 0.0);
    auto [it, inserted] =
        best.try_emplace(entry.resource, Hit{&entry, kind, score});
    if (inserted) return;
    Hit& hit = it->second;
    // Higher score wins; then the display name; entries arrive in
    // normalized order, so the first seen stays otherwise.
    if (score > hit.score || (score == hit.score && entry.is_display_name &&
                              !hit.entry->is_display_name)) {
      hit = Hit{&entry, kind, score};
    }
  };

  // Entries whose normalized text starts with the query form one range.
  auto by_normalized = [](const NameEntry& entry, std::string_view text) {
    return entry.normalized < text;
  };
  const auto first =
      std::lower_bound(entries.begin(), entries.end(), query, by_normalized);
  auto last = first;
  while (last != entries.end() && last->normalized.size() >= query.size() &&
         std::string_view(last->normalized).substr(0, query.size()) == query) {
    ++last;
  }

  std::vector<absl::Span<const uint32_t>> lists;
  for (std::string_view token : store::SplitTokens(query)) {
    lists.push_back(snapshot.NameEntriesWithToken(token));
  }
  // One token (the usual query) needs no intersection, and no copy.
  std::vector<uint32_t> intersection;
  absl::Span<const uint32_t> token_positions;
  if (lists.size() == 1) {
    token_positions = lists.front();
  } else if (!lists.empty()) {
    intersection = Intersect(std::move(lists));
    token_positions = intersection;
  }

  best.reserve(static_cast<size_t>(last - first) + token_positions.size());
  for (auto it = first; it != last; ++it) {
    if (it->normalized.size() == query.size()) {
      offer(*it, it->is_display_name ? v1::MATCH_KIND_EXACT_NAME
                                     : v1::MATCH_KIND_EXACT_ALIAS);
    } else {
      offer(*it, v1::MATCH_KIND_PREFIX);
    }
  }
  // An entry of the prefix range was offered above with a higher score than
  // its token match would have (exact or 2 + c against 1 + c, with the same
  // c), so only the token matches outside that range can change anything.
  const uint32_t range_begin = static_cast<uint32_t>(first - entries.begin());
  const uint32_t range_end = static_cast<uint32_t>(last - entries.begin());
  for (uint32_t position : token_positions) {
    if (position >= range_begin && position < range_end) continue;
    offer(entries[position], v1::MATCH_KIND_TOKEN);
  }

  struct Ranked {
    const Hit* hit;
    std::string_view name;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(best.size());
  for (const auto& [resource, hit] : best) {
    ranked.push_back({&hit, hit.entry->resource_name});
  }
  auto better = [](const Ranked& a, const Ranked& b) {
    if (a.hit->score != b.hit->score) return a.hit->score > b.hit->score;
    return a.name < b.name;
  };
  const uint64_t begin = std::min<uint64_t>(start->offset, ranked.size());
  const uint64_t end = std::min<uint64_t>(
      begin + static_cast<uint64_t>(*page_size), ranked.size());
  // Only the page is put in order: the matches before it are just moved in
  // front of it, the ones after it are left where they are. Names are
  // unique, so the order is total and the page is the one a full sort gives.
  if (begin > 0 && begin < ranked.size()) {
    std::nth_element(ranked.begin(), ranked.begin() + begin, ranked.end(),
                     better);
  }
  std::partial_sort(ranked.begin() + begin, ranked.begin() + end, ranked.end(),
                    better);

  SearchOutcome outcome;
  v1::SearchEntitiesResponse& response = outcome.response;
  response.set_total_size(static_cast<int32_t>(ranked.size()));
  for (uint64_t i = begin; i < end; ++i) {
    const Hit& hit = *ranked[i].hit;
    const Message& resource = *hit.entry->resource;
    v1::SearchResult* result = response.add_results();
    result->mutable_entity()->set_name(std::string(ranked[i].name));
    result->mutable_entity()->set_display_name(
        StringField(resource, "display_name"));
    const store::Collection* collection =
        store::CollectionByDescriptor(resource.GetDescriptor());
    if (collection != nullptr) {
      result->set_collection(std::string(collection->id));
    }
    result->set_score(hit.score);
    result->set_match_kind(hit.kind);
    result->set_matched_text(std::string(hit.entry->text));
  }
  response.set_next_page_token(
      NextPageToken(tokens, snapshot, fingerprint, end, ranked.size()));
  outcome.snapshot = std::move(start->snapshot);
  return outcome;
}

}  // namespace factgraph::query
