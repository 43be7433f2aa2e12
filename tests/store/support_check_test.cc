// The loader refuses a value its stated quote does not state: one test per
// class of unsupported value (docs/provenance.md), each on a knowledge base
// with one seeded mistake. The article is tests/store/seeds_fixture.h's.
#include "service/store/support_check.h"

#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/loader.h"
#include "tests/store/seeds_fixture.h"

namespace factgraph::store {
namespace {

using test_support::ErrorsOfKb;
using test_support::WriteSeeds;
using ::testing::ElementsAre;

// `head` (a resource's opening lines) closed by one stated citation that
// quotes `quote` for `paths`.
std::string WithStatedCitation(const std::string& head,
                               const std::string& quote,
                               const std::string& paths) {
  return head + "\n  citations {\n    document: \"documents/article\"\n" +
         "    quote: \"" + quote + "\"\n    field_paths: [" + paths +
         "]\n  }\n}\n";
}

// An institution whose one stated citation quotes `quote` for every field.
std::string Kaist(const std::string& fields, const std::string& quote) {
  return WithStatedCitation(
      "institutions {\n  name: \"institutions/kaist\"\n"
      "  kind: INSTITUTION_KIND_UNIVERSITY\n" +
          fields,
      quote, "\"display_name\", \"aliases\", \"kind\"");
}

// A funding whose amount and stated quote are given.
std::string Funding(const std::string& amount, const std::string& quote) {
  return WithStatedCitation(
      "fundings {\n  name: \"fundings/f\"\n  display_name: \"F\"\n"
      "  kind: FUNDING_KIND_GRANT\n  amount { " +
          amount + " }",
      quote, "\"display_name\", \"kind\", \"amount\"");
}

// A statistic with the given value fields and stated quote.
std::string Statistic(const std::string& fields, const std::string& quote) {
  return WithStatedCitation(
      "statistics {\n  name: \"statistics/s\"\n  display_name: \"S\"\n" +
          fields,
      quote, "\"display_name\", \"value\", \"qualifier\", \"text\", \"unit\"");
}

TEST(SupportCheckTest, AliasNotInItsQuote) {
  EXPECT_THAT(
      ErrorsOfKb(Kaist("  display_name: \"KAIST\"\n  aliases: \"카이스트\"",
                       "KAIST and Korea University")),
      ElementsAre(
          "kb/test.textproto:5: aliases[0]: aliases \"카이스트\" is not "
          "in its stated quote; quote the sentence that states it, or "
          "cite it as curated with a note"));
}

TEST(SupportCheckTest, NameNotInItsQuote) {
  EXPECT_THAT(ErrorsOfKb(Kaist("  display_name: \"KAIST Daejeon\"",
                               "KAIST and Korea University")),
              ElementsAre("kb/test.textproto:4: display_name: display_name "
                          "\"KAIST Daejeon\" is not in its stated quote; quote "
                          "the sentence that states it, or cite it as curated "
                          "with a note"));
}

TEST(SupportCheckTest, TitleNotInItsQuote) {
  EXPECT_THAT(
      ErrorsOfKb(
          Kaist("  display_name: \"KAIST\"", "KAIST and Korea University") +
          R"(people {
  name: "people/lee"
  display_name: "Lee Kwang-hyung"
  roles { title: "Chancellor" institution { name: "institutions/kaist" } }
  citations {
    document: "documents/article"
    quote: "KAIST President Lee Kwang-hyung"
    field_paths: ["display_name", "roles"]
  }
}
)"),
      ElementsAre("kb/test.textproto:14: roles[0].title: title "
                  "\"Chancellor\" is not in its stated quote; quote the "
                  "sentence that states it, or cite it as curated with "
                  "a note"));
}

TEST(SupportCheckTest, MoneyTextNotInItsQuote) {
  EXPECT_THAT(
      ErrorsOfKb(Funding(
          "currency_code: \"KRW\" units: 15100000000 text: \"KRW 15.1 bn\"",
          "The project received KRW 15.1 billion.")),
      ElementsAre("kb/test.textproto:5: amount: money text \"KRW 15.1 bn\" is "
                  "not in its stated quote; quote the sentence that states it, "
                  "or cite it as curated with a note"));
}

TEST(SupportCheckTest, MoneyUnitsNotANumberOfTheQuote) {
  EXPECT_THAT(
      ErrorsOfKb(Funding("currency_code: \"KRW\" units: 15000000000 text: "
                         "\"KRW 15.1 billion\"",
                         "The project received KRW 15.1 billion.")),
      ElementsAre("kb/test.textproto:5: amount: amount 15000000000 KRW is not "
                  "a number its stated quote gives"));
}

TEST(SupportCheckTest, MoneyQualifierDropped) {
  EXPECT_THAT(
      ErrorsOfKb(Funding(
          "currency_code: \"USD\" units: 2000000 text: \"USD 2 million\"",
          "Grants exceeded USD 2 million")),
      ElementsAre(
          "kb/test.textproto:5: amount: the quote qualifies \"USD 2 "
          "million\" by \"exceeded\" but qualifier is "
          "MONEY_QUALIFIER_UNSPECIFIED; set MONEY_QUALIFIER_MORE_THAN"));
}

TEST(SupportCheckTest, MoneyQualifierKeptIsAccepted) {
  const auto snapshot = LoadSeeds(WriteSeeds(
      {{"test.textproto",
        Funding("currency_code: \"USD\" units: 2000000 text: \"USD 2 million\" "
                "qualifier: MONEY_QUALIFIER_MORE_THAN",
                "Grants exceeded USD 2 million")}}));
  EXPECT_TRUE(snapshot.ok()) << snapshot.status();
}

TEST(SupportCheckTest, DeprecatedApproximateStillLoadsAsTheQualifier) {
  // The old flag reads as APPROXIMATE, which "exceeded" contradicts.
  EXPECT_THAT(
      ErrorsOfKb(Funding("currency_code: \"USD\" units: 2000000 text: \"USD 2 "
                         "million\" approximate: true",
                         "Grants exceeded USD 2 million")),
      ElementsAre(
          "kb/test.textproto:5: amount: the quote qualifies \"USD 2 "
          "million\" by \"exceeded\" but qualifier is "
          "MONEY_QUALIFIER_APPROXIMATE; set MONEY_QUALIFIER_MORE_THAN"));
  const auto approximate = LoadSeeds(WriteSeeds(
      {{"test.textproto",
        Funding("currency_code: \"KRW\" units: 15100000000 text: \"KRW 15.1 "
                "billion\" approximate: true",
                "The project received KRW 15.1 billion.")}}));
  ASSERT_TRUE(approximate.ok()) << approximate.status();
  const auto* funding =
      static_cast<const v1::Funding*>((*approximate)->Find("fundings/f"));
  ASSERT_NE(funding, nullptr);
  EXPECT_EQ(funding->amount().qualifier(), v1::MONEY_QUALIFIER_APPROXIMATE);
  EXPECT_TRUE(funding->amount().approximate());
}

TEST(SupportCheckTest, StatisticValueNotANumberOfTheQuote) {
  EXPECT_THAT(
      ErrorsOfKb(Statistic("  value: 1300\n  unit: \"people\"\n"
                           "  qualifier: STATISTIC_QUALIFIER_APPROXIMATE\n"
                           "  text: \"about 1,200\"",
                           "about 1,200 people joined")),
      ElementsAre("kb/test.textproto:4: value: value 1300 is not a number its "
                  "stated quote gives"));
}

TEST(SupportCheckTest, StatisticTextNotInItsQuote) {
  EXPECT_THAT(
      ErrorsOfKb(Statistic("  value: 1200\n  unit: \"people\"\n"
                           "  qualifier: STATISTIC_QUALIFIER_APPROXIMATE\n"
                           "  text: \"roughly 1,200\"",
                           "about 1,200 people joined")),
      ElementsAre("kb/test.textproto:7: text: text \"roughly 1,200\" is not in "
                  "its stated quote; quote the sentence that states it, or "
                  "cite it as curated with a note"));
}

TEST(SupportCheckTest, StatisticQualifierDropped) {
  EXPECT_THAT(
      ErrorsOfKb(Statistic("  value: 1200\n  unit: \"people\"\n"
                           "  text: \"about 1,200\"",
                           "about 1,200 people joined")),
      ElementsAre("kb/test.textproto:6: text: the quote qualifies \"about "
                  "1,200\" by \"about\" but qualifier is "
                  "STATISTIC_QUALIFIER_UNSPECIFIED; set "
                  "STATISTIC_QUALIFIER_APPROXIMATE"));
}

TEST(SupportCheckTest, DateTextNotInItsQuote) {
  EXPECT_THAT(ErrorsOfKb(R"(agreements {
  name: "agreements/a"
  display_name: "A"
  kind: AGREEMENT_KIND_COOPERATION_AGREEMENT
  signed_date { year: 2023 month: 11 day: 7 precision: DATE_PRECISION_DAY text: "7 November 2023" }
  citations {
    document: "documents/article"
    quote: "November 7, 2023."
    field_paths: ["display_name", "kind", "signed_date"]
  }
}
)"),
              ElementsAre("kb/test.textproto:5: signed_date: date text \"7 "
                          "November 2023\" is not in its stated quote; quote "
                          "the sentence that states it, or cite it as curated "
                          "with a note"));
}

