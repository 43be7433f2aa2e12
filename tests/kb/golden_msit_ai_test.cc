// Golden facts of article 004: the Ministry of Science and ICT on the AI
// transition of public medical institutions.
#include "factgraph/v1/event.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "factgraph/v1/project.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST(MsitAiTest, OnSiteMeetingOnTheThirtiethInJungGu) {
  const auto* meeting =
      FindAs<v1::Event>("events/4th-digital-national-task-on-site-meeting");
  ASSERT_NE(meeting, nullptr);
  EXPECT_EQ(meeting->date().day(), 30);
  EXPECT_EQ(meeting->date().month(), 0);
  EXPECT_EQ(meeting->date().year(), 0);
  EXPECT_FALSE(meeting->date().inferred());
  EXPECT_EQ(meeting->place().name(),
            "institutions/korea-chamber-of-commerce-and-industry");
  EXPECT_THAT(RefNames(meeting->speakers()),
              ElementsAre("people/park-yoon-kyu", "people/hwang-hee",
                          "people/im-jin-hwan", "people/lim-joon",
                          "people/lim-seok-hoon"));
  const auto* chamber = FindAs<v1::Institution>(
      "institutions/korea-chamber-of-commerce-and-industry");
  ASSERT_NE(chamber, nullptr);
  EXPECT_EQ(chamber->location().name(), "institutions/jung-gu");
}

TEST(MsitAiTest, RolesOfThePresenters) {
  const auto* park = FindAs<v1::Person>("people/park-yoon-kyu");
  ASSERT_NE(park, nullptr);
  ASSERT_EQ(park->roles_size(), 1);
  EXPECT_EQ(park->roles(0).title(), "Vice Minister");
  EXPECT_EQ(park->roles(0).institution().name(),
            "institutions/ministry-of-science-and-ict");
  const auto* hwang = FindAs<v1::Person>("people/hwang-hee");
  ASSERT_NE(hwang, nullptr);
  ASSERT_EQ(hwang->roles_size(), 2);
  EXPECT_EQ(hwang->roles(0).institution().name(),
            "institutions/kakao-healthcare");
  EXPECT_FALSE(hwang->roles(0).former());
  EXPECT_TRUE(hwang->roles(1).former());
}

TEST(MsitAiTest, TransitionPlanAndSomzz) {
  const auto* plan = FindAs<v1::Project>(
      "projects/msit-ai-transition-public-medical-institutions");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->lead().name(), "institutions/ministry-of-science-and-ict");
  EXPECT_THAT(RefNames(plan->participants()),
              ElementsAre("institutions/ministry-of-health-and-welfare"));
  const auto* somzz = FindAs<v1::Project>("projects/somzz");
  ASSERT_NE(somzz, nullptr);
  EXPECT_EQ(somzz->kind(), v1::PROJECT_KIND_PRODUCT);
  EXPECT_EQ(somzz->lead().name(), "institutions/aimmed");
  const auto* ministry =
      FindAs<v1::Institution>("institutions/ministry-of-science-and-ict");
  ASSERT_NE(ministry, nullptr);
  EXPECT_THAT(ministry->aliases(), Contains("MSIT"));
}

}  // namespace
}  // namespace factgraph::test_support
