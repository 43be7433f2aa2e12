// SearchEntities over the query fixture: ranking tiers, explanations,
// morphology, typos, Korean, collections, paging and errors. Relevance on
// the real seeds is tests/relevance.
#include "service/query/search.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/snapshot_holder.h"
#include "tests/query/fixture.h"

namespace factgraph::query {
namespace {

using ::testing::ElementsAre;

struct Span {
  int start;
  int end;
  std::string word;
  v1::TermMatch how;
  bool operator==(const Span& o) const {
    return start == o.start && end == o.end && word == o.word && how == o.how;
  }
};

std::vector<Span> Spans(const v1::SearchMatch& match) {
  std::vector<Span> spans;
  for (const v1::MatchedSpan& s : match.spans()) {
    spans.push_back(
        {s.start_offset(), s.end_offset(), s.query_word(), s.term_match()});
  }
  return spans;
}

void PrintTo(const Span& s, std::ostream* os) {
  *os << s.word << "@" << s.start << "-" << s.end << "/" << s.how;
}

class SearchTest : public ::testing::Test {
 protected:
  SearchTest() { holder_.Swap(test_support::FixtureSnapshot()); }

  absl::StatusOr<SearchOutcome> Search(
      const v1::SearchEntitiesRequest& request) {
    return SearchEntities(holder_, holder_.Current(), request, limits_,
                          tokens_);
  }

  v1::SearchEntitiesResponse Query(
      const std::string& query,
      const std::vector<std::string>& collections = {}, int page_size = 100) {
    v1::SearchEntitiesRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    for (const std::string& c : collections) request.add_collections(c);
    absl::StatusOr<SearchOutcome> outcome = Search(request);
    EXPECT_TRUE(outcome.ok()) << query << ": " << outcome.status();
    return outcome.ok() ? outcome->response : v1::SearchEntitiesResponse();
  }

  std::vector<std::string> Names(
      const std::string& query,
      const std::vector<std::string>& collections = {}) {
    std::vector<std::string> names;
    const v1::SearchEntitiesResponse response = Query(query, collections);
    for (const v1::SearchResult& r : response.results()) {
      names.push_back(r.entity().name());
    }
    return names;
  }