TEST(SupportCheckTest, InferredDateCitedAsStated) {
  EXPECT_THAT(ErrorsOfKb(R"(agreements {
  name: "agreements/a"
  display_name: "A"
  kind: AGREEMENT_KIND_COOPERATION_AGREEMENT
  signed_date { year: 2023 month: 11 day: 7 precision: DATE_PRECISION_DAY inferred: true inference: "a guess" text: "November 7" }
  citations {
    document: "documents/article"
    quote: "November 7, 2023."
    field_paths: ["display_name", "kind", "signed_date"]
  }
}
)"),
              ElementsAre("kb/test.textproto:5: signed_date: an inferred date "
                          "is curated, not stated: cite it with kind "
                          "CITATION_KIND_CURATED and a note"));
}

TEST(SupportCheckTest, CitationKindRules) {
  const std::string kaist = R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  kind: INSTITUTION_KIND_UNIVERSITY
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind"]
    note: "a note on a stated citation"
  }
  citations {
    kind: CITATION_KIND_CURATED
    field_paths: ["kind"]
  }
  citations {
    reference: "https://www.kaist.ac.kr"
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["kind"]
  }
}
)";
  EXPECT_THAT(
      ErrorsOfKb(kaist),
      ElementsAre("kb/test.textproto:9: citations[0]: a stated citation has "
                  "no note; set kind: CITATION_KIND_CURATED if the note "
                  "explains an addition",
                  "kb/test.textproto:11: citations[1]: a curated citation "
                  "needs a note saying why its values hold",
                  "kb/test.textproto:16: citations[2]: only a curated "
                  "citation has a reference"));
}

