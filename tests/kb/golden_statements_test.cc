// Golden statements of the five articles: how many each reports, who said
// them, and the exact words of the ones the articles are read for.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "factgraph/v1/statement.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/collections.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<const v1::Statement*> AllStatements() {
  const store::Collection* collection = store::CollectionById("statements");
  EXPECT_NE(collection, nullptr);
  std::vector<const v1::Statement*> statements;
  if (collection == nullptr) return statements;
  for (const google::protobuf::Message* message :
       SeedsSnapshot().Resources(*collection)) {
    statements.push_back(static_cast<const v1::Statement*>(message));
  }
  return statements;
}

// Every statement is cited by one article only: its document.
std::string DocumentOf(const v1::Statement& statement) {
  return statement.citations(0).document();
}

// The quotes whose citations claim `field`.
std::vector<std::string> QuotesFor(const v1::Statement& statement,
                                   std::string_view field) {
  std::vector<std::string> quotes;
  for (const v1::Citation& citation : statement.citations()) {
    for (const std::string& path : citation.field_paths()) {
      if (path == field) quotes.push_back(citation.quote());
    }
  }
  return quotes;
}

TEST(GoldenStatementsTest, CountPerArticle) {
  std::map<std::string, int> counts;
  for (const v1::Statement* statement : AllStatements()) {
    ++counts[DocumentOf(*statement)];
    for (const v1::Citation& citation : statement->citations()) {
      EXPECT_EQ(citation.document(), DocumentOf(*statement))
          << statement->name();
    }
  }
  EXPECT_EQ(counts, (std::map<std::string, int>{
                        {"documents/ku-kaist-symposium", 5},
                        {"documents/ncc-kaist-agreement", 4},
                        {"documents/kaist-digital-medical-institute", 9},
                        {"documents/kumc-rnd-first", 46},
                        {"documents/msit-ai-public-medical", 9}}));
}

TEST(GoldenStatementsTest, SpeakersPerArticle) {
  std::map<std::string, std::set<std::string>> speakers;
  for (const v1::Statement* statement : AllStatements()) {
    speakers[DocumentOf(*statement)].insert(statement->speaker().name());
  }
  EXPECT_EQ(speakers["documents/ku-kaist-symposium"],
            (std::set<std::string>{
                "people/kim-dong-one", "people/kim-jeong-hwan",
                "people/lee-kwang-hyung", "people/park-jin-hyeon"}));
  EXPECT_EQ(speakers["documents/ncc-kaist-agreement"],
            (std::set<std::string>{"institutions/national-cancer-center",
                                   "people/lee-kwang-hyung",
                                   "people/seo-hong-gwan"}));
  EXPECT_EQ(
      speakers["documents/kaist-digital-medical-institute"],
      (std::set<std::string>{"institutions/kaist", "people/lee-kwang-hyung"}));
  EXPECT_EQ(
      speakers["documents/kumc-rnd-first"],
      (std::set<std::string>{"institutions/korea-university-medical-center",
                             "people/hong-eun-sim", "people/kim-hak-jun"}));
  EXPECT_EQ(speakers["documents/msit-ai-public-medical"],
            (std::set<std::string>{"people/hwang-hee", "people/im-jin-hwan",
                                   "people/lim-joon", "people/lim-seok-hoon",
                                   "people/park-yoon-kyu"}));
}

// The text is verbatim: a citation that claims it quotes it whole, and so do
// the display name and the speaker's title.
TEST(GoldenStatementsTest, EveryTextIsQuotedByItsCitation) {
  for (const v1::Statement* statement : AllStatements()) {
    SCOPED_TRACE(statement->name());
    EXPECT_NE(statement->kind(), v1::STATEMENT_KIND_UNSPECIFIED);
    EXPECT_FALSE(statement->speaker().name().empty());
    EXPECT_FALSE(statement->speaker().display_name().empty());
    EXPECT_THAT(statement->text(), HasSubstr(statement->display_name()));
    const std::vector<std::string> quotes = QuotesFor(*statement, "text");
    ASSERT_FALSE(quotes.empty());
    bool quoted = false;
    for (const std::string& quote : quotes) {
      quoted |= quote.find(statement->text()) != std::string::npos;
    }
    EXPECT_TRUE(quoted);
    if (!statement->speaker_title().empty()) {
      bool title_quoted = false;
      for (const std::string& quote : QuotesFor(*statement, "speaker_title")) {
        title_quoted |=
            quote.find(statement->speaker_title()) != std::string::npos;
      }
      EXPECT_TRUE(title_quoted);
    }
  }
}

TEST(GoldenStatementsTest, SeoHongGwanNamesThreePriorities) {
  const auto* priorities =
      FindAs<v1::Statement>("statements/seo-hong-gwan-three-priorities");
  ASSERT_NE(priorities, nullptr);
  EXPECT_EQ(priorities->speaker().display_name(), "Seo Hong-gwan");
  EXPECT_EQ(priorities->speaker_institution().name(),
            "institutions/national-cancer-center");
  EXPECT_EQ(priorities->speaker_title(), "Director");
  EXPECT_EQ(priorities->kind(), v1::STATEMENT_KIND_PLAN);
  EXPECT_TRUE(priorities->direct_quote());
  EXPECT_EQ(priorities->text(),
            "We aim to strengthen open research cooperation between the two "
            "institutions and prioritize the development of healthcare "
            "technologies for cancer survivors and the development of an "
            "ovarian cancer treatment education system utilizing the "
            "metaverse.");
  EXPECT_THAT(
      RefNames(priorities->about()),
      ElementsAre("agreements/ncc-kaist-mutual-cooperation",
                  "projects/ncc-cancer-survivor-healthcare-technologies",
                  "projects/ncc-ovarian-cancer-metaverse-education"));
}