  store::SnapshotHolder holder_;
  SearchLimits limits_;
  PageTokenCodec tokens_{"search secret"};
};

TEST(OpenSearchIndexTest,
     EachSnapshotGetsItsOwnIndexWhateverTheThreadOpenedLast) {
  // Two loads of the same content: same id, different resources.
  const std::shared_ptr<const store::Snapshot> a =
      test_support::FixtureSnapshot();
  const std::shared_ptr<const store::Snapshot> b =
      test_support::FixtureSnapshot();
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> of_a =
      OpenSearchIndex(a);
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> of_b =
      OpenSearchIndex(b);
  absl::StatusOr<std::shared_ptr<const search::SearchIndex>> of_a_again =
      OpenSearchIndex(a);
  ASSERT_TRUE(of_a.ok());
  ASSERT_TRUE(of_b.ok());
  ASSERT_TRUE(of_a_again.ok());
  EXPECT_NE(of_a->get(), of_b->get());
  EXPECT_EQ(of_a->get(), of_a_again->get());
  EXPECT_EQ(OpenSearchIndex(a)->get(), of_a->get());
  EXPECT_EQ(OpenSearchIndex(b)->get(), of_b->get());
}

TEST_F(SearchTest, ExactNameRanksFirstThenScoresDescend) {
  const v1::SearchEntitiesResponse response = Query("kaist");
  ASSERT_GE(response.results_size(), 5);
  const v1::SearchResult& first = response.results(0);
  EXPECT_EQ(first.entity().name(), "institutions/kaist");
  EXPECT_EQ(first.entity().display_name(), "KAIST");
  EXPECT_EQ(first.collection(), "institutions");
  EXPECT_EQ(first.match_kind(), v1::MATCH_KIND_EXACT_NAME);
  EXPECT_EQ(first.matched_text(), "KAIST");
  EXPECT_GE(first.score(), 100);
  ASSERT_GE(first.matches_size(), 1);
  EXPECT_EQ(first.matches(0).field(), "display_name");
  EXPECT_EQ(first.matches(0).field_weight(), 8);
  ASSERT_GE(first.matches_size(), 1);
  EXPECT_THAT(Spans(first.matches(0)),
              ElementsAre(Span{0, 5, "kaist", v1::TERM_MATCH_EXACT}));
  for (int i = 1; i < response.results_size(); ++i) {
    EXPECT_LT(response.results(i).score(), 100) << i;
    EXPECT_LE(response.results(i).score(), response.results(i - 1).score())
        << i;
    EXPECT_NE(response.results(i).match_kind(), v1::MATCH_KIND_EXACT_NAME);
  }
  EXPECT_EQ(response.total_size(), response.results_size());
}

TEST_F(SearchTest, ExactAliasScoresFiftyMore) {
  const v1::SearchEntitiesResponse response = Query("KU");
  ASSERT_GE(response.results_size(), 1);
  EXPECT_EQ(response.results(0).entity().name(), "institutions/ku");
  EXPECT_EQ(response.results(0).match_kind(), v1::MATCH_KIND_EXACT_ALIAS);
  EXPECT_EQ(response.results(0).matched_text(), "KU");
  EXPECT_GE(response.results(0).score(), 50);
  EXPECT_LT(response.results(0).score(), 100);
}

TEST_F(SearchTest, WordsOfANameInAnyOrderAreATokenMatch) {
  const v1::SearchEntitiesResponse response = Query("moderna kaist");
  ASSERT_GE(response.results_size(), 1);
  const v1::SearchResult& first = response.results(0);
  EXPECT_EQ(first.entity().name(), "agreements/kaist-moderna");
  EXPECT_EQ(first.match_kind(), v1::MATCH_KIND_TOKEN);
  EXPECT_EQ(first.matched_text(), "KAIST–Moderna partnership");
  ASSERT_GE(first.matches_size(), 1);
  EXPECT_EQ(first.matches(0).field(), "display_name");
  // Offsets count code points: the en dash is one.
  ASSERT_GE(first.matches_size(), 1);
  EXPECT_THAT(Spans(first.matches(0)),
              ElementsAre(Span{0, 5, "kaist", v1::TERM_MATCH_EXACT},
                          Span{6, 13, "moderna", v1::TERM_MATCH_EXACT}));
}

TEST_F(SearchTest, NamePrefixAsOneTypes) {
  const v1::SearchEntitiesResponse response = Query("Korea Univ");
  ASSERT_GE(response.results_size(), 1);
  EXPECT_EQ(response.results(0).entity().name(), "institutions/ku");
  EXPECT_EQ(response.results(0).match_kind(), v1::MATCH_KIND_PREFIX);
  EXPECT_EQ(response.results(0).matched_text(), "Korea University");
  ASSERT_GE(response.results(0).matches_size(), 1);
  EXPECT_THAT(Spans(response.results(0).matches(0)),
              ElementsAre(Span{0, 5, "korea", v1::TERM_MATCH_EXACT},
                          Span{6, 16, "univ", v1::TERM_MATCH_PREFIX}));
}

TEST_F(SearchTest, ResourcesAreFoundByWhatTheyReference) {
  // Neither agreement's name says "National Cancer Center"; its party does.
  const std::vector<std::string> names = Names("cancer center agreement");
  ASSERT_GE(names.size(), 1u);
  EXPECT_EQ(names[0], "agreements/ncc-kaist");
  const v1::SearchEntitiesResponse response = Query("cancer center agreement");
  const v1::SearchResult& first = response.results(0);
  EXPECT_EQ(first.match_kind(), v1::MATCH_KIND_TEXT);
  std::vector<std::string> fields;
  for (const v1::SearchMatch& m : first.matches()) fields.push_back(m.field());
  EXPECT_THAT(fields, ::testing::Contains("parties[0].display_name"));
  // And by the aliases of what they reference.
  const std::vector<std::string> by_alias = Names("NCC patients");
  ASSERT_GE(by_alias.size(), 1u);
  EXPECT_EQ(by_alias[0], "statistics/ncc-patients");
  EXPECT_THAT(Names("국립암센터 cooperation"),
              ::testing::Contains("agreements/ncc-kaist"));
}

TEST_F(SearchTest, StemmingMeetsSingularAndPlural) {
  const v1::SearchEntitiesResponse response = Query("agreements");
  std::vector<std::string> names;
  for (const auto& r : response.results()) names.push_back(r.entity().name());
  EXPECT_THAT(names, ::testing::IsSupersetOf(
                         {"agreements/ku-kaist", "agreements/ncc-kaist"}));
  EXPECT_EQ(Names("agreements"), Names("agreement"));
}

TEST_F(SearchTest, TyposWithinOneEditFromFiveLetters) {
  const v1::SearchEntitiesResponse response = Query("Moderma");
  ASSERT_GE(response.results_size(), 1);
  EXPECT_EQ(response.results(0).entity().name(), "institutions/moderna");
  ASSERT_GE(response.results(0).matches_size(), 1);
  EXPECT_THAT(Spans(response.results(0).matches(0)),
              ElementsAre(Span{0, 7, "moderma", v1::TERM_MATCH_TYPO}));
  // Four letters are too few for a typo: "Kist" does not find "KAIST".
  EXPECT_THAT(Names("kist"), ::testing::IsEmpty());
  // Exact matches rank above typos.
  EXPECT_EQ(Names("seoul")[0], "institutions/seoul");
}

TEST_F(SearchTest, KoreanByWordsPrefixesAndParticles) {
  const v1::SearchEntitiesResponse with_particle = Query("고려대학교의");
  ASSERT_GE(with_particle.results_size(), 1);
  EXPECT_EQ(with_particle.results(0).entity().name(), "institutions/ku");
  EXPECT_EQ(with_particle.results(0).match_kind(), v1::MATCH_KIND_EXACT_ALIAS);
  EXPECT_EQ(with_particle.results(0).matched_text(), "고려대학교");
  ASSERT_GE(with_particle.results(0).matches_size(), 1);
  EXPECT_THAT(Spans(with_particle.results(0).matches(0)),
              ElementsAre(Span{0, 5, "고려대학교의", v1::TERM_MATCH_PARTICLE}));
  const v1::SearchEntitiesResponse prefix = Query("고려");
  ASSERT_GE(prefix.results_size(), 1);
  EXPECT_EQ(prefix.results(0).entity().name(), "institutions/ku");
  ASSERT_GE(prefix.results(0).matches_size(), 1);
  EXPECT_THAT(Spans(prefix.results(0).matches(0)),
              ElementsAre(Span{0, 5, "고려", v1::TERM_MATCH_PREFIX}));
  EXPECT_EQ(Names("이광형")[0], "people/lee-kwang-hyung");
}

TEST_F(SearchTest, NothingMatchesNothing) {
  EXPECT_THAT(Names("zzyzx"), ::testing::IsEmpty());
  // Stop words alone decide nothing.
  EXPECT_THAT(Names("the of between"), ::testing::IsEmpty());
  // Some words matching is enough: the best partial matches come back.
  EXPECT_EQ(Names("moderna zzyzx")[0], "institutions/moderna");
}

TEST_F(SearchTest, CollectionsFilter) {
  // Both through their roles' institutions: "Korea University", and KAIST's
  // alias "Korea Advanced Institute of Science and Technology".
  EXPECT_THAT(Names("korea", {"people"}),
              ::testing::UnorderedElementsAre("people/kim-dong-won",
                                              "people/lee-kwang-hyung"));
  for (const std::string& name : Names("kaist", {"agreements", "events"})) {
    EXPECT_TRUE(name.rfind("agreements/", 0) == 0 ||
                name.rfind("events/", 0) == 0)
        << name;
  }
  EXPECT_EQ(Names("kaist", {"agreements", "events"}).size(), 4u);
}

TEST_F(SearchTest, Pages) {
  const std::vector<std::string> ranking = Names("korea");
  ASSERT_GE(ranking.size(), 5u);
  v1::SearchEntitiesRequest request;
  request.set_query("korea");
  request.set_page_size(2);
  std::vector<std::string> names;
  for (int page = 0; page < 20; ++page) {
    absl::StatusOr<SearchOutcome> outcome = Search(request);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->response.total_size(), static_cast<int>(ranking.size()));
    EXPECT_LE(outcome->response.results_size(), 2);
    for (const auto& result : outcome->response.results()) {
      names.push_back(result.entity().name());
    }
    if (outcome->response.next_page_token().empty()) break;
    request.set_page_token(outcome->response.next_page_token());
  }
  EXPECT_EQ(names, ranking);