TEST(SupportCheckTest, CuratedValuesAreNotCheckedAndKindsAreFilledIn) {
  const auto snapshot =
      LoadSeeds(WriteSeeds({{"test.textproto", R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  aliases: ["카이스트"]
  kind: INSTITUTION_KIND_UNIVERSITY
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind"]
  }
  citations {
    kind: CITATION_KIND_CURATED
    note: "Korean name in Hangul"
    reference: "https://www.kaist.ac.kr"
    field_paths: ["aliases[0]"]
  }
}
)"}}));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const auto* kaist = static_cast<const v1::Institution*>(
      (*snapshot)->Find("institutions/kaist"));
  ASSERT_NE(kaist, nullptr);
  EXPECT_EQ(kaist->citations(0).kind(), v1::CITATION_KIND_STATED);
  EXPECT_EQ(kaist->citations(1).kind(), v1::CITATION_KIND_CURATED);
  EXPECT_EQ(kaist->citations(1).start_offset(), 0);
}

// NumbersStated in units, as doubles (gMock cannot print __int128).
std::vector<double> Stated(std::string_view text) {
  std::vector<double> units;
  for (__int128 nanos : NumbersStated(text)) {
    units.push_back(static_cast<double>(nanos) / 1e9);
  }
  return units;
}

TEST(SupportCheckTest, NumbersStated) {
  EXPECT_THAT(Stated("KRW 15.1 billion"), ElementsAre(15100000000.0, 15.1));
  EXPECT_THAT(Stated("about 1,200 and 50–70, 66%"),
              ElementsAre(1200, 50, 70, 66));
  EXPECT_THAT(Stated("three years, about one-tenth"), ElementsAre(3, 1, 0.1));
}

TEST(SupportCheckTest, QualifierAt) {
  EXPECT_EQ(QualifierAt("more than USD 7.7 billion", 10).suffix, "MORE_THAN");
  EXPECT_EQ(QualifierAt("has exceeded KRW 500 billion", 13).suffix,
            "MORE_THAN");
  EXPECT_EQ(QualifierAt("(approximately KRW 11 trillion)", 15).suffix,
            "APPROXIMATE");
  EXPECT_EQ(QualifierAt("about 1,200", 0).suffix, "APPROXIMATE");
  EXPECT_EQ(QualifierAt("nearly 40%", 7).suffix, "NEARLY");
  EXPECT_EQ(QualifierAt("below 5 people", 6).suffix, "LESS_THAN");
  EXPECT_EQ(QualifierAt("at least 3", 9).suffix, "AT_LEAST");
  // Prepositions before words, not figures, qualify nothing.
  EXPECT_EQ(QualifierAt("around four strategic areas", 7).suffix, "");
  EXPECT_EQ(QualifierAt("Over the past 25 years", 0).suffix, "");
  EXPECT_EQ(QualifierAt("received KRW 15.1 billion", 9).suffix, "");
}

}  // namespace
}  // namespace factgraph::store
