// Golden facts of article 000: the KU-KAIST joint symposium.
#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/event.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "factgraph/v1/project.pb.h"
#include "factgraph/v1/statistic.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::ElementsAre;

TEST(KuKaistSymposiumTest, AgreementPartiesAndInferredDate) {
  const auto* agreement =
      FindAs<v1::Agreement>("agreements/ku-kaist-research-cooperation");
  ASSERT_NE(agreement, nullptr);
  EXPECT_EQ(agreement->kind(), v1::AGREEMENT_KIND_COOPERATION_AGREEMENT);
  EXPECT_THAT(
      RefNames(agreement->parties()),
      ElementsAre("institutions/korea-university", "institutions/kaist"));
  const v1::Date& signed_date = agreement->signed_date();
  EXPECT_EQ(signed_date.year(), 2023);
  EXPECT_EQ(signed_date.month(), 11);
  EXPECT_EQ(signed_date.day(), 7);
  EXPECT_EQ(signed_date.precision(), v1::DATE_PRECISION_DAY);
  EXPECT_TRUE(signed_date.inferred());
  EXPECT_EQ(signed_date.text(), "November 7 last year");
  EXPECT_THAT(agreement->scope_areas(),
              ElementsAre("medical science and clinical medicine",
                          "hydrogen energy", "quantum technologies",
                          "advanced biotechnology", "cybersecurity"));
}

TEST(KuKaistSymposiumTest, SymposiumDatePlaceChairAndSpeakers) {
  const auto* symposium = FindAs<v1::Event>("events/ku-kaist-joint-symposium");
  ASSERT_NE(symposium, nullptr);
  EXPECT_EQ(symposium->kind(), v1::EVENT_KIND_SYMPOSIUM);
  EXPECT_EQ(symposium->date().year(), 2024);
  EXPECT_EQ(symposium->date().month(), 7);
  EXPECT_EQ(symposium->date().day(), 18);
  EXPECT_TRUE(symposium->date().inferred());
  EXPECT_EQ(symposium->date().text(), "Thursday July 18");
  EXPECT_EQ(symposium->place().name(), "institutions/ku-medical-building-1");
  // Display names of references are filled in by the loader.
  EXPECT_EQ(symposium->place().display_name(), "Medical Building #1");
  EXPECT_EQ(symposium->chair().name(), "people/lee-heon-jeong");
  EXPECT_THAT(RefNames(symposium->speakers()),
              ElementsAre("people/kim-dong-one", "people/lee-kwang-hyung",
                          "people/jang-woo-young", "people/ye-jong-chul"));
  EXPECT_THAT(
      RefNames(symposium->organizers()),
      ElementsAre("institutions/korea-university", "institutions/kaist"));
}

TEST(KuKaistSymposiumTest, VenueIsInAnamDongAndBelongsToTheCollege) {
  const auto* venue =
      FindAs<v1::Institution>("institutions/ku-medical-building-1");
  ASSERT_NE(venue, nullptr);
  EXPECT_EQ(venue->kind(), v1::INSTITUTION_KIND_VENUE);
  EXPECT_EQ(venue->location().name(), "institutions/anam-dong");
  EXPECT_EQ(venue->parent().name(), "institutions/ku-college-of-medicine");
  const auto* college =
      FindAs<v1::Institution>("institutions/ku-college-of-medicine");
  ASSERT_NE(college, nullptr);
  EXPECT_EQ(college->parent().name(), "institutions/korea-university");
}

TEST(KuKaistSymposiumTest, VicePresidentsForResearch) {
  const auto* lee = FindAs<v1::Person>("people/lee-sang-youp");
  ASSERT_NE(lee, nullptr);
  ASSERT_EQ(lee->roles_size(), 1);
  EXPECT_EQ(lee->roles(0).title(), "Executive Vice President for Research");
  EXPECT_EQ(lee->roles(0).institution().name(), "institutions/kaist");
  const auto* yoo = FindAs<v1::Person>("people/yoo-hyuck");
  ASSERT_NE(yoo, nullptr);
  ASSERT_EQ(yoo->roles_size(), 1);
  EXPECT_EQ(yoo->roles(0).institution().name(),
            "institutions/korea-university");
}

TEST(KuKaistSymposiumTest, LeeKwangHyungUnderAllSpellings) {
  const auto* lee = FindAs<v1::Person>("people/lee-kwang-hyung");
  ASSERT_NE(lee, nullptr);
  EXPECT_EQ(lee->display_name(), "Lee Kwang-hyung");
  EXPECT_THAT(lee->aliases(),
              ElementsAre("Kwang-Hyung Lee", "Kwang Hyung Lee", "이광형"));
  ASSERT_EQ(lee->roles_size(), 1);
  EXPECT_EQ(lee->roles(0).title(), "President");
  EXPECT_EQ(lee->roles(0).institution().name(), "institutions/kaist");
}

TEST(KuKaistSymposiumTest, EightProfessorsGaveTalks) {
  const auto* professors =
      FindAs<v1::Statistic>("statistics/ku-kaist-symposium-professor-speakers");
  ASSERT_NE(professors, nullptr);
  EXPECT_EQ(professors->value(), 8);
  EXPECT_EQ(professors->unit(), "professors");
  EXPECT_EQ(professors->subject().name(), "events/ku-kaist-joint-symposium");
}

TEST(KuKaistSymposiumTest, JointResearchParticipants) {
  const auto* research =
      FindAs<v1::Project>("projects/ku-kaist-joint-medical-research");
  ASSERT_NE(research, nullptr);
  EXPECT_THAT(RefNames(research->participants()),
              ElementsAre("institutions/korea-university", "institutions/kaist",
                          "people/jang-woo-young", "people/ye-jong-chul"));
  EXPECT_EQ(research->status(), v1::PROJECT_STATUS_ACTIVE);
}

}  // namespace
}  // namespace factgraph::test_support
