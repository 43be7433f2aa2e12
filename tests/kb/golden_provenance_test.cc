// Golden provenance of the seeds (issue "Provenance you can check"): what no
// article states is cited as curated, qualifiers are kept, inferences and
// hedges are fixed. Checks the seeds as loaded, so every value here has also
// passed the loader's support checks.

#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/event.pb.h"
#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/statistic.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/collections.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::IsEmpty;
using ::testing::StartsWith;

bool HasHangul(const std::string& text) {
  // Hangul syllables are U+AC00..U+D7A3: lead bytes EA..ED in UTF-8.
  for (unsigned char c : text) {
    if (c >= 0xEA && c <= 0xED) return true;
  }
  return false;
}

TEST(ProvenanceTest, EveryHangulAliasIsCurated) {
  int hangul = 0;
  for (const store::Collection& collection : store::AllCollections()) {
    const google::protobuf::FieldDescriptor* aliases =
        collection.descriptor->FindFieldByName("aliases");
    if (aliases == nullptr) continue;
    for (const google::protobuf::Message* resource :
         SeedsSnapshot().Resources(collection)) {
      const auto* reflection = resource->GetReflection();
      const std::string name = reflection->GetString(
          *resource, collection.descriptor->FindFieldByName("name"));
      for (int i = 0; i < reflection->FieldSize(*resource, aliases); ++i) {
        if (!HasHangul(reflection->GetRepeatedString(*resource, aliases, i))) {
          continue;
        }
        ++hangul;
        EXPECT_EQ(KindOf(name, "aliases[" + std::to_string(i) + "]"),
                  v1::CITATION_KIND_CURATED)
            << name << " aliases[" << i << "]";
      }
    }
  }
  EXPECT_EQ(hangul, 61);
}

TEST(ProvenanceTest, LatinAliasesNoArticleContainsAreCurated) {
  const std::pair<const char*, const char*> cases[] = {
      {"institutions/national-cancer-center", "NCC"},
      {"institutions/korea-university-medical-center", "KUMC"},
      {"institutions/ministry-of-science-and-ict", "MSIT"},
      {"institutions/ministry-of-health-and-welfare", "MOHW"},
      {"institutions/korea-chamber-of-commerce-and-industry", "KCCI"},
      {"institutions/hkust", "HKUST"},
      {"institutions/tokyo-institute-of-technology", "Tokyo Tech"},
      {"institutions/tokyo-medical-and-dental-university", "TMDU"},
      {"institutions/nanyang-technological-university", "NTU"},
      {"people/lee-sang-youp", "Sang Yup Lee"},
      {"people/ye-jong-chul", "Jong Chul Ye"},
      {"institutions/kist", "Korea Institute of Science and Technology"},
      {"institutions/us-fda", "U.S. Food and Drug Administration"},
  };
  for (const auto& [name, alias] : cases) {
    const auto* resource = SeedsSnapshot().Find(name);
    ASSERT_NE(resource, nullptr) << name;
    const auto* descriptor = resource->GetDescriptor();
    const auto* aliases = descriptor->FindFieldByName("aliases");
    int index = -1;
    for (int i = 0;
         i < resource->GetReflection()->FieldSize(*resource, aliases); ++i) {
      if (resource->GetReflection()->GetRepeatedString(*resource, aliases, i) ==
          alias) {
        index = i;
      }
    }
    ASSERT_GE(index, 0) << name << " " << alias;
    EXPECT_EQ(KindOf(name, "aliases[" + std::to_string(index) + "]"),
              v1::CITATION_KIND_CURATED)
        << name << " " << alias;
  }
  // Aliases the article writes stay stated.
  EXPECT_EQ(KindOf("institutions/korea-university-medical-center",
                   "aliases[1]"),  // "KHU Medical Center"
            v1::CITATION_KIND_STATED);
  EXPECT_EQ(KindOf("people/seo-hong-gwan", "aliases[0]"),  // "Hong-Kwan Seo"
            v1::CITATION_KIND_STATED);
}

