// SearchEntities, QueryFacts and the graph methods over gRPC on the real
// seeds, with exact answers, plus streaming cancellation and deadlines.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

class QueriesTest : public test_support::RealSeedsServerTest<> {
 protected:
  void SetUp() override { stub_ = v1::FactGraphService::NewStub(channel()); }

  // Every fact of a QueryFacts stream, which must end OK.
  std::vector<v1::Fact> ReadFacts(grpc::ClientContext* context,
                                  const v1::QueryFactsRequest& request) {
    auto reader = stub_->QueryFacts(context, request);
    std::vector<v1::Fact> facts;
    v1::QueryFactsResponse batch;
    while (reader->Read(&batch)) {
      facts.insert(facts.end(), batch.facts().begin(), batch.facts().end());
    }
    EXPECT_TRUE(reader->Finish().ok());
    return facts;
  }

  std::unique_ptr<v1::FactGraphService::Stub> stub_;
};

TEST_F(QueriesTest, ListAgreementsByPartyUsesTheReferenceFilter) {
  grpc::ClientContext context;
  v1::ListAgreementsRequest request;
  request.set_filter("parties:\"institutions/kaist\"");
  v1::ListAgreementsResponse response;
  ASSERT_TRUE(stub_->ListAgreements(&context, request, &response).ok());
  std::vector<std::string> names;
  for (const auto& agreement : response.agreements()) {
    names.push_back(agreement.name());
  }
  EXPECT_EQ(names, (std::vector<std::string>{
                       "agreements/ku-kaist-research-cooperation",
                       "agreements/ncc-kaist-cooperation-since-2019",
                       "agreements/ncc-kaist-mutual-cooperation"}));
  EXPECT_EQ(response.total_size(), 3);
  EXPECT_EQ(test_support::SnapshotIdOf(context),
            server_->CurrentSnapshot()->id());
}

// What one person said, with the quotes, in one call.
TEST_F(QueriesTest, ListStatementsBySpeakerReturnsTheQuotes) {
  grpc::ClientContext context;
  v1::ListStatementsRequest request;
  request.set_filter("speaker.name = \"people/seo-hong-gwan\"");
  v1::ListStatementsResponse response;
  ASSERT_TRUE(stub_->ListStatements(&context, request, &response).ok());
  ASSERT_EQ(response.statements_size(), 2);
  EXPECT_EQ(response.total_size(), 2);
  EXPECT_TRUE(response.next_page_token().empty());
  const v1::Statement& lead = response.statements(0);
  EXPECT_EQ(lead.name(),
            "statements/seo-hong-gwan-lead-intractable-cancer-treatment");
  EXPECT_EQ(lead.kind(), v1::STATEMENT_KIND_PROMISE);
  EXPECT_EQ(lead.speaker().display_name(), "Seo Hong-gwan");
  EXPECT_EQ(lead.speaker_institution().display_name(),
            "National Cancer Center");
  ASSERT_EQ(lead.citations_size(), 2);
  EXPECT_EQ(lead.citations(0).quote(),
            "Seo Hong-gwan, Director of the National Cancer Center, said");
  EXPECT_EQ(lead.citations(1).quote(),
            "He added, \u201cWith this agreement, the two leading institutions "
            "representing Korea\u2019s medical science field will solidify "
            "their cooperative system and lead the development of treatment "
            "technologies for intractable cancers in Korea.\u201d");
  EXPECT_GT(lead.citations(1).start_offset(), 0);
  EXPECT_EQ(response.statements(1).name(),
            "statements/seo-hong-gwan-three-priorities");

  // The same by the reference itself, and narrowed by kind.
  grpc::ClientContext by_reference;
  request.set_filter(
      "speaker = \"people/kim-hak-jun\" AND kind = STATEMENT_KIND_PLAN");
  ASSERT_TRUE(stub_->ListStatements(&by_reference, request, &response).ok());
  std::vector<std::string> plans;
  for (const auto& statement : response.statements()) {
    plans.push_back(statement.name());
  }
  EXPECT_EQ(plans,
            (std::vector<std::string>{
                "statements/kim-hak-jun-dongtan-hospital-test-bed",
                "statements/kim-hak-jun-faster-access-to-treatment",
                "statements/kim-hak-jun-preparing-researcher-clinician-"
                "support-system",
                "statements/kim-hak-jun-technology-revenue-reinvested-in-rnd",
                "statements/kim-hak-jun-us-entry-top-priority"}));
}

