#include "service/query/search.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/store/snapshot_holder.h"
#include "tests/query/fixture.h"

namespace factgraph::query {
namespace {

struct Expected {
  std::string name;
  v1::MatchKind kind;
  double score;
  std::string matched_text;
};

class SearchTest : public ::testing::Test {
 protected:
  SearchTest() { holder_.Swap(testing::FixtureSnapshot()); }

  absl::StatusOr<SearchOutcome> Search(
      const v1::SearchEntitiesRequest& request) {
    return SearchEntities(holder_, holder_.Current(), request, limits_,
                          tokens_);
  }

  void ExpectResults(const std::string& query,
                     const std::vector<Expected>& expected,
                     const std::vector<std::string>& collections = {}) {
    v1::SearchEntitiesRequest request;
    request.set_query(query);
    for (const std::string& c : collections) request.add_collections(c);
    absl::StatusOr<SearchOutcome> outcome = Search(request);
    ASSERT_TRUE(outcome.ok()) << query << ": " << outcome.status();
    const v1::SearchEntitiesResponse& response = outcome->response;
    EXPECT_EQ(response.total_size(), static_cast<int>(expected.size()))
        << query;
    ASSERT_EQ(response.results_size(), static_cast<int>(expected.size()))
        << query << "\n"
        << response.DebugString();
    for (size_t i = 0; i < expected.size(); ++i) {
      const v1::SearchResult& result = response.results(static_cast<int>(i));
      EXPECT_EQ(result.entity().name(), expected[i].name) << query << " #" << i;
      EXPECT_EQ(result.match_kind(), expected[i].kind) << query << " #" << i;
      EXPECT_DOUBLE_EQ(result.score(), expected[i].score) << query << " #" << i;
      EXPECT_EQ(result.matched_text(), expected[i].matched_text)
          << query << " #" << i;
    }
  }

