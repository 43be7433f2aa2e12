// The search page's wire writer (search/page_wire.h) against the generated
// serializer: for every page of many real searches (the relevance queries
// and the display names, their words, prefixes and typos, of the seeds and
// of a synthetic knowledge base; page sizes 1, 3, 10 and 50, with and
// without collections, first and second pages), the written bytes must be
// exactly SerializeAsString() of the typed response the page converts to.
// A hand-made page covers the encodings real pages rarely produce
// (negative and large numbers, -0.0, empty strings, no matches).
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "service/query/search.h"
#include "service/query/search/page.h"
#include "service/query/search/page_wire.h"
#include "service/store/collections.h"
#include "service/store/loader.h"
#include "service/store/snapshot_holder.h"
#include "tests/support/display_names.h"
#include "tests/support/query_set.h"
#if FACTGRAPH_WITH_SYNTHETIC
#include "bench/synthetic/synthetic_kb.h"
#endif

namespace factgraph::query::search {
namespace {

// Queries made of display names: each name, its words, a prefix, a typo.
std::vector<std::string> NameQueries(const store::Snapshot& snapshot,
                                     size_t every) {
  std::vector<std::string> queries;
  for (const std::string& name : test_support::DisplayNames(snapshot, every)) {
    queries.push_back(name);
    const std::vector<std::string> words =
        absl::StrSplit(name, ' ', absl::SkipEmpty());
    for (const std::string& word : words) {
      queries.push_back(word);
      if (word.size() >= 6 && static_cast<unsigned char>(word[0]) < 0x80) {
        std::string typo = word;
        typo.erase(typo.size() / 2, 1);
        queries.push_back(typo);
      }
    }
    if (name.size() > 4 && static_cast<unsigned char>(name[3]) < 0x80) {
      queries.push_back(name.substr(0, 4));
    }
  }
  return queries;
}

struct Checked {
  int pages = 0;
  int hits = 0;
  int excerpts = 0;
};

// Every page of `queries` (two pages of each request): written bytes equal
// the typed serialisation, through one page reused as the server reuses it.
void ExpectSameBytes(const store::SnapshotHolder& holder,
                     const std::vector<std::string>& queries,
                     Checked* checked) {
  const PageTokenCodec tokens("wire test secret");
  const SearchLimits limits;
  const std::vector<std::vector<std::string>> filters = {
      {}, {"institutions"}, {"people", "agreements", "projects"}};
  Page page;
  v1::SearchEntitiesResponse response;
  for (size_t q = 0; q < queries.size(); ++q) {
    for (const int page_size : {1, 3, 10, 50}) {
      v1::SearchEntitiesRequest request;
      request.set_query(queries[q]);
      request.set_page_size(page_size);
      for (const std::string& c : filters[(q + page_size) % 3]) {
        request.add_collections(c);
      }
      for (int n = 0; n < 2; ++n) {
        absl::StatusOr<std::shared_ptr<const store::Snapshot>> searched =
            SearchEntities(holder, holder.Current(), request, limits, tokens,
                           &page);
        if (!searched.ok()) break;  // A query of stop words only.
        ToResponse(page, &response);
        const std::string written = PageWireBytes(&page);
        ASSERT_EQ(written, response.SerializeAsString())
            << request.ShortDebugString() << "\n"
            << response.ShortDebugString();
        ++checked->pages;
        checked->hits += response.results_size();
        for (const v1::SearchResult& result : response.results()) {
          for (const v1::SearchMatch& match : result.matches()) {
            if (match.text_offset() > 0) ++checked->excerpts;
          }
        }
        if (response.next_page_token().empty()) break;
        request.set_page_token(response.next_page_token());
      }
      page.Clear();
    }
  }
}

TEST(SearchPageWireTest, SeedPagesAreWhatTheGeneratedSerializerWrites) {
  auto loaded = store::LoadSeeds(FACTGRAPH_SOURCE_DIR "/seeds");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::vector<std::string> queries = NameQueries(**loaded, 1);
  absl::StatusOr<std::vector<std::string>> relevance_set =
      test_support::ReadQuerySet(FACTGRAPH_SOURCE_DIR
                                 "/tests/relevance/queries.tsv");
  ASSERT_TRUE(relevance_set.ok()) << relevance_set.status();
  queries.insert(queries.end(), relevance_set->begin(), relevance_set->end());
  store::SnapshotHolder holder;
  holder.Swap(*std::move(loaded));
  Checked checked;
  ExpectSameBytes(holder, queries, &checked);
  // Enough real pages that every field and encoding occurs.
  EXPECT_GT(checked.pages, 2000);
  EXPECT_GT(checked.hits, 20000);
  EXPECT_GT(checked.excerpts, 100);
}

#if FACTGRAPH_WITH_SYNTHETIC
TEST(SearchPageWireTest, SyntheticPagesAreWhatTheGeneratedSerializerWrites) {
  synthetic::SyntheticOptions options;
  options.entities = 3000;
  options.entities_per_document = 200;
  std::shared_ptr<const store::Snapshot> snapshot =
      store::Snapshot::Build(synthetic::GenerateKnowledgeBase(options),
                             "synthetic", absl::UnixEpoch());
  const std::vector<std::string> queries = NameQueries(*snapshot, 40);
  store::SnapshotHolder holder;
  holder.Swap(snapshot);
  Checked checked;
  ExpectSameBytes(holder, queries, &checked);
  EXPECT_GT(checked.pages, 1000);
  EXPECT_GT(checked.hits, 10000);
}
#endif

TEST(SearchPageWireTest, EveryEncodingAsTheGeneratedSerializer) {
  Page page;
  const std::string long_text(300, 'x');  // A two-byte length.
  // A hit with nothing set but its (empty) entity.
  page.hits.push_back(PageHit{});
  PageHit& hit = page.hits.emplace_back();
  hit.name = "institutions/kaist";
  hit.display_name = "KAIST";
  hit.collection = "institutions";
  hit.score = -0.0;  // Written: only +0.0 is a default.
  hit.match_kind = static_cast<v1::MatchKind>(-1);  // A 10-byte varint.
  hit.matched_text = long_text;
  hit.first_match = 0;
  hit.match_count = 2;
  PageMatch& first = page.matches.emplace_back();
  first.field = "display_name";
  first.text = long_text;
  first.text_offset = -7;
  first.field_weight = 1e300;
  first.first_span = 0;
  first.span_count = 2;
  PageMatch& second = page.matches.emplace_back();
  second.field_weight = std::nan("");
  second.first_span = 2;
  second.span_count = 1;
  page.spans.push_back(
      PageSpan{0, 5, "kaist", v1::TERM_MATCH_EXACT, /*wire_size=*/0});
  page.spans.push_back(PageSpan{2147483647, -2147483647 - 1, "",
                                static_cast<v1::TermMatch>(300), 0});
  page.spans.push_back(PageSpan{});
  PageHit& third = page.hits.emplace_back();
  third.score = 2.5;
  third.first_match = 2;
  third.match_count = 0;
  page.next_page_token = long_text;
  page.total_size = -1;

  v1::SearchEntitiesResponse response;
  ToResponse(page, &response);
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_EQ(response.results(1).matches(0).spans(1).end_offset(),
            -2147483647 - 1);
  EXPECT_EQ(PageWireBytes(&page), response.SerializeAsString());

  // An empty page: no bytes at all.
  Page empty;
  EXPECT_EQ(PageWireBytes(&empty), "");
}

}  // namespace
}  // namespace factgraph::query::search
