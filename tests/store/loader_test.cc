#include "service/store/loader.h"

#include <filesystem>
#include <fstream>

#include "factgraph/v1/document.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/digest.h"
#include "tests/store/seeds_fixture.h"

namespace factgraph::store {
namespace {

using test_support::ManifestText;
using test_support::WriteSeeds;
using ::testing::ElementsAre;

using test_support::ErrorsOf;
using test_support::ErrorsOfKb;

constexpr char kKaist[] = R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  kind: INSTITUTION_KIND_UNIVERSITY
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind"]
  }
}
)";

TEST(LoaderTest, LoadsAValidKnowledgeBaseAndFillsOutputFields) {
  const std::string kb = std::string(kKaist) + R"(people {
  name: "people/lee-kwang-hyung"
  display_name: "Lee Kwang-hyung"
  roles { title: "President" institution { name: "institutions/kaist" } }
  citations {
    document: "documents/article"
    quote: "KAIST President Lee Kwang-hyung"
    field_paths: ["display_name", "roles"]
  }
  citations {
    document: "documents/article"
    quote: "signed a \"research cooperation agreement\" on November 7"
    field_paths: "roles[0].title"
  }
  citations {
    document: "documents/article"
    quote: "2023. KAIST President"
    field_paths: "display_name"
  }
}
)";
  std::vector<LoadError> errors;
  const auto snapshot =
      LoadSeeds(WriteSeeds({{"test.textproto", kb}}), &errors);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_TRUE(errors.empty());
  const auto* person = static_cast<const v1::Person*>(
      (*snapshot)->Find("people/lee-kwang-hyung"));
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->roles(0).institution().display_name(), "KAIST");
  // "KAIST President Lee Kwang-hyung" starts after "...2023.   ".
  EXPECT_EQ(person->citations(0).start_offset(), 92);
  EXPECT_EQ(person->citations(0).end_offset(), 123);
  // Typographic quotes and the line break compare loosely; the offsets
  // count the original code points (“ and ” are one each).
  EXPECT_EQ(person->citations(1).start_offset(), 27);
  EXPECT_EQ(person->citations(1).end_offset(), 82);
  // A quote over a run of spaces covers the whole run.
  EXPECT_EQ(person->citations(2).start_offset(), 84);
  EXPECT_EQ(person->citations(2).end_offset(), 107);
  const auto* document =
      static_cast<const v1::Document*>((*snapshot)->Find("documents/article"));
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->content(), test_support::kArticle);
}

TEST(LoaderTest, ReportsParseErrorsWithLineAndColumn) {
  EXPECT_THAT(
      ErrorsOfKb(
          "institutions {\n  name: \"institutions/kaist\"\n  colour: 1\n}\n"),
      ElementsAre("kb/test.textproto:3: parse error at column 9: Message type "
                  "\"factgraph.v1.Institution\" has no field named "
                  "\"colour\"."));
}

TEST(LoaderTest, ReportsDuplicateNamesWithTheFirstDefinition) {
  EXPECT_THAT(
      ErrorsOf(WriteSeeds({{"a.textproto", kKaist}, {"b.textproto", kKaist}})),
      ElementsAre("kb/b.textproto:2: duplicate name \"institutions/kaist\"; "
                  "first defined at kb/a.textproto:2"));
}

TEST(LoaderTest, ReportsNamesOutsideTheirCollection) {
  EXPECT_THAT(
      ErrorsOfKb("institutions {\n  name: \"people/kaist\"\n}\n"
                 "institutions {\n  name: \"institutions/KAIST\"\n}\n"
                 "institutions {\n  display_name: \"x\"\n}\n"),
      ElementsAre("kb/test.textproto:2: name \"people/kaist\" is not "
                  "\"institutions/<id>\" with an id of lowercase letters, "
                  "digits and '-'",
                  "kb/test.textproto:5: name \"institutions/KAIST\" is not "
                  "\"institutions/<id>\" with an id of lowercase letters, "
                  "digits and '-'",
                  "kb/test.textproto:7: resource has no name"));
}

TEST(LoaderTest, ReportsReferencesToUnknownEntities) {
  EXPECT_THAT(ErrorsOfKb(R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  kind: INSTITUTION_KIND_UNIVERSITY
  parent { name: "institutions/nowhere" }
  location { }
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind", "parent", "location"]
  }
}
)"),
              ElementsAre("kb/test.textproto:5: parent: reference to unknown "
                          "entity \"institutions/nowhere\"",
                          "kb/test.textproto:6: location: reference without "
                          "a name"));
}