TEST(GoldenStatementsTest, NccAnnouncedOnTheEighthAtTheCeremony) {
  const auto* announcement =
      FindAs<v1::Statement>("statements/ncc-announces-cooperation-with-kaist");
  ASSERT_NE(announcement, nullptr);
  EXPECT_EQ(announcement->speaker().name(),
            "institutions/national-cancer-center");
  EXPECT_FALSE(announcement->has_speaker_institution());
  EXPECT_EQ(announcement->kind(), v1::STATEMENT_KIND_ANNOUNCEMENT);
  EXPECT_FALSE(announcement->direct_quote());
  EXPECT_EQ(announcement->event().name(),
            "events/ncc-kaist-agreement-ceremony");
  EXPECT_EQ(announcement->date().day(), 8);
  EXPECT_EQ(announcement->date().month(), 0);
  EXPECT_EQ(announcement->date().year(), 0);
  EXPECT_EQ(announcement->date().precision(), v1::DATE_PRECISION_DAY);
  EXPECT_EQ(announcement->date().text(), "On the 8th");
}

TEST(GoldenStatementsTest, KimHakJunInterview) {
  struct Expected {
    std::string name;
    std::string text;
    v1::StatementKind kind;
  };
  for (const Expected& expected : std::vector<Expected>{
           {"statements/kim-hak-jun-domestic-market-is-small",
            "The problem is that the domestic market is small.",
            v1::STATEMENT_KIND_CLAIM},
           {"statements/kim-hak-jun-trials-in-korea-instead-of-china",
            "Recently, multinational pharmaceutical companies have "
            "increasingly considered conducting clinical trials in Korea "
            "instead of China. This is an opportunity for us.",
            v1::STATEMENT_KIND_CLAIM},
           {"statements/kim-hak-jun-discussions-with-global-pharma",
            "We are also in discussions with global pharmaceutical companies.",
            v1::STATEMENT_KIND_CLAIM},
           {"statements/kim-hak-jun-us-entry-top-priority",
            "We have made entry into the U.S. our top priority. Our strategy "
            "is to enhance the value of our technologies by attracting "
            "overseas investment in parallel.",
            v1::STATEMENT_KIND_PLAN}}) {
    SCOPED_TRACE(expected.name);
    const auto* statement = FindAs<v1::Statement>(expected.name);
    ASSERT_NE(statement, nullptr);
    EXPECT_EQ(statement->speaker().name(), "people/kim-hak-jun");
    EXPECT_EQ(statement->speaker_institution().name(),
              "institutions/ku-office-of-medical-research");
    EXPECT_EQ(statement->event().name(), "events/kim-hak-jun-interview");
    EXPECT_EQ(statement->text(), expected.text);
    EXPECT_EQ(statement->kind(), expected.kind);
    EXPECT_TRUE(statement->direct_quote());
  }
  int interview_answers = 0;
  for (const v1::Statement* statement : AllStatements()) {
    interview_answers +=
        statement->event().name() == "events/kim-hak-jun-interview";
  }
  // 34 answers to the six questions plus the interview's headline.
  EXPECT_EQ(interview_answers, 35);
}

TEST(GoldenStatementsTest, VunoHeadCallsForGovernmentSupportForFdaApprovals) {
  const auto* call = FindAs<v1::Statement>(
      "statements/lim-seok-hoon-government-support-for-fda-approvals");
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->speaker().display_name(), "Lim Seok-hoon");
  EXPECT_EQ(call->speaker_institution().name(), "institutions/vuno");
  EXPECT_EQ(call->speaker_title(), "Head of Business");
  EXPECT_EQ(call->kind(), v1::STATEMENT_KIND_OPINION);
  EXPECT_EQ(call->text(),
            "To obtain approvals such as from the US Food and Drug "
            "Administration (FDA), government-level support is necessary "
            "rather than individual company efforts.");
  EXPECT_THAT(RefNames(call->about()), ElementsAre("institutions/us-fda"));
  EXPECT_EQ(call->event().name(),
            "events/4th-digital-national-task-on-site-meeting");
}

TEST(GoldenStatementsTest, ParkYoonKyuAnnouncedThePlanOnTheThirtieth) {
  const auto* plan =
      FindAs<v1::Statement>("statements/park-yoon-kyu-ai-transition-plan");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->kind(), v1::STATEMENT_KIND_ANNOUNCEMENT);
  EXPECT_EQ(plan->speaker_title(), "Vice Minister");
  EXPECT_EQ(plan->date().day(), 30);
  EXPECT_EQ(plan->date().text(), "On the 30th");
  EXPECT_THAT(
      RefNames(plan->about()),
      ElementsAre("projects/msit-ai-transition-public-medical-institutions",
                  "institutions/ministry-of-health-and-welfare"));
}

TEST(GoldenStatementsTest, KuKaistSymposiumRemarks) {
  const auto* welcome = FindAs<v1::Statement>(
      "statements/kim-dong-one-ku-kaist-embraced-each-other");
  ASSERT_NE(welcome, nullptr);
  EXPECT_EQ(welcome->event().name(), "events/ku-kaist-joint-symposium");
  EXPECT_EQ(welcome->speaker_institution().name(),
            "institutions/korea-university");
  const auto* student = FindAs<v1::Statement>(
      "statements/park-jin-hyeon-glimpse-of-future-healthcare");
  ASSERT_NE(student, nullptr);
  EXPECT_EQ(student->speaker_title(), "student");
  EXPECT_FALSE(student->has_event());
  EXPECT_THAT(RefNames(student->about()),
              ElementsAre("events/ku-kaist-joint-symposium"));
}

}  // namespace
}  // namespace factgraph::test_support
