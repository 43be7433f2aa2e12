#include "service/store/facts.h"

#include "factgraph/v1/person.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "service/store/fact_path.h"
#include "service/store/loader.h"
#include "tests/store/seeds_fixture.h"

namespace factgraph::store {
namespace {

using ::testing::ElementsAre;

struct FactSummary {
  std::string predicate;
  std::string path;
  std::string object_key;
  std::vector<std::string> quotes;
  bool operator==(const FactSummary& other) const {
    return predicate == other.predicate && path == other.path &&
           object_key == other.object_key && quotes == other.quotes;
  }
};

void PrintTo(const FactSummary& fact, std::ostream* out) {
  *out << fact.predicate << " " << fact.path << " = " << fact.object_key;
}

std::vector<FactSummary> Summarise(const std::vector<v1::Fact>& facts) {
  std::vector<FactSummary> summaries;
  for (const v1::Fact& fact : facts) {
    FactSummary summary{
        fact.predicate(), fact.path(), ObjectKey(fact.object()), {}};
    for (const v1::Citation& citation : fact.citations()) {
      summary.quotes.push_back(citation.quote());
    }
    summaries.push_back(summary);
  }
  return summaries;
}

TEST(FactsTest, FactViewOfAPerson) {
  const auto snapshot = LoadSeeds(test_support::WriteSmallSeeds());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const google::protobuf::Message* person =
      (*snapshot)->Find("people/lee-kwang-hyung");
  ASSERT_NE(person, nullptr);
  const std::vector<v1::Fact> facts = FactsOf(*person);
  const std::string role_quote = "KAIST President Lee Kwang-hyung";
  EXPECT_THAT(
      Summarise(facts),
      ElementsAre(
          FactSummary{
              "display_name", "display_name", "Lee Kwang-hyung", {role_quote}},
          FactSummary{"aliases", "aliases[0]", "이광형", {""}},  // Curated.

          FactSummary{
              "roles.title", "roles[0].title", "President", {role_quote}},
          FactSummary{"roles.institution",
                      "roles[0].institution",
                      "institutions/kaist",
                      {role_quote}},
          FactSummary{"roles.as_of",
                      "roles[0].as_of",
                      "2023-11-07",
                      {"November 7, 2023"}}));
  for (const v1::Fact& fact : facts) {
    EXPECT_EQ(fact.subject(), "people/lee-kwang-hyung");
    EXPECT_EQ(fact.subject_display_name(), "Lee Kwang-hyung");
  }
  EXPECT_EQ(facts[3].object().entity_value().display_name(), "KAIST");
  EXPECT_EQ(facts[4].object().date_value().precision(), v1::DATE_PRECISION_DAY);
  EXPECT_EQ(facts[4].citations(0).start_offset(), 72);
}

TEST(FactsTest, FactViewOfOtherValueTypes) {
  const auto snapshot = LoadSeeds(test_support::WriteSmallSeeds());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  const std::string funding_quote = "The project received KRW 15.1 billion.";
  EXPECT_THAT(
      Summarise(FactsOf(*(*snapshot)->Find("fundings/project-grant"))),
      ElementsAre(
          FactSummary{
              "display_name", "display_name", "Project grant", {funding_quote}},
          FactSummary{"kind", "kind", "FUNDING_KIND_GRANT", {funding_quote}},
          FactSummary{"amount", "amount", "KRW 15100000000", {funding_quote}},
          FactSummary{"recipient",
                      "recipient",
                      "agreements/kaist-ku",
                      {funding_quote}}));
  const std::vector<v1::Fact> statistic =
      FactsOf(*(*snapshot)->Find("statistics/speakers"));
  ASSERT_EQ(statistic.size(), 4u);
  EXPECT_EQ(statistic[2].predicate(), "value");
  EXPECT_EQ(statistic[2].object().double_value(), 1.5);
  EXPECT_EQ(ObjectKey(statistic[2].object()), "1.5");
  // The document: name, citations and the content the loader fills are not
  // facts.
  std::vector<std::string> document_paths;
  for (const v1::Fact& fact :
       FactsOf(*(*snapshot)->Find("documents/article"))) {
    document_paths.push_back(fact.path());
  }
  EXPECT_THAT(document_paths, ElementsAre("display_name", "file_name", "sha256",
                                          "language", "size_bytes"));
}

TEST(FactsTest, ObjectKeyFormats) {
  v1::FactValue value;
  value.set_int_value(-12);
  EXPECT_EQ(ObjectKey(value), "-12");
  value.set_bool_value(true);
  EXPECT_EQ(ObjectKey(value), "true");
  value.set_bool_value(false);
  EXPECT_EQ(ObjectKey(value), "false");
  value.set_double_value(1200);
  EXPECT_EQ(ObjectKey(value), "1200");
  value.set_double_value(0.1);
  EXPECT_EQ(ObjectKey(value), "0.1");
  value.set_double_value(1e21);
  EXPECT_EQ(ObjectKey(value), "1e+21");
  value.set_enum_value("INSTITUTION_KIND_COMPANY");
  EXPECT_EQ(ObjectKey(value), "INSTITUTION_KIND_COMPANY");
  value.set_string_value("Café");
  EXPECT_EQ(ObjectKey(value), "Café");
  value.mutable_entity_value()->set_name("institutions/kaist");
  value.mutable_entity_value()->set_display_name("KAIST");
  EXPECT_EQ(ObjectKey(value), "institutions/kaist");

  const auto date = [](int year, int month, int day) {
    v1::Date d;
    d.set_year(year);
    d.set_month(month);
    d.set_day(day);
    return DateKey(d);
  };
  EXPECT_EQ(date(2025, 0, 0), "2025");
  EXPECT_EQ(date(2025, 7, 0), "2025-07");
  EXPECT_EQ(date(2025, 7, 18), "2025-07-18");
  EXPECT_EQ(date(0, 7, 0), "--07");
  EXPECT_EQ(date(0, 7, 18), "--07-18");
  EXPECT_EQ(date(0, 0, 8), "---08");
  EXPECT_EQ(date(2025, 0, 8), "2025--08");
  EXPECT_EQ(date(987, 1, 1), "0987-01-01");

  const auto money = [](const char* code, int64_t units, int32_t nanos) {
    v1::Money m;
    m.set_currency_code(code);
    m.set_units(units);
    m.set_nanos(nanos);
    return MoneyKey(m);
  };
  EXPECT_EQ(money("KRW", 15100000000, 0), "KRW 15100000000");
  EXPECT_EQ(money("USD", 1, 500000000), "USD 1.5");
  EXPECT_EQ(money("USD", 0, -250000000), "USD -0.25");
  EXPECT_EQ(money("USD", -3, -1), "USD -3.000000001");
  EXPECT_EQ(money("USD", INT64_MIN, 0), "USD -9223372036854775808");
}

TEST(FactPathTest, CitationPathsCoverFactPaths) {
  EXPECT_TRUE(PathCovers("display_name", "display_name"));
  EXPECT_FALSE(PathCovers("display_name", "display_names"));
  EXPECT_TRUE(PathCovers("roles", "roles[1].title"));
  EXPECT_TRUE(PathCovers("roles[1]", "roles[1].title"));
  EXPECT_FALSE(PathCovers("roles[1]", "roles[10].title"));
  EXPECT_TRUE(PathCovers("roles.title", "roles[2].title"));
  EXPECT_FALSE(PathCovers("roles.title", "roles[2].institution"));
  EXPECT_FALSE(PathCovers("roles[1].title", "roles[1]"));
  EXPECT_TRUE(PathCovers("aliases", "aliases[0]"));
}

TEST(FactPathTest, ParsesAndChecksCitationPaths) {
  const auto* person = v1::Person::descriptor();
  const auto steps = ParseFieldPath(person, "roles[1].institution");
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(FormatPath(*steps), "roles[1].institution");
  EXPECT_EQ(FormatPredicate(*steps), "roles.institution");
  EXPECT_EQ(ParseFieldPath(person, "roles[x]").status().message(),
            "field path \"roles[x]\" has a malformed index");
  EXPECT_EQ(ParseFieldPath(person, "display_name[0]").status().message(),
            "field path \"display_name[0]\" indexes \"display_name\", which is "
            "not repeated");
  EXPECT_EQ(ParseFieldPath(person, "roles.").status().message(),
            "field path \"roles.\" is malformed");
  EXPECT_EQ(ParseFieldPath(person, "").status().message(), "empty field path");

  v1::Person lee;
  lee.add_roles()->set_title("President");
  EXPECT_TRUE(
      CheckIndexesInRange(lee, *ParseFieldPath(person, "roles[0]")).ok());
  EXPECT_EQ(CheckIndexesInRange(lee, *ParseFieldPath(person, "roles[1].title"))
                .message(),
            "index 1 is out of range: \"roles\" has 1 element");
}

}  // namespace
}  // namespace factgraph::store