TEST(LoaderTest, ReportsCitationProblems) {
  EXPECT_THAT(
      ErrorsOfKb(R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  kind: INSTITUTION_KIND_UNIVERSITY
  aliases: ["K", "L"]
  citations {
    document: "documents/missing"
    quote: "KAIST"
    field_paths: "display_name"
  }
  citations {
    document: "documents/article"
    quote: "KAIST and Seoul"
    field_paths: "kind"
  }
  citations {
    document: "documents/article"
    quote: "  "
    field_paths: ["aliases[2]", "colour", "display_name.x", "aliases[0]"]
  }
  citations {
    document: "institutions/kaist"
    quote: "KAIST"
    field_paths: "aliases"
  }
}
)"),
      ElementsAre("kb/test.textproto:7: citations[0]: unknown document "
                  "\"documents/missing\"",
                  "kb/test.textproto:13: citations[1]: quote not found in "
                  "documents/article: \"KAIST and Seoul\"",
                  "kb/test.textproto:18: citations[2]: empty quote",
                  "kb/test.textproto:19: citations[2]: field path "
                  "\"aliases[2]\": index 2 is out of range: \"aliases\" has 2 "
                  "elements",
                  "kb/test.textproto:19: citations[2]: field path \"colour\": "
                  "Institution has no field \"colour\"",
                  "kb/test.textproto:19: citations[2]: field path "
                  "\"display_name.x\" continues below a scalar field",
                  "kb/test.textproto:22: citations[3]: \"institutions/kaist\" "
                  "is not a document"));
}

TEST(LoaderTest, ReportsFieldsNoCitationCovers) {
  EXPECT_THAT(ErrorsOfKb(R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  kind: INSTITUTION_KIND_UNIVERSITY
  aliases: "Korea Advanced Institute"
  aliases: "KAIST"
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind", "aliases[1]"]
  }
}
people {
  name: "people/lee"
  display_name: "Lee"
  roles { title: "President" }
  roles { title: "Professor" }
  citations {
    document: "documents/article"
    quote: "President Lee"
    field_paths: ["display_name", "roles[0]"]
  }
}
people {
  name: "people/kim"
  display_name: "Kim"
}
)"),
              ElementsAre("kb/test.textproto:5: field \"aliases[0]\" is not "
                          "covered by any citation",
                          "kb/test.textproto:17: field \"roles[1].title\" is "
                          "not covered by any citation",
                          "kb/test.textproto:24: people/kim has no citation"));
}

TEST(LoaderTest, ReportsMalformedDates) {
  const auto event = [](const std::string& date) {
    return R"(events {
  name: "events/e"
  display_name: "E"
  kind: EVENT_KIND_SYMPOSIUM
  date { )" +
           date + R"( }
  citations {
    document: "documents/article"
    quote: "November 7, 2023"
    field_paths: ["display_name", "kind", "date"]
  }
}
)";
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"year: 2023 month: 13 precision: DATE_PRECISION_MONTH",
       "month 13 is not 1 to 12"},
      {"year: 2023 month: 2 day: 29 precision: DATE_PRECISION_DAY",
       "day 29 does not exist in month 2 of 2023"},
      {"month: 4 day: 31 precision: DATE_PRECISION_DAY",
       "day 31 does not exist in month 4"},
      {"day: 32 precision: DATE_PRECISION_DAY", "day 32 is not 1 to 31"},
      {"year: 10000 precision: DATE_PRECISION_YEAR",
       "year 10000 is not 1 to 9999"},
      {"year: 2023 month: 11", "precision must be set"},
      {"text: \"soon\"", "date has no year, month or day"},
      {"year: 2023 month: 11 precision: DATE_PRECISION_YEAR",
       "DATE_PRECISION_YEAR needs a year and no month or day"},
      {"year: 2023 precision: DATE_PRECISION_MONTH",
       "DATE_PRECISION_MONTH needs a month and no day"},
      {"year: 2023 month: 11 precision: DATE_PRECISION_DAY",
       "DATE_PRECISION_DAY needs a day"},
      {"year: 2024 precision: DATE_PRECISION_YEAR inferred: true",
       "an inferred date needs its inference"},
      {"year: 2024 precision: DATE_PRECISION_YEAR inference: \"last year\"",
       "inference given but inferred is false"},
  };
  for (const auto& [date, message] : cases) {
    EXPECT_THAT(ErrorsOfKb(event(date)),
                ElementsAre("kb/test.textproto:5: date: " + message))
        << date;
  }
  // Day-precision dates may lack the year or month ("on the 8th").
  std::vector<LoadError> errors;
  EXPECT_TRUE(
      LoadSeeds(WriteSeeds({{"test.textproto", event("day: 8 precision: "
                                                     "DATE_PRECISION_DAY")}}),
                &errors)
          .ok());
}

