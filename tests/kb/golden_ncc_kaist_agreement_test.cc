// Golden facts of article 001: the National Cancer Center-KAIST agreement.
#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/event.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST(NccKaistAgreementTest, SignedOnTheEighthWithNoMonthOrYear) {
  const auto* agreement =
      FindAs<v1::Agreement>("agreements/ncc-kaist-mutual-cooperation");
  ASSERT_NE(agreement, nullptr);
  EXPECT_THAT(
      RefNames(agreement->parties()),
      ElementsAre("institutions/national-cancer-center", "institutions/kaist"));
  const v1::Date& signed_date = agreement->signed_date();
  EXPECT_EQ(signed_date.day(), 8);
  EXPECT_EQ(signed_date.month(), 0);
  EXPECT_EQ(signed_date.year(), 0);
  EXPECT_EQ(signed_date.precision(), v1::DATE_PRECISION_DAY);
  EXPECT_FALSE(signed_date.inferred());
  EXPECT_EQ(signed_date.text(), "on the 8th");
  EXPECT_EQ(agreement->place().name(), "institutions/ifc-seoul");
  EXPECT_EQ(agreement->scope_areas_size(), 3);
  EXPECT_THAT(agreement->plans(),
              Contains("form a joint committee to promote future cooperation"));
}

TEST(NccKaistAgreementTest, PredecessorSince2019) {
  const auto* agreement =
      FindAs<v1::Agreement>("agreements/ncc-kaist-mutual-cooperation");
  ASSERT_NE(agreement, nullptr);
  EXPECT_EQ(agreement->predecessor().name(),
            "agreements/ncc-kaist-cooperation-since-2019");
  const auto* previous =
      FindAs<v1::Agreement>("agreements/ncc-kaist-cooperation-since-2019");
  ASSERT_NE(previous, nullptr);
  EXPECT_EQ(previous->start_date().year(), 2019);
  EXPECT_EQ(previous->start_date().precision(), v1::DATE_PRECISION_YEAR);
  EXPECT_FALSE(previous->has_signed_date());
}

TEST(NccKaistAgreementTest, DirectorUnderBothRomanisations) {
  const auto* seo = FindAs<v1::Person>("people/seo-hong-gwan");
  ASSERT_NE(seo, nullptr);
  EXPECT_THAT(seo->aliases(), Contains("Hong-Kwan Seo"));
  ASSERT_EQ(seo->roles_size(), 1);
  EXPECT_EQ(seo->roles(0).title(), "Director");
  EXPECT_EQ(seo->roles(0).institution().name(),
            "institutions/national-cancer-center");
}

TEST(NccKaistAgreementTest, CeremonyVenueIsInYeongdeungpoGuSeoul) {
  const auto* ceremony =
      FindAs<v1::Event>("events/ncc-kaist-agreement-ceremony");
  ASSERT_NE(ceremony, nullptr);
  EXPECT_EQ(ceremony->place().name(), "institutions/ifc-seoul");
  const auto* venue = FindAs<v1::Institution>("institutions/ifc-seoul");
  ASSERT_NE(venue, nullptr);
  EXPECT_THAT(venue->aliases(), ElementsAre("IFC Seoul"));
  EXPECT_EQ(venue->location().name(), "institutions/yeongdeungpo-gu");
  const auto* district =
      FindAs<v1::Institution>("institutions/yeongdeungpo-gu");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->kind(), v1::INSTITUTION_KIND_DISTRICT);
  EXPECT_EQ(district->location().name(), "institutions/seoul");
}

}  // namespace
}  // namespace factgraph::test_support
