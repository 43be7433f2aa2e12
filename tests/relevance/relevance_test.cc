// The relevance of SearchEntities on the real seeds (issue 13): the six
// queries of the table, exactly, and the relevance set of
// queries.tsv, whose recall@3 must be at least 95 %; recall@1, recall@3 and
// MRR are printed with it.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/query/search.h"
#include "service/store/loader.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::query {
namespace {

class RelevanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = store::LoadSeeds(FACTGRAPH_SOURCE_DIR "/seeds");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    holder_ = new store::SnapshotHolder();
    holder_->Swap(*std::move(loaded));
  }

  static v1::SearchEntitiesResponse Search(const std::string& query,
                                           int page_size = 10) {
    v1::SearchEntitiesRequest request;
    request.set_query(query);
    request.set_page_size(page_size);
    absl::StatusOr<SearchOutcome> outcome = SearchEntities(
        *holder_, holder_->Current(), request, SearchLimits(), tokens_);
    EXPECT_TRUE(outcome.ok()) << query << ": " << outcome.status();
    return outcome.ok() ? outcome->response : v1::SearchEntitiesResponse();
  }

  static std::vector<std::string> Names(const std::string& query, int n) {
    std::vector<std::string> names;
    const v1::SearchEntitiesResponse response = Search(query, n);
    for (const v1::SearchResult& result : response.results()) {
      names.push_back(result.entity().name());
    }
    return names;
  }

  static store::SnapshotHolder* holder_;
  static const PageTokenCodec tokens_;
};

store::SnapshotHolder* RelevanceTest::holder_ = nullptr;
const PageTokenCodec RelevanceTest::tokens_;

// The table.
TEST_F(RelevanceTest, CancerCenterKaistAgreement) {
  EXPECT_EQ(
      Names("cancer center KAIST agreement", 1),
      std::vector<std::string>{"agreements/ncc-kaist-mutual-cooperation"});
}

TEST_F(RelevanceTest, VaccineAgainstHantavirus) {
  EXPECT_EQ(Names("vaccine against hantavirus", 1),
            std::vector<std::string>{"projects/project-h"});
}

TEST_F(RelevanceTest, PhysicianScientistsHyphenatedAndNot) {
  for (const char* query : {"physician-scientists", "physician scientist"}) {
    const std::vector<std::string> top = Names(query, 3);
    EXPECT_THAT(
        top, ::testing::Contains("projects/kaist-physician-scientist-training"))
        << query;
  }
  // Stemming makes the two queries one.
  EXPECT_EQ(Names("physician-scientists", 10),
            Names("physician scientist", 10));
}

// KAIST is a party of three agreements: the two of the table and
// the NCC-KAIST agreements since 2019, which the 2026 one follows.
TEST_F(RelevanceTest, AgreementsWithKaist) {
  const std::vector<std::string> top = Names("agreements with KAIST", 3);
  EXPECT_THAT(top, ::testing::UnorderedElementsAre(
                       "agreements/ncc-kaist-mutual-cooperation",
                       "agreements/ku-kaist-research-cooperation",
                       "agreements/ncc-kaist-cooperation-since-2019"));
}

TEST_F(RelevanceTest, Typos) {
  EXPECT_EQ(Names("Anam Hospitl", 1),
            std::vector<std::string>{"institutions/ku-anam-hospital"});
  EXPECT_EQ(Names("Universty of Seoul", 1),
            std::vector<std::string>{"institutions/university-of-seoul"});
}

TEST_F(RelevanceTest, VunoBusinessHead) {
  EXPECT_EQ(Names("Vuno business head", 1),
            std::vector<std::string>{"people/lim-seok-hoon"});
}

// The relevance set.
TEST_F(RelevanceTest, RecallAtThreeOfTheRelevanceSet) {
  std::ifstream file(FACTGRAPH_SOURCE_DIR "/tests/relevance/queries.tsv");
  ASSERT_TRUE(file.good());
  std::string line;
  int queries = 0, at1 = 0, at3 = 0;
  double reciprocal_ranks = 0;
  std::vector<std::string> misses;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_EQ(fields.size(), 2u) << line;
    ++queries;
    const std::vector<std::string> names = Names(fields[0], 10);
    const auto found = std::find(names.begin(), names.end(), fields[1]);
    const int rank =
        found == names.end() ? 0 : static_cast<int>(found - names.begin()) + 1;
    if (rank >= 1) reciprocal_ranks += 1.0 / rank;
    if (rank == 1) ++at1;
    if (rank >= 1 && rank <= 3) {
      ++at3;
    } else {
      std::string top;
      for (size_t i = 0; i < names.size() && i < 3; ++i) {
        top += (i ? ", " : "") + names[i];
      }
      misses.push_back(fields[0] + " -> " + fields[1] + " at rank " +
                       std::to_string(rank) + "; top 3: " + top);
    }
  }
  for (const std::string& miss : misses)
    std::printf("miss: %s\n", miss.c_str());
  const double recall3 = 100.0 * at3 / queries;
  std::printf(
      "relevance set: %d queries, recall@1 %.1f %%, recall@3 %.1f %%, MRR "
      "%.3f\n",
      queries, 100.0 * at1 / queries, recall3, reciprocal_ranks / queries);
  EXPECT_GE(queries, 80);
  EXPECT_GE(recall3, 95.0);
}

}  // namespace
}  // namespace factgraph::query