TEST(LoaderTest, ReportsMalformedMoney) {
  const auto funding = [](const std::string& money) {
    return R"(fundings {
  name: "fundings/f"
  display_name: "F"
  kind: FUNDING_KIND_GRANT
  amount { )" +
           money + R"( }
  stated_equivalents { currency_code: "USD" units: 11 text: "USD 11" }
  citations {
    document: "documents/article"
    quote: "KRW 15.1 billion"
    field_paths: ["display_name", "kind", "amount", "stated_equivalents"]
  }
}
)";
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"currency_code: \"krw\" units: 1 text: \"1\"",
       "currency_code \"krw\" is not three upper-case letters"},
      {"currency_code: \"KRWX\" units: 1 text: \"1\"",
       "currency_code \"KRWX\" is not three upper-case letters"},
      {"currency_code: \"KRW\" units: 1 nanos: 1000000000 text: \"1\"",
       "nanos 1000000000 is not below 10^9 in size"},
      {"currency_code: \"KRW\" units: 1 nanos: -5 text: \"1\"",
       "nanos and units have different signs"},
      {"currency_code: \"KRW\" units: 15100000000",
       "text must give the amount as written"},
  };
  for (const auto& [money, message] : cases) {
    EXPECT_THAT(ErrorsOfKb(funding(money)),
                ElementsAre("kb/test.textproto:5: amount: " + message))
        << money;
  }
}

TEST(LoaderTest, ReportsUnsetKind) {
  EXPECT_THAT(ErrorsOfKb(R"(institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name"]
  }
}
)"),
              ElementsAre("kb/test.textproto:1: kind must be set"));
}

TEST(LoaderTest, ReportsDocumentFileProblems) {
  std::string manifest = ManifestText();
  const size_t sha = manifest.find("sha256: \"") + 9;
  manifest.replace(sha, 4, "0000");
  const size_t size = manifest.find("size_bytes: ") + 12;
  manifest.insert(size, "1");
  const std::string dir = WriteSeeds({{"test.textproto", kKaist}}, &manifest);
  const std::string declared = manifest.substr(sha, 64);
  EXPECT_THAT(
      ErrorsOf(dir),
      ElementsAre("documents.textproto:5: sha256 of documents/article.txt "
                  "is " +
                      Sha256Hex(test_support::kArticle) +
                      ", the manifest says \"" + declared + "\"",
                  "documents.textproto:6: size of documents/article.txt is "
                  "249 bytes, the manifest says 1249"));

  std::filesystem::remove(std::filesystem::path(dir) / "documents" /
                          "article.txt");
  EXPECT_THAT(ErrorsOf(dir), ElementsAre("documents.textproto:4: document file "
                                         "documents/article.txt not found"));

  std::string escaping = ManifestText();
  escaping.replace(escaping.find("\"article.txt\""), 13, "\"../secret\"");
  EXPECT_THAT(ErrorsOf(WriteSeeds({}, &escaping)),
              ElementsAre("documents.textproto:4: file_name \"../secret\" "
                          "must be a plain file name inside documents/"));
}

TEST(LoaderTest, ManifestHoldsOnlyDocuments) {
  const std::string manifest = ManifestText(kKaist);
  EXPECT_THAT(ErrorsOf(WriteSeeds({}, &manifest)),
              ElementsAre("documents.textproto:14: the manifest holds only "
                          "documents; institutions belong in kb/"));
}

TEST(LoaderTest, ReportsEveryProblemSortedByFileAndLine) {
  const std::string status_message =
      LoadSeeds(WriteSeeds({{"b.textproto", kKaist},
                            {"a.textproto",
                             "institutions {\n  name: \"institutions/x\"\n  "
                             "parent { name: \"institutions/y\" }\n}\n"}}))
          .status()
          .ToString();
  EXPECT_THAT(status_message,
              ::testing::HasSubstr(" has 3 problems:\n"
                                   "kb/a.textproto:1: kind must be set\n"
                                   "kb/a.textproto:1: institutions/x has no "
                                   "citation\n"
                                   "kb/a.textproto:3: parent: reference to "
                                   "unknown entity \"institutions/y\""));
}

TEST(LoaderTest, MissingSeedsDirectory) {
  EXPECT_THAT(ErrorsOf("/nonexistent/seeds"),
              ElementsAre("/nonexistent/seeds: not a directory"));
}

}  // namespace
}  // namespace factgraph::store
