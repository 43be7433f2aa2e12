#include "service/store/coverage.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/loader.h"
#include "tests/store/seeds_fixture.h"

namespace factgraph::store {
namespace {

using ::testing::ElementsAre;

TEST(CoverageTest, ReportsCountsAndGaps) {
  const auto snapshot = LoadSeeds(test_support::WriteSmallSeeds());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const CoverageReport report = ComputeCoverage(**snapshot);
  EXPECT_EQ(report.resources, 7);
  EXPECT_EQ(report.facts, 28);
  EXPECT_EQ(report.links, 5);
  EXPECT_EQ(report.citations, 11);
  EXPECT_TRUE(report.uncited_fields.empty());
  EXPECT_THAT(report.unreferenced_entities,
              ElementsAre("people/lee-kwang-hyung", "fundings/project-grant",
                          "statistics/speakers"));
  EXPECT_TRUE(report.uncited_documents.empty());
  EXPECT_EQ(FormatCoverageReport(report),
            "collection    resources      facts\n"
            "institutions          2          6\n"
            "people                1          5\n"
            "agreements            1          4\n"
            "projects              0          0\n"
            "fundings              1          4\n"
            "events                0          0\n"
            "statistics            1          4\n"
            "documents             1          5\n"
            "statements            0          0\n"
            "total                 7         28\n"
            "\n"
            "links: 5\n"
            "citations: 11\n"
            "fields without a citation: 0\n"
            "entities nothing refers to: 3\n"
            "  people/lee-kwang-hyung\n"
            "  fundings/project-grant\n"
            "  statistics/speakers\n"
            "documents no citation quotes: 0\n");
}

TEST(CoverageTest, FindsUncitedFieldsIndependentlyOfTheLoader) {
  // Snapshot::Build takes any knowledge base; the report must notice what
  // the loader would have refused.
  v1::KnowledgeBase kb;
  v1::Institution* kaist = kb.add_institutions();
  kaist->set_name("institutions/kaist");
  kaist->set_display_name("KAIST");
  kaist->add_aliases("K");
  v1::Citation* citation = kaist->add_citations();
  citation->set_document("documents/a");
  citation->add_field_paths("display_name");
  v1::Document* document = kb.add_documents();
  document->set_name("documents/a");
  document->set_display_name("A");
  const CoverageReport report =
      ComputeCoverage(*Snapshot::Build(kb, "test", absl::Now()));
  EXPECT_THAT(
      report.uncited_fields,
      ElementsAre("institutions/kaist aliases[0]", "documents/a display_name"));
  EXPECT_THAT(report.unreferenced_entities, ElementsAre("institutions/kaist"));
  EXPECT_TRUE(report.uncited_documents.empty());
  kaist->mutable_citations(0)->set_document("documents/b");
  EXPECT_THAT(ComputeCoverage(*Snapshot::Build(kb, "test", absl::Now()))
                  .uncited_documents,
              ElementsAre("documents/a"));
}

}  // namespace
}  // namespace factgraph::store
