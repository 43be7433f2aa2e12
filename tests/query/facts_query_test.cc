#include "service/query/facts_query.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/query/fixture.h"

namespace factgraph::query {
namespace {

using SubjectPath = std::pair<std::string, std::string>;
using Facts = std::vector<SubjectPath>;

class FactsQueryTest : public ::testing::Test {
 protected:
  FactsQueryTest() : snapshot_(test_support::FixtureSnapshot()) {}

  Facts Query(const FactPattern& pattern) {
    Facts facts;
    absl::Status status =
        VisitFacts(*snapshot_, pattern, [&](store::FactIndex index) {
          const v1::Fact fact = snapshot_->GetFact(index);
          facts.emplace_back(fact.subject(), fact.path());
          return true;
        });
    EXPECT_TRUE(status.ok()) << status;
    return facts;
  }

  std::shared_ptr<const store::Snapshot> snapshot_;
};

TEST_F(FactsQueryTest, BySubject) {
  FactPattern pattern;
  pattern.subject = "institutions/kaist";
  EXPECT_EQ(Query(pattern), (Facts{{"institutions/kaist", "display_name"},
                                   {"institutions/kaist", "aliases[0]"},
                                   {"institutions/kaist", "aliases[1]"},
                                   {"institutions/kaist", "kind"},
                                   {"institutions/kaist", "location"}}));
  pattern.subject = "institutions/nope";
  EXPECT_EQ(Query(pattern), Facts{});
}

TEST_F(FactsQueryTest, StatedOnlyLeavesOutValuesNoStatedCitationCovers) {
  FactPattern pattern;
  pattern.subject = "institutions/kaist";
  pattern.stated_only = true;
  // The fixture cites only KAIST's display name and kind; its aliases and
  // location have no stated citation.
  EXPECT_EQ(Query(pattern), (Facts{{"institutions/kaist", "display_name"},
                                   {"institutions/kaist", "kind"}}));
}

TEST_F(FactsQueryTest, ByPredicateAndObject) {
  FactPattern pattern;
  pattern.predicate = "parties";
  pattern.object = "institutions/kaist";
  EXPECT_EQ(Query(pattern), (Facts{{"agreements/kaist-moderna", "parties[0]"},
                                   {"agreements/ku-kaist", "parties[1]"},
                                   {"agreements/ncc-kaist", "parties[1]"}}));
  pattern.predicate = "kind";
  pattern.object = "INSTITUTION_KIND_HOSPITAL";
  EXPECT_EQ(Query(pattern), (Facts{{"institutions/ku-anam-hospital", "kind"},
                                   {"institutions/kumc", "kind"},
                                   {"institutions/ncc", "kind"}}));
  pattern.predicate = "location";
  EXPECT_EQ(Query(pattern), Facts{});
}

TEST_F(FactsQueryTest, ByTypedObjects) {
  FactPattern pattern;
  pattern.object = "2024-11-07";
  EXPECT_EQ(Query(pattern),
            (Facts{{"events/symposium", "date"},
                   {"people/lee-kwang-hyung", "roles[0].as_of"}}));
  pattern.object = "KRW 15100000000";
  EXPECT_EQ(Query(pattern), (Facts{{"fundings/project-h-grant", "amount"}}));
  pattern.object = "1200";
  EXPECT_EQ(Query(pattern), (Facts{{"statistics/ncc-patients", "value"}}));
  pattern.predicate = "roles.institution";
  pattern.object = "institutions/kaist";
  EXPECT_EQ(Query(pattern),
            (Facts{{"people/lee-kwang-hyung", "roles[0].institution"}}));
}

TEST_F(FactsQueryTest, FieldsNotUsedForTheIndexAreChecked) {
  // The subject's few facts are the candidates; the object key and the
  // predicate are checked on each, computed keys included.
  FactPattern pattern;
  pattern.subject = "agreements/ku-kaist";
  pattern.object = "institutions/kaist";
  EXPECT_EQ(Query(pattern), (Facts{{"agreements/ku-kaist", "parties[1]"}}));
  pattern.subject = "events/symposium";
  pattern.object = "2024-11-07";
  EXPECT_EQ(Query(pattern), (Facts{{"events/symposium", "date"}}));
  pattern.object = "2024-11-08";
  EXPECT_EQ(Query(pattern), Facts{});
  pattern.subject = "statistics/ncc-patients";
  pattern.object = "1200";
  pattern.predicate = "value";
  EXPECT_EQ(Query(pattern), (Facts{{"statistics/ncc-patients", "value"}}));
  pattern.predicate = "unit";
  EXPECT_EQ(Query(pattern), Facts{});
}

TEST_F(FactsQueryTest, ByDocument) {
  FactPattern pattern;
  pattern.document = "documents/article";
  EXPECT_EQ(Query(pattern),
            (Facts{{"agreements/ku-kaist", "parties[0]"},
                   {"agreements/ku-kaist", "parties[1]"},
                   {"agreements/ku-kaist", "signed_date"},
                   {"institutions/kaist", "display_name"},
                   {"institutions/kaist", "kind"},
                   {"people/lee-kwang-hyung", "display_name"},
                   {"people/lee-kwang-hyung", "roles[0].title"},
                   {"people/lee-kwang-hyung", "roles[0].institution"},
                   {"people/lee-kwang-hyung", "roles[0].as_of"}}));
  pattern.subject = "institutions/kaist";
  EXPECT_EQ(Query(pattern), (Facts{{"institutions/kaist", "display_name"},
                                   {"institutions/kaist", "kind"}}));
  pattern.subject.clear();
  pattern.predicate = "parties";
  pattern.object = "institutions/kaist";
  EXPECT_EQ(Query(pattern), (Facts{{"agreements/ku-kaist", "parties[1]"}}));
}

TEST_F(FactsQueryTest, EmptyPatternVisitsEveryFactInOrder) {
  const Facts all = Query(FactPattern());
  EXPECT_EQ(all.size(), snapshot_->fact_count());
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LE(all[i - 1].first, all[i].first);
  }
}

TEST_F(FactsQueryTest, Limit) {
  FactPattern pattern;
  pattern.predicate = "kind";
  pattern.object = "INSTITUTION_KIND_HOSPITAL";
  pattern.limit = 2;
  EXPECT_EQ(Query(pattern), (Facts{{"institutions/ku-anam-hospital", "kind"},
                                   {"institutions/kumc", "kind"}}));
  pattern = FactPattern();
  pattern.limit = 3;
  EXPECT_EQ(Query(pattern).size(), 3u);
  pattern.limit = -1;
  absl::Status status =
      VisitFacts(*snapshot_, pattern, [](store::FactIndex) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "limit must not be negative (got -1)");
}

TEST_F(FactsQueryTest, VisitorStopsTheQuery) {
  int visited = 0;
  absl::Status status =
      VisitFacts(*snapshot_, FactPattern(),
                 [&](store::FactIndex) { return ++visited < 4; });
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(visited, 4);
  FactPattern pattern;
  pattern.subject = "institutions/kaist";
  visited = 0;
  status = VisitFacts(*snapshot_, pattern,
                      [&](store::FactIndex) { return ++visited < 2; });
  EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(visited, 2);
}

}  // namespace
}  // namespace factgraph::query