TEST(ProvenanceTest, MoneyKeepsItsQualifier) {
  const auto* boston =
      FindAs<v1::Funding>("fundings/boston-biotech-cluster-investment");
  ASSERT_NE(boston, nullptr);
  EXPECT_EQ(boston->amount().qualifier(), v1::MONEY_QUALIFIER_MORE_THAN);
  EXPECT_EQ(boston->stated_equivalents(0).qualifier(),
            v1::MONEY_QUALIFIER_APPROXIMATE);
  // The deprecated flag still answers for clients of the first schema.
  EXPECT_TRUE(boston->stated_equivalents(0).approximate());
  EXPECT_FALSE(boston->amount().approximate());
  const auto* kumc =
      FindAs<v1::Funding>("fundings/kumc-external-research-projects");
  ASSERT_NE(kumc, nullptr);
  EXPECT_EQ(kumc->amount().text(), "KRW 500 billion");
  EXPECT_EQ(kumc->amount().qualifier(), v1::MONEY_QUALIFIER_MORE_THAN);
  const auto* nih = FindAs<v1::Funding>("fundings/nih-research-funding");
  ASSERT_NE(nih, nullptr);
  EXPECT_EQ(nih->amount().qualifier(), v1::MONEY_QUALIFIER_APPROXIMATE);
  EXPECT_EQ(nih->stated_equivalents(0).qualifier(),
            v1::MONEY_QUALIFIER_UNSPECIFIED);
}

TEST(ProvenanceTest, InferencesAreCuratedOrGone) {
  EXPECT_EQ(KindOf("events/4th-digital-national-task-on-site-meeting",
                   "organizers[0]"),
            v1::CITATION_KIND_CURATED);
  EXPECT_EQ(KindOf("events/ncc-kaist-agreement-ceremony", "organizers[0]"),
            v1::CITATION_KIND_CURATED);
  const auto* signing = FindAs<v1::Event>("events/ku-kaist-agreement-signing");
  ASSERT_NE(signing, nullptr);
  EXPECT_EQ(signing->kind(), v1::EVENT_KIND_MILESTONE);
  const auto* arpa_h = FindAs<v1::Funding>("fundings/arpa-h-frailty-project");
  ASSERT_NE(arpa_h, nullptr);
  EXPECT_EQ(arpa_h->recipient().name(),
            "institutions/park-yong-doo-research-team");
  EXPECT_EQ(arpa_h->recipient().display_name(),
            "research team led by Professor Park Yong-doo");
  // Every inferred date is curated, its inference kept.
  const std::pair<const char*, const char*> inferred[] = {
      {"agreements/ku-kaist-research-cooperation", "signed_date"},
      {"events/ku-kaist-joint-symposium", "date"},
      {"events/ku-kaist-symposium-panel-discussion", "date"},
      {"events/ku-kaist-agreement-signing", "date"},
      {"projects/ai-frailty-preventive-care", "start_date"},
      {"fundings/arpa-h-frailty-project", "start_date"},
      {"events/arpa-h-frailty-project-selection", "date"},
  };
  for (const auto& [name, path] : inferred) {
    EXPECT_EQ(KindOf(name, path), v1::CITATION_KIND_CURATED)
        << name << " " << path;
  }
  EXPECT_THAT(arpa_h->start_date().inference(), StartsWith("\"last year\""));
}

TEST(ProvenanceTest, HedgesKeptAndFieldsUsedForWhatTheySay) {
  const auto* institute = FindAs<v1::Institution>(
      "institutions/kaist-innovative-digital-institute-of-medical-science");
  ASSERT_NE(institute, nullptr);
  EXPECT_EQ(institute->distinctions(1),
            "is expected to serve as an innovation hub that supplements the "
            "structural limitations of the Daejeon Bio Cluster");
  const auto* cesco =
      FindAs<v1::Agreement>("agreements/kumc-cesco-partnership");
  ASSERT_NE(cesco, nullptr);
  EXPECT_THAT(cesco->plans(), IsEmpty());
  EXPECT_EQ(cesco->description(),
            "has established a “special laboratory for spatial transmission” "
            "at Mediscience Park");
  const auto* boston = FindAs<v1::Agreement>(
      "agreements/kumc-boston-biotech-network-collaboration");
  ASSERT_NE(boston, nullptr);
  EXPECT_THAT(boston->plans(), IsEmpty());
  const auto* office = FindAs<v1::Institution>(
      "institutions/kumc-office-of-industry-academia-collaboration");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(office->description(), "");
  const auto* kumc =
      FindAs<v1::Institution>("institutions/korea-university-medical-center");
  ASSERT_NE(kumc, nullptr);
  EXPECT_THAT(kumc->distinctions(1), StartsWith("now has a dedicated system"));
}

}  // namespace
}  // namespace factgraph::test_support