  store::SnapshotHolder holder_;
  SearchLimits limits_;
  PageTokenCodec tokens_{"search secret"};
};

constexpr auto kExactName = v1::MATCH_KIND_EXACT_NAME;
constexpr auto kExactAlias = v1::MATCH_KIND_EXACT_ALIAS;
constexpr auto kPrefix = v1::MATCH_KIND_PREFIX;
constexpr auto kToken = v1::MATCH_KIND_TOKEN;

TEST_F(SearchTest, RanksExactThenPrefixThenTokens) {
  const std::vector<Expected> kaist = {
      {"institutions/kaist", kExactName, 4, "KAIST"},
      {"agreements/kaist-moderna", kPrefix, 2 + 5.0 / 25,
       "KAIST–Moderna partnership"},
      {"events/symposium", kToken, 1 + 5.0 / 24, "KU–KAIST joint symposium"},
      {"agreements/ncc-kaist", kToken, 1 + 5.0 / 31,
       "NCC–KAIST cooperation agreement"},
      {"agreements/ku-kaist", kToken, 1 + 5.0 / 39,
       "KU–KAIST research cooperation agreement"},
  };
  ExpectResults("kaist", kaist);
  ExpectResults("KAIST", kaist);
  ExpectResults("ＫＡＩＳＴ", kaist);  // Full width.
  ExpectResults("  kaist! ", kaist);
}

TEST_F(SearchTest, ExactNameBeatsExactAlias) {
  ExpectResults("KUMC", {{"institutions/kumc", kExactName, 4, "KUMC"},
                         {"projects/kumc-rnd", kExactAlias, 3, "KUMC"}});
  ExpectResults("kumc r&d", {{"projects/kumc-rnd", kPrefix, 2 + 8.0 / 14,
                              "KUMC R&D First"}});
}

TEST_F(SearchTest, HangulAndAliases) {
  ExpectResults("카이스트",
                {{"institutions/kaist", kExactAlias, 3, "카이스트"}});
  ExpectResults("서울", {{"institutions/seoul", kExactAlias, 3, "서울"}});
  ExpectResults("고려대학교",
                {{"institutions/ku", kExactAlias, 3, "고려대학교"}});
  ExpectResults("고려",
                {{"institutions/ku", kPrefix, 2 + 2.0 / 5, "고려대학교"}});
  ExpectResults("kwang-hyung LEE", {{"people/lee-kwang-hyung", kExactAlias, 3,
                                     "Kwang-Hyung Lee"}});
  ExpectResults("lee kwang", {{"people/lee-kwang-hyung", kPrefix, 2 + 9.0 / 15,
                               "Lee Kwang-hyung"}});
}

TEST_F(SearchTest, PrefixesAndTokens) {
  ExpectResults("korea",
                {{"institutions/ku", kPrefix, 2 + 5.0 / 16, "Korea University"},
                 {"institutions/ku-anam-hospital", kPrefix, 2 + 5.0 / 30,
                  "Korea University Anam Hospital"},
                 {"institutions/kumc", kPrefix, 2 + 5.0 / 31,
                  "Korea University Medical Center"},
                 {"institutions/ku-medicine", kPrefix, 2 + 5.0 / 36,
                  "Korea University College of Medicine"},
                 {"institutions/kaist", kPrefix, 2 + 5.0 / 50,
                  "Korea Advanced Institute of Science and Technology"}});
  ExpectResults("university korea",
                {{"institutions/ku", kToken, 1.999, "Korea University"},
                 {"institutions/ku-anam-hospital", kToken, 1 + 16.0 / 30,
                  "Korea University Anam Hospital"},
                 {"institutions/kumc", kToken, 1 + 16.0 / 31,
                  "Korea University Medical Center"},
                 {"institutions/ku-medicine", kToken, 1 + 16.0 / 36,
                  "Korea University College of Medicine"}});
  ExpectResults("univ korea", {});
  ExpectResults("moderna kaist",
                {{"agreements/kaist-moderna", kToken, 1 + 13.0 / 25,
                  "KAIST–Moderna partnership"}});
}

TEST_F(SearchTest, CollectionsFilter) {
  ExpectResults("korea", {}, {"people"});
  ExpectResults(
      "kaist",
      {{"agreements/kaist-moderna", kPrefix, 2 + 5.0 / 25,
        "KAIST–Moderna partnership"},
       {"events/symposium", kToken, 1 + 5.0 / 24, "KU–KAIST joint symposium"},
       {"agreements/ncc-kaist", kToken, 1 + 5.0 / 31,
        "NCC–KAIST cooperation agreement"},
       {"agreements/ku-kaist", kToken, 1 + 5.0 / 39,
        "KU–KAIST research cooperation agreement"}},
      {"agreements", "events"});
}

TEST_F(SearchTest, ResultsCarryEntityAndCollection) {
  v1::SearchEntitiesRequest request;
  request.set_query("lee kwang hyung");
  absl::StatusOr<SearchOutcome> outcome = Search(request);
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome->response.results_size(), 1);
  const v1::SearchResult& result = outcome->response.results(0);
  EXPECT_EQ(result.entity().name(), "people/lee-kwang-hyung");
  EXPECT_EQ(result.entity().display_name(), "Lee Kwang-hyung");
  EXPECT_EQ(result.collection(), "people");
  EXPECT_EQ(result.match_kind(), kExactName);
  EXPECT_EQ(outcome->snapshot, holder_.Current());
}

TEST_F(SearchTest, Pages) {
  v1::SearchEntitiesRequest request;
  request.set_query("korea");
  request.set_page_size(2);
  std::vector<std::string> names;
  for (int page = 0; page < 10; ++page) {
    absl::StatusOr<SearchOutcome> outcome = Search(request);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->response.total_size(), 5);
    EXPECT_LE(outcome->response.results_size(), 2);
    for (const auto& result : outcome->response.results()) {
      names.push_back(result.entity().name());
    }
    if (outcome->response.next_page_token().empty()) break;
    request.set_page_token(outcome->response.next_page_token());
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "institutions/ku", "institutions/ku-anam-hospital",
                       "institutions/kumc", "institutions/ku-medicine",
                       "institutions/kaist"}));

  // A token is bound to its query.
  request.set_page_size(2);
  request.clear_page_token();
  absl::StatusOr<SearchOutcome> first = Search(request);
  ASSERT_TRUE(first.ok());
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
  const std::vector<std::string> ranking = {
      "institutions/ku", "institutions/ku-anam-hospital", "institutions/kumc",
      "institutions/ku-medicine", "institutions/kaist"};
  for (int page_size : {1, 2, 3, 4, 5, 100}) {
    v1::SearchEntitiesRequest request;
    request.set_query("korea");
    request.set_page_size(page_size);
    std::vector<std::string> names;
    for (int page = 0; page < 10; ++page) {
      absl::StatusOr<SearchOutcome> outcome = Search(request);
      ASSERT_TRUE(outcome.ok()) << outcome.status();
      EXPECT_EQ(outcome->response.total_size(), 5);
      for (const auto& result : outcome->response.results()) {
        names.push_back(result.entity().name());
      }
      if (outcome->response.next_page_token().empty()) break;
      request.set_page_token(outcome->response.next_page_token());
    }
    EXPECT_EQ(names, ranking) << "page_size " << page_size;
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
