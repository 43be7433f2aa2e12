// Golden facts of article 002: KAIST's Innovative Digital Institute of
// Medical Science.
#include "factgraph/v1/document.pb.h"
#include "factgraph/v1/event.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/statistic.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::ElementsAre;

TEST(KaistInstituteTest, DocumentDateAndPublisher) {
  const auto* document =
      FindAs<v1::Document>("documents/kaist-digital-medical-institute");
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->published_date().year(), 2026);
  EXPECT_EQ(document->published_date().month(), 2);
  EXPECT_EQ(document->published_date().day(), 23);
  EXPECT_EQ(document->publisher().name(), "institutions/kaist");
  EXPECT_EQ(document->file_name(), "002_2ea6c61c9bb20075.txt");
}

TEST(KaistInstituteTest, PhysicianScientistFigures) {
  const auto* current = FindAs<v1::Statistic>(
      "statistics/kaist-physician-scientists-trained-current");
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->value(), 20);
  EXPECT_EQ(current->qualifier(), v1::STATISTIC_QUALIFIER_APPROXIMATE);
  const auto* target = FindAs<v1::Statistic>(
      "statistics/kaist-physician-scientists-trained-target");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->value(), 50);
  EXPECT_EQ(target->value_max(), 70);
  EXPECT_EQ(target->qualifier(), v1::STATISTIC_QUALIFIER_RANGE);
  EXPECT_EQ(target->text(), "50–70 per year");
  const auto* share = FindAs<v1::Statistic>(
      "statistics/kaist-physician-scientists-share-of-national-demand");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->value(), 50);
  EXPECT_EQ(share->unit(), "percent");
  const auto* below = FindAs<v1::Statistic>(
      "statistics/korea-medical-graduates-entering-physician-scientist-fields");
  ASSERT_NE(below, nullptr);
  EXPECT_EQ(below->value(), 1);
  EXPECT_EQ(below->qualifier(), v1::STATISTIC_QUALIFIER_LESS_THAN);
}

TEST(KaistInstituteTest, InstituteAndItsCentres) {
  const auto* institute = FindAs<v1::Institution>(
      "institutions/kaist-innovative-digital-institute-of-medical-science");
  ASSERT_NE(institute, nullptr);
  EXPECT_EQ(institute->parent().name(), "institutions/kaist");
  for (const char* centre :
       {"institutions/kaist-ai-precision-medicine-platform-research-center",
        "institutions/kaist-data-driven-convergence-healthcare-rnd-center",
        "institutions/kaist-advanced-biomedical-data-analysis-center",
        "institutions/kaist-digital-medical-bio-open-lab"}) {
    const auto* unit = FindAs<v1::Institution>(centre);
    ASSERT_NE(unit, nullptr) << centre;
    EXPECT_EQ(unit->parent().name(), institute->name()) << centre;
  }
}

TEST(KaistInstituteTest, ForeignExamplesWithMonthPrecision) {
  const auto* approval =
      FindAs<v1::Event>("events/hkust-medical-school-approval");
  ASSERT_NE(approval, nullptr);
  EXPECT_EQ(approval->date().year(), 2025);
  EXPECT_EQ(approval->date().month(), 11);
  EXPECT_EQ(approval->date().day(), 0);
  EXPECT_EQ(approval->date().precision(), v1::DATE_PRECISION_MONTH);
  const auto* merger = FindAs<v1::Event>("events/tokyo-tech-tmdu-merger");
  ASSERT_NE(merger, nullptr);
  EXPECT_EQ(merger->date().year(), 2024);
  EXPECT_EQ(merger->date().month(), 10);
  EXPECT_THAT(RefNames(merger->participants()),
              ElementsAre("institutions/tokyo-institute-of-technology",
                          "institutions/tokyo-medical-and-dental-university"));
}

}  // namespace
}  // namespace factgraph::test_support