TEST_F(QueriesTest, SearchRanksExactNameFirstAcrossScriptsAndWidths) {
  struct Case {
    std::string query;
    std::string name;
    v1::MatchKind kind;
    std::string matched;
  };
  for (const Case& c : std::vector<Case>{
           {"KAIST", "institutions/kaist", v1::MATCH_KIND_EXACT_NAME, "KAIST"},
           {"\xef\xbc\xab\xef\xbc\xa1\xef\xbc\xa9\xef\xbc\xb3\xef\xbc\xb4",
            "institutions/kaist", v1::MATCH_KIND_EXACT_NAME, "KAIST"},
           {"\xec\xb9\xb4\xec\x9d\xb4\xec\x8a\xa4\xed\x8a\xb8",
            "institutions/kaist", v1::MATCH_KIND_EXACT_ALIAS,
            "\xec\xb9\xb4\xec\x9d\xb4\xec\x8a\xa4\xed\x8a\xb8"},
           {"kwang-hyung LEE", "people/lee-kwang-hyung",
            v1::MATCH_KIND_EXACT_ALIAS, "Kwang-Hyung Lee"},
           {"korea univ", "institutions/korea-university",
            v1::MATCH_KIND_PREFIX, "Korea University"}}) {
    grpc::ClientContext context;
    v1::SearchEntitiesRequest request;
    request.set_query(c.query);
    request.set_page_size(3);
    v1::SearchEntitiesResponse response;
    ASSERT_TRUE(stub_->SearchEntities(&context, request, &response).ok());
    ASSERT_GE(response.results_size(), 1) << c.query;
    EXPECT_EQ(response.results(0).entity().name(), c.name) << c.query;
    EXPECT_EQ(response.results(0).match_kind(), c.kind) << c.query;
    EXPECT_EQ(response.results(0).matched_text(), c.matched) << c.query;
  }
}

