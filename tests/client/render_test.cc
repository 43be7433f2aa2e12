#include "client/cli/render.h"

#include <sstream>

#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace factgraph::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

template <typename T>
T FromText(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message));
  return message;
}

TEST(FormatDateTest, ShowsOnlyWhatIsKnown) {
  EXPECT_EQ(FormatDate(FromText<v1::Date>(
                "year: 2025 month: 11 day: 7 precision: DATE_PRECISION_DAY")),
            "2025-11-07");
  EXPECT_EQ(FormatDate(FromText<v1::Date>(
                "year: 2004 precision: DATE_PRECISION_YEAR")),
            "2004");
  EXPECT_EQ(FormatDate(FromText<v1::Date>(
                "year: 2024 month: 7 precision: DATE_PRECISION_MONTH")),
            "July 2024");
  EXPECT_EQ(
      FormatDate(FromText<v1::Date>("day: 8 precision: DATE_PRECISION_DAY")),
      "the 8th");
  EXPECT_EQ(FormatDate(FromText<v1::Date>(
                "month: 7 day: 18 precision: DATE_PRECISION_DAY")),
            "July 18");
  EXPECT_EQ(
      FormatDate(FromText<v1::Date>("day: 22 precision: DATE_PRECISION_DAY")),
      "the 22nd");
  EXPECT_EQ(FormatDate(FromText<v1::Date>(
                "year: 2024 month: 7 day: 18 precision: DATE_PRECISION_DAY "
                "inferred: true inference: \"last year\"")),
            "2024-07-18 (inferred)");
}

TEST(FormatMoneyTest, TextBesideTheExactValue) {
  EXPECT_EQ(FormatMoney(
                FromText<v1::Money>("currency_code: \"KRW\" units: 15100000000 "
                                    "text: \"KRW 15.1 billion\"")),
            "KRW 15.1 billion (KRW 15100000000)");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>(
                "currency_code: \"USD\" units: 7700000000 text: \"USD 7.7 "
                "billion\" qualifier: MONEY_QUALIFIER_MORE_THAN")),
            "USD 7.7 billion (USD 7700000000, more than)");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>(
                "currency_code: \"USD\" units: 2 nanos: 500000000")),
            "USD 2.5");
  EXPECT_EQ(FormatMoney(FromText<v1::Money>(
                "currency_code: \"USD\" units: 0 nanos: -250000000")),
            "USD -0.25");
}

TEST(FormatFactValueTest, EveryKind) {
  EXPECT_EQ(FormatFactValue(FromText<v1::FactValue>("string_value: \"x\"")),
            "x");
  EXPECT_EQ(FormatFactValue(FromText<v1::FactValue>("int_value: -3")), "-3");
  EXPECT_EQ(FormatFactValue(FromText<v1::FactValue>("double_value: 1.5")),
            "1.5");
  EXPECT_EQ(FormatFactValue(FromText<v1::FactValue>("bool_value: true")),
            "true");
  EXPECT_EQ(FormatFactValue(FromText<v1::FactValue>("enum_value: \"A_B\"")),
            "A_B");
  EXPECT_EQ(FormatFactValue(FromText<v1::FactValue>(
                "entity_value { name: \"institutions/kaist\" display_name: "
                "\"KAIST\" }")),
            "institutions/kaist (KAIST)");
  EXPECT_EQ(FormatFactValue(v1::FactValue()), "");
}

TEST(FlattenFieldsTest, NestedMessagesByPathSharedTypesAsOneValue) {
  const auto person = FromText<v1::Person>(R"pb(
    name: "people/lee-kwang-hyung"
    display_name: "Lee Kwang-hyung"
    aliases: "Kwang-Hyung Lee"
    aliases: "이광형"
    roles {
      title: "President"
      institution { name: "institutions/kaist" display_name: "KAIST" }
    }
    citations {
      document: "documents/d"
      quote: "KAIST President Lee Kwang-hyung"
      field_paths: "display_name"
      field_paths: "roles"
    }
  )pb");
  EXPECT_THAT(
      FlattenFields(person),
      ElementsAre(Pair("name", "people/lee-kwang-hyung"),
                  Pair("display_name", "Lee Kwang-hyung"),
                  Pair("aliases[0]", "Kwang-Hyung Lee"),
                  Pair("aliases[1]", "이광형"),
                  Pair("roles[0].title", "President"),
                  Pair("roles[0].institution", "institutions/kaist (KAIST)"),
                  Pair("citations[0]",
                       "documents/d: \"KAIST President Lee Kwang-hyung\" "
                       "[display_name, roles]")));
}