  // A token is bound to its query.
  request.set_page_size(2);
  request.clear_page_token();
  absl::StatusOr<SearchOutcome> first = Search(request);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->snapshot, holder_.Current());
  request.set_page_token(first->response.next_page_token());
  request.set_query("kaist");
  EXPECT_EQ(Search(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_query("korea");
  request.add_collections("institutions");
  EXPECT_EQ(Search(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SearchTest, EveryPageSizeGivesTheSameRanking) {
  const std::vector<std::string> ranking = Names("korea university");
  ASSERT_GE(ranking.size(), 4u);
  for (int page_size : {1, 2, 3, 4, 5, 100}) {
    v1::SearchEntitiesRequest request;
    request.set_query("korea university");
    request.set_page_size(page_size);
    std::vector<std::string> names;
    for (int page = 0; page < 30; ++page) {
      absl::StatusOr<SearchOutcome> outcome = Search(request);
      ASSERT_TRUE(outcome.ok()) << outcome.status();
      for (const auto& result : outcome->response.results()) {
        names.push_back(result.entity().name());
      }
      if (outcome->response.next_page_token().empty()) break;
      request.set_page_token(outcome->response.next_page_token());
    }
    EXPECT_EQ(names, ranking) << "page_size " << page_size;
  }
}

TEST_F(SearchTest, IndexKeepsEachTextAndWhereItsTermsOccur) {
  const std::shared_ptr<const search::SearchIndex> index =
      SearchIndexFor(holder_.Current());
  const std::optional<search::DocId> doc =
      index->FindDoc("agreements/kaist-moderna");
  ASSERT_TRUE(doc.has_value());
  const absl::Span<const search::StoredText> texts = index->texts(*doc);
  ASSERT_GE(texts.size(), 3u);
  // In ForEachText order: the type and collection (kept by the index, not
  // views of the walk's temporaries), then the fields.
  EXPECT_EQ(index->text(*doc, texts[0]), "Agreement");
  EXPECT_EQ(index->path(texts[0].path()), "@type");
  EXPECT_EQ(texts[0].field_class(), search::FieldClass::kKind);
  EXPECT_EQ(index->text(*doc, texts[1]), "agreements");
  EXPECT_EQ(index->path(texts[1].path()), "@collection");

  const std::optional<search::TermId> moderna = index->FindTerm("moderna");
  ASSERT_TRUE(moderna.has_value());
  const absl::Span<const search::Occurrence> occurrences =
      index->Occurrences(*doc, *moderna);
  ASSERT_GE(occurrences.size(), 1u);
  const search::StoredText& name = texts[occurrences[0].text];
  EXPECT_EQ(index->text(*doc, name), "KAIST–Moderna partnership");
  EXPECT_EQ(index->path(name.path()), "display_name");
  EXPECT_EQ(name.field_class(), search::FieldClass::kName);
  // Code points: the en dash is one.
  EXPECT_EQ(occurrences[0].start, 6);
  EXPECT_EQ(occurrences[0].end(), 13);
  for (size_t i = 1; i < occurrences.size(); ++i) {
    EXPECT_TRUE(occurrences[i - 1].text < occurrences[i].text ||
                (occurrences[i - 1].text == occurrences[i].text &&
                 occurrences[i - 1].start < occurrences[i].start))
        << i;
  }
  // A term the resource does not have, and a stop word (never indexed).
  const std::optional<search::TermId> seoul = index->FindTerm("seoul");
  ASSERT_TRUE(seoul.has_value());
  EXPECT_TRUE(index->Occurrences(*doc, *seoul).empty());
  EXPECT_FALSE(index->FindTerm("the").has_value());

  // The display name, then the aliases, from the snapshot's name entries.
  const std::optional<search::DocId> ku = index->FindDoc("institutions/ku");
  ASSERT_TRUE(ku.has_value());
  const absl::Span<const uint32_t> entries = index->NameEntriesOf(*ku);
  ASSERT_GE(entries.size(), 2u);
  const auto& all = holder_.Current()->NameEntries();
  EXPECT_TRUE(all[entries[0]].is_display_name);
  EXPECT_EQ(all[entries[0]].text, "Korea University");
  // The aliases in field order, not in the entries' normalized order.
  const auto* ku_resource =
      dynamic_cast<const v1::Institution*>(all[entries[0]].resource);
  ASSERT_NE(ku_resource, nullptr);
  ASSERT_EQ(entries.size(), 1u + ku_resource->aliases_size());
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_FALSE(all[entries[i]].is_display_name);
    EXPECT_EQ(all[entries[i]].text,
              ku_resource->aliases(static_cast<int>(i) - 1));
  }
}

TEST_F(SearchTest, DefaultPageSizeIsTen) {
  v1::SearchEntitiesRequest request;
  request.set_query("korea");
  limits_.default_page_size = 3;
  absl::StatusOr<SearchOutcome> outcome = Search(request);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->response.results_size(), 3);
  EXPECT_EQ(SearchLimits().default_page_size, 10);
}

TEST_F(SearchTest, Errors) {
  struct Case {
    std::string query;
    std::vector<std::string> collections;
    int page_size;
    absl::StatusCode code;
    std::string message;
  };
  std::string many_words;
  for (int i = 0; i < 33; ++i) many_words += "w ";
  const std::vector<Case> cases = {
      {"",
       {},
       0,
       absl::StatusCode::kInvalidArgument,
       "query: must not be empty"},
      {" —!? ",
       {},
       0,
       absl::StatusCode::kInvalidArgument,
       "query: has no letters or digits to search for"},
      {"kaist",
       {"institutions", "nope"},
       0,
       absl::StatusCode::kInvalidArgument,
       "collections[1]: \"nope\" is not a collection (one of institutions, "
       "people, agreements, projects, fundings, events, statistics, "
       "documents, statements)"},
      {"kaist",
       {},
       -5,
       absl::StatusCode::kInvalidArgument,
       "page_size must not be negative (got -5)"},
      {std::string(513, 'a'),
       {},
       0,
       absl::StatusCode::kOutOfRange,
       "query: 513 characters long, more than the limit of 512"},
      {many_words,
       {},
       0,
       absl::StatusCode::kOutOfRange,
       "query: 33 words, more than the limit of 32 (word 33 starts at "
       "character 65)"},
  };
  for (const Case& c : cases) {
    v1::SearchEntitiesRequest request;
    request.set_query(c.query);
    for (const std::string& collection : c.collections) {
      request.add_collections(collection);
    }
    request.set_page_size(c.page_size);
    absl::StatusOr<SearchOutcome> outcome = Search(request);
    ASSERT_FALSE(outcome.ok()) << c.query;
    EXPECT_EQ(outcome.status().code(), c.code) << c.query;
    EXPECT_EQ(outcome.status().message(), c.message) << c.query;
  }
}

}  // namespace
}  // namespace factgraph::query