TEST_F(QueriesTest, SearchRejectsAnEmptyQuery) {
  grpc::ClientContext context;
  v1::SearchEntitiesResponse response;
  EXPECT_EQ(stub_->SearchEntities(&context, {}, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(QueriesTest, QueryFactsGivesTheInferredDateWithItsQuoteAndOffsets) {
  grpc::ClientContext context;
  v1::QueryFactsRequest request;
  request.set_subject("agreements/ku-kaist-research-cooperation");
  request.set_predicate("signed_date");
  const std::vector<v1::Fact> facts = ReadFacts(&context, request);
  ASSERT_EQ(facts.size(), 1u);
  const v1::Date& date = facts[0].object().date_value();
  EXPECT_EQ(date.year(), 2023);
  EXPECT_EQ(date.month(), 11);
  EXPECT_EQ(date.day(), 7);
  EXPECT_EQ(date.precision(), v1::DATE_PRECISION_DAY);
  EXPECT_TRUE(date.inferred());
  EXPECT_EQ(date.text(), "November 7 last year");
  ASSERT_EQ(facts[0].citations_size(), 1);
  EXPECT_EQ(facts[0].citations(0).document(), "documents/ku-kaist-symposium");
  EXPECT_EQ(facts[0].citations(0).start_offset(), 266);
  EXPECT_EQ(facts[0].citations(0).end_offset(), 427);
  EXPECT_EQ(test_support::SnapshotIdOf(context),
            server_->CurrentSnapshot()->id());
}

// Statements are facts and graph links like any resource: who said what is
// a "speaker" fact, and a speaker's neighbours include what they said.
TEST_F(QueriesTest, StatementsAreFactsAndGraphLinks) {
  grpc::ClientContext context;
  v1::QueryFactsRequest request;
  request.set_predicate("speaker");
  request.set_object("people/lim-seok-hoon");
  std::vector<std::string> subjects;
  for (const v1::Fact& fact : ReadFacts(&context, request)) {
    subjects.push_back(fact.subject());
    ASSERT_EQ(fact.citations_size(), 1) << fact.subject();
    EXPECT_EQ(fact.citations(0).quote().rfind("Lim Seok-hoon, Head of", 0), 0u);
  }
  EXPECT_EQ(subjects,
            (std::vector<std::string>{
                "statements/lim-seok-hoon-government-support-for-fda-approvals",
                "statements/lim-seok-hoon-penetrate-us-and-european-markets"}));

  grpc::ClientContext neighbors_context;
  v1::ListNeighborsRequest neighbors;
  neighbors.set_name("institutions/us-fda");
  neighbors.add_predicates("about");
  v1::ListNeighborsResponse response;
  ASSERT_TRUE(
      stub_->ListNeighbors(&neighbors_context, neighbors, &response).ok());
  ASSERT_EQ(response.neighbors_size(), 1);
  EXPECT_EQ(response.neighbors(0).entity().name(),
            "statements/lim-seok-hoon-government-support-for-fda-approvals");
  EXPECT_EQ(response.neighbors(0).links(0).predicate(), "about");
}

TEST_F(QueriesTest, QueryFactsStreamsEveryFactOfTheSnapshot) {
  grpc::ClientContext context;
  auto reader = stub_->QueryFacts(&context, v1::QueryFactsRequest());
  size_t count = 0;
  int batches = 0;
  v1::QueryFactsResponse batch;
  while (reader->Read(&batch)) {
    count += batch.facts_size();
    ++batches;
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(count, server_->CurrentSnapshot()->fact_count());
  EXPECT_GT(batches, 1);
}

TEST_F(QueriesTest, QueryFactsStopsWhenTheCallerCancels) {
  grpc::ClientContext context;
  auto reader = stub_->QueryFacts(&context, v1::QueryFactsRequest());
  v1::QueryFactsResponse batch;
  ASSERT_TRUE(reader->Read(&batch));
  context.TryCancel();
  while (reader->Read(&batch)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(QueriesTest, ExpiredDeadlinesAreDeadlineExceeded) {
  grpc::ClientContext stream_context;
  stream_context.set_deadline(std::chrono::system_clock::now() -
                              std::chrono::seconds(1));
  auto reader = stub_->QueryFacts(&stream_context, v1::QueryFactsRequest());
  v1::QueryFactsResponse batch;
  while (reader->Read(&batch)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() -
                       std::chrono::seconds(1));
  v1::FindPathsRequest request;
  request.set_from("institutions/kaist");
  request.set_to("institutions/korea-university");
  v1::FindPathsResponse response;
  EXPECT_EQ(stub_->FindPaths(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(QueriesTest, FindPathsConnectsKaistToKoreaUniversityInTwoLinks) {
  grpc::ClientContext context;
  v1::FindPathsRequest request;
  request.set_from("institutions/kaist");
  request.set_to("institutions/korea-university");
  request.set_max_paths(20);
  v1::FindPathsResponse response;
  ASSERT_TRUE(stub_->FindPaths(&context, request, &response).ok());
  std::vector<std::string> middles;
  for (const v1::Path& path : response.paths()) {
    ASSERT_EQ(path.entities_size(), 3);
    ASSERT_EQ(path.links_size(), 2);
    EXPECT_EQ(path.entities(0).name(), "institutions/kaist");
    EXPECT_EQ(path.entities(2).name(), "institutions/korea-university");
    EXPECT_GT(path.links(0).citations_size(), 0);
    middles.push_back(path.entities(1).name());
  }
  EXPECT_EQ(middles, (std::vector<std::string>{
                         "agreements/ku-kaist-research-cooperation",
                         "events/ku-kaist-agreement-signing",
                         "events/ku-kaist-joint-symposium",
                         "events/ku-kaist-symposium-panel-discussion",
                         "projects/ku-kaist-joint-medical-research",
                         // What the two presidents said of both schools at
                         // the symposium: each links through two fields
                         // (speaker_institution and about), so twice.
                         "statements/kim-dong-one-hope-for-academic-exchanges",
                         "statements/kim-dong-one-hope-for-academic-exchanges",
                         "statements/kim-dong-one-ku-kaist-embraced-each-other",
                         "statements/kim-dong-one-ku-kaist-embraced-each-other",
                         "statements/lee-kwang-hyung-ku-kaist-organic-"
                         "cooperative-system",
                         "statements/lee-kwang-hyung-ku-kaist-organic-"
                         "cooperative-system"}));
  EXPECT_FALSE(response.truncated());
}

TEST_F(QueriesTest, ListNeighborsOfAPerson) {
  grpc::ClientContext context;
  v1::ListNeighborsRequest request;
  request.set_name("people/lee-kwang-hyung");
  v1::ListNeighborsResponse response;
  ASSERT_TRUE(stub_->ListNeighbors(&context, request, &response).ok());
  std::vector<std::string> names;
  for (const v1::Neighbor& neighbor : response.neighbors()) {
    EXPECT_EQ(neighbor.distance(), 1);
    names.push_back(neighbor.entity().name());
  }
  EXPECT_EQ(
      names,
      (std::vector<std::string>{
          "events/ku-kaist-joint-symposium",
          "events/ncc-kaist-agreement-ceremony", "institutions/kaist",
          // What he said, linked to him as its speaker.
          "statements/lee-kwang-hyung-enhance-bio-health-competitiveness",
          "statements/lee-kwang-hyung-expand-cooperative-system-with-ncc",
          "statements/lee-kwang-hyung-institute-core-base",
          "statements/lee-kwang-hyung-ku-kaist-organic-cooperative-system"}));
  EXPECT_EQ(response.neighbors(2).links(0).predicate(), "roles.institution");
}

TEST_F(QueriesTest, GraphLimitsAreInvalidArgumentAndMissingIsNotFound) {
  v1::ListNeighborsRequest neighbors;
  neighbors.set_name("institutions/kaist");
  neighbors.set_depth(1000000000);
  v1::ListNeighborsResponse neighbors_response;
  grpc::ClientContext deep;
  EXPECT_EQ(
      stub_->ListNeighbors(&deep, neighbors, &neighbors_response).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  neighbors.set_depth(1);
  neighbors.set_name("institutions/no-such-place");
  grpc::ClientContext missing;
  EXPECT_EQ(stub_->ListNeighbors(&missing, neighbors, &neighbors_response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::FindPathsRequest paths;
  paths.set_from("institutions/kaist");
  paths.set_to("institutions/kaist");
  v1::FindPathsResponse paths_response;
  grpc::ClientContext same;
  EXPECT_EQ(stub_->FindPaths(&same, paths, &paths_response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(QueriesTest, InfoCountsEveryCollection) {
  grpc::ClientContext context;
  v1::GetKnowledgeBaseInfoResponse response;
  ASSERT_TRUE(stub_->GetKnowledgeBaseInfo(&context, {}, &response).ok());
  EXPECT_EQ(response.snapshot_id(), server_->CurrentSnapshot()->id());
  EXPECT_EQ(response.counts().size(), 9u);
  EXPECT_EQ(response.counts().at("statements"), 73);
  EXPECT_EQ(response.counts().at("documents"), 5);
  EXPECT_EQ(response.documents_size(), 5);
  EXPECT_TRUE(response.documents(0).content().empty());
  EXPECT_EQ(response.fact_count(),
            static_cast<int64_t>(server_->CurrentSnapshot()->fact_count()));
}

}  // namespace
}  // namespace factgraph