TEST(FormatCitationTest, CuratedCitationsAreMarkedWithTheirNote) {
  EXPECT_EQ(FormatCitation(FromText<v1::Citation>(
                "kind: CITATION_KIND_STATED document: \"documents/d\" "
                "quote: \"KAIST and KU\" field_paths: \"display_name\"")),
            "documents/d: \"KAIST and KU\" [display_name]");
  EXPECT_EQ(FormatCitation(FromText<v1::Citation>(
                "kind: CITATION_KIND_CURATED note: \"Korean name\" "
                "reference: \"https://www.kaist.ac.kr\" "
                "field_paths: \"aliases[1]\"")),
            "CURATED, no article states it: Korean name [aliases[1]] "
            "(see https://www.kaist.ac.kr)");
  EXPECT_EQ(FormatCitation(FromText<v1::Citation>(
                "kind: CITATION_KIND_CURATED note: \"year inferred\" "
                "document: \"documents/d\" quote: \"on July 18\" "
                "field_paths: \"date\"")),
            "CURATED, no article states it: year inferred [date] context "
            "documents/d: \"on July 18\"");
  EXPECT_EQ(FormatFactKind(v1::CITATION_KIND_STATED), "stated");
  EXPECT_EQ(FormatFactKind(v1::CITATION_KIND_CURATED), "CURATED");
}

TEST(FormatFieldTest, EnumsByValueName) {
  const auto institution =
      FromText<v1::Institution>("kind: INSTITUTION_KIND_HOSPITAL");
  EXPECT_EQ(
      FormatField(institution,
                  v1::Institution::descriptor()->FindFieldByName("kind"), -1),
      "INSTITUTION_KIND_HOSPITAL");
}

TEST(DisplayWidthTest, HangulIsWide) {
  EXPECT_EQ(DisplayWidth("KAIST"), 5);
  EXPECT_EQ(DisplayWidth("이광형"), 6);
  EXPECT_EQ(DisplayWidth("é"), 1);
  EXPECT_EQ(FitToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(FitToWidth("이광형", 5), "이광…");
  EXPECT_EQ(FitToWidth("a\nb", 10), "a b");
}

TEST(TableTest, AlignsByDisplayWidthAndDropsEmptyColumns) {
  Table table({"NAME", "EMPTY", "LABEL"});
  table.AddRow({"people/a", "", "이광형"});
  table.AddRow({"people/bb", "", "Lee"});
  table.DropEmptyColumns();
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "NAME       LABEL\n"
            "people/a   이광형\n"
            "people/bb  Lee\n");
}

TEST(TableTest, FitsTheTerminalNeverCuttingTheFirstColumnOrHeaders) {
  Table table({"NAME", "DESCRIPTION", "KIND", "WHERE"});
  table.AddRow({"agreements/a-very-long-resource-name-that-must-stay-whole",
                "a description much longer than the room it gets", "MOU",
                "Seoul"});
  std::ostringstream fitted;
  table.Print(fitted, 90);
  EXPECT_EQ(fitted.str(),
            "NAME                                                       "
            "DESCRIPTION         KIND  WHERE\n"
            "agreements/a-very-long-resource-name-that-must-stay-whole  a "
            "description muc…  MOU   Seoul\n");
  // Too narrow even for cut columns: the last ones go.
  std::ostringstream narrow;
  table.Print(narrow, 60);
  EXPECT_EQ(
      narrow.str(),
      "NAME                                                       DESCRIPTION\n"
      "agreements/a-very-long-resource-name-that-must-stay-whole  a "
      "descript…\n");
  std::ostringstream unlimited;
  table.Print(unlimited, 0);
  EXPECT_NE(unlimited.str().find("a description much longer than the room "
                                 "it gets  MOU"),
            std::string::npos);
}

TEST(ShortEnumNameTest, DropsTheTypePrefix) {
  EXPECT_EQ(ShortEnumName(*v1::InstitutionKind_descriptor()->FindValueByName(
                "INSTITUTION_KIND_UNIVERSITY")),
            "UNIVERSITY");
  EXPECT_EQ(ShortEnumName(*v1::DatePrecision_descriptor()->FindValueByName(
                "DATE_PRECISION_DAY")),
            "DAY");
}

TEST(PrintJsonTest, ProtoJsonMappingOnOneLine) {
  std::ostringstream out;
  ASSERT_TRUE(
      PrintJson(FromText<v1::Institution>(
                    "name: \"institutions/kaist\" display_name: \"KAIST\" "
                    "kind: INSTITUTION_KIND_UNIVERSITY"),
                out)
          .ok());
  EXPECT_EQ(out.str(),
            "{\"name\":\"institutions/kaist\",\"displayName\":\"KAIST\","
            "\"kind\":\"INSTITUTION_KIND_UNIVERSITY\"}\n");
}

}  // namespace
}  // namespace factgraph::cli
