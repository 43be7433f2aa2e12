#include "service/query/search.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "service/query/page_token.h"
#include "service/query/paging.h"
#include "service/query/search/explain.h"
#include "service/query/search/scorer.h"
#include "service/query/snapshot_memo.h"
#include "service/query/text_position.h"
#include "service/store/collections.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;

// The display name of `doc`: its first name entry, when that is one.
std::string_view DisplayName(const search::SearchIndex& index,
                             const store::Snapshot& snapshot,
                             search::DocId doc) {
  const absl::Span<const uint32_t> entries = index.NameEntriesOf(doc);
  if (entries.empty()) return {};
  const store::NameEntry& first = snapshot.NameEntries()[entries[0]];
  return first.is_display_name ? first.text : std::string_view();
}

SnapshotMemo<absl::StatusOr<search::SearchIndex>>& SearchIndexes() {
  // A page token pins an older snapshot, so a few are kept.
  static auto* const memo =
      new SnapshotMemo<absl::StatusOr<search::SearchIndex>>(4);
  return *memo;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const search::SearchIndex>> OpenSearchIndex(
    const std::shared_ptr<const store::Snapshot>& snapshot) {
  std::shared_ptr<const absl::StatusOr<search::SearchIndex>> opened =
      SearchIndexes().Get(snapshot, "search", [](const store::Snapshot& s) {
        return search::SearchIndex::Open(s);
      });
  if (!opened->ok()) {
    return absl::Status(
        opened->status().code(),
        absl::StrCat(snapshot->source(), ": ", opened->status().message()));
  }
  return std::shared_ptr<const search::SearchIndex>(opened, &**opened);
}

std::shared_ptr<const search::SearchIndex> SearchIndexFor(
    const std::shared_ptr<const store::Snapshot>& snapshot) {
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> index =
      OpenSearchIndex(snapshot);
  return index.ok() ? *std::move(index) : nullptr;
}

absl::StatusOr<SearchOutcome> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens) {
  SearchOutcome outcome;
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> searched =
      SearchEntities(holder, std::move(current), request, limits, tokens,
                     &outcome.response);
  if (!searched.ok()) return searched.status();
  outcome.snapshot = *std::move(searched);
  return outcome;
}

absl::StatusOr<std::shared_ptr<const store::Snapshot>> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens, v1::SearchEntitiesResponse* response) {
  search::Page page;
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> searched =
      SearchEntities(holder, std::move(current), request, limits, tokens,
                     &page);
  if (!searched.ok()) {
    response->Clear();
    return searched;
  }
  search::ToResponse(page, response);
  return searched;
}

absl::StatusOr<std::shared_ptr<const store::Snapshot>> SearchEntities(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const v1::SearchEntitiesRequest& request, const SearchLimits& limits,
    const PageTokenCodec& tokens, search::Page* page) {
  page->Clear();
  const int query_length = CharacterCount(request.query());
  if (query_length > limits.max_query_length) {
    return absl::OutOfRangeError(
        absl::StrFormat("query: %d characters long, more than the limit of %d",
                        query_length, limits.max_query_length));
  }
  absl::StatusOr<search::ParsedQuery> parsed =
      search::ParseQuery(request.query(), limits.max_query_words);
  if (!parsed.ok()) return parsed.status();
  // Positions in store::AllCollections().
  std::vector<uint8_t> wanted;
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
    wanted.push_back(
        static_cast<uint8_t>(collection - store::AllCollections().data()));
  }
  absl::StatusOr<int32_t> page_size = EffectivePageSize(
      request.page_size(), limits.default_page_size, limits.max_page_size);
  if (!page_size.ok()) return page_size.status();
  // Without page_size, which may change between pages (AIP-158).
  const Fingerprint fingerprint =
      FingerprintOf({"SearchEntities", request.query(),
                     absl::StrJoin(request.collections(), "\n")});
  absl::StatusOr<PageStart> start =
      StartPage(holder, std::move(current), request.page_token(),
                FingerprintBytes(fingerprint), tokens);
  if (!start.ok()) return start.status();

  // Opened when the snapshot was loaded (the load fails on a bad index), so
  // this is the memo's copy; opened again only after the memo dropped it.
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> opened =
      OpenSearchIndex(start->snapshot);
  if (!opened.ok()) return opened.status();
  // The page's views point into the query, the snapshot and the index.
  page->query = *std::move(parsed);
  page->snapshot = std::move(start->snapshot);
  page->index = *std::move(opened);
  const store::Snapshot& snapshot = *page->snapshot;
  const search::SearchIndex& index = *page->index;
  const search::ParsedQuery& query = page->query;
  const search::Variants variants = search::ExpandQuery(index, query);
  const uint64_t begin = start->offset;
  const uint64_t keep =
      begin + std::min<uint64_t>(static_cast<uint64_t>(*page_size),
                                 std::numeric_limits<uint64_t>::max() - begin);
  // Names are unique, so the order is total and the page is the one a full
  // sort of every hit gives.
  search::Ranking ranking = search::RankDocs(
      index, snapshot, query, variants,
      [&](uint8_t collection) {
        return wanted.empty() || std::find(wanted.begin(), wanted.end(),
                                           collection) != wanted.end();
      },
      static_cast<size_t>(std::min<uint64_t>(keep, SIZE_MAX)));
  const std::vector<search::ScoredDoc>& ranked = ranking.top;
  const uint64_t first = std::min<uint64_t>(begin, ranked.size());

  // Reused from call to call (docs/search.md, "Serving").
  thread_local std::vector<search::DocId> docs;
  docs.clear();
  for (uint64_t i = first; i < ranked.size(); ++i) {
    docs.push_back(ranked[i].doc);
  }
  index.Prefetch(docs, snapshot);
  // Signed while the lines asked for arrive (a MAC is a few hundred ns of
  // arithmetic on data in cache): it depends only on the ranking.
  NextPageToken(tokens, snapshot, FingerprintBytes(fingerprint),
                std::min<uint64_t>(keep, ranking.total), ranking.total,
                &page->next_page_token);
  page->total_size = static_cast<int32_t>(ranking.total);
  const search::Explainer explainer(index, snapshot, query, variants);
  for (uint64_t i = first; i < ranked.size(); ++i) {
    const search::DocRecord& doc = index.docs()[ranked[i].doc];
    search::PageHit& hit = page->hits.emplace_back();
    hit.name = index.name(ranked[i].doc);
    hit.display_name = DisplayName(index, snapshot, ranked[i].doc);
    hit.collection = store::AllCollections()[doc.collection].id;
    hit.score = ranked[i].score;
    explainer.Explain(ranked[i], page, &hit);
  }
  return page->snapshot;
}

}  // namespace factgraph::query
