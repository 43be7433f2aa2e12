#include "service/query/filter.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/person.pb.h"
#include "factgraph/v1/statistic.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/support/param_name.h"

namespace factgraph::query {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::Message;

template <typename T>
T Parse(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

std::vector<v1::Agreement> Agreements() {
  return {
      Parse<v1::Agreement>(R"pb(
        name: "agreements/ku-kaist"
        display_name: "KU–KAIST research cooperation agreement"
        aliases: "KU-KAIST MOU"
        kind: AGREEMENT_KIND_COOPERATION_AGREEMENT
        parties { name: "institutions/ku" }
        parties { name: "institutions/kaist" }
        signed_date {
          year: 2024
          month: 11
          day: 7
          precision: DATE_PRECISION_DAY
        }
        place { name: "institutions/seoul" }
        scope_areas: "AI"
        scope_areas: "Bio health"
        citations { kind: CITATION_KIND_STATED field_paths: "display_name" }
      )pb"),
      Parse<v1::Agreement>(R"pb(
        name: "agreements/kaist-moderna"
        display_name: "KAIST–Moderna partnership"
        kind: AGREEMENT_KIND_PARTNERSHIP
        citations { kind: CITATION_KIND_STATED field_paths: "display_name" }
        citations { kind: CITATION_KIND_CURATED field_paths: "kind" }
        parties { name: "institutions/kaist" }
        parties { name: "institutions/moderna" }
        signed_date { year: 2023 precision: DATE_PRECISION_YEAR }
        scope_areas: "mRNA vaccines"
      )pb"),
      Parse<v1::Agreement>(R"pb(
        name: "agreements/ku-hospital-tenancy"
        display_name: "고려대 병원 입주"
        kind: AGREEMENT_KIND_TENANCY
        parties { name: "institutions/ku-hospital" }
        predecessor { name: "agreements/ku-kaist" }
      )pb"),
  };
}

// Names of the fixture agreements the filter matches.
std::vector<std::string> MatchingAgreements(const std::string& filter) {
  absl::StatusOr<Filter> parsed =
      Filter::Parse(filter, *v1::Agreement::descriptor());
  EXPECT_TRUE(parsed.ok()) << filter << ": " << parsed.status();
  std::vector<std::string> names;
  if (!parsed.ok()) return names;
  for (const v1::Agreement& agreement : Agreements()) {
    if (parsed->Matches(agreement)) names.push_back(agreement.name());
  }
  return names;
}

const std::string kKuKaist = "agreements/ku-kaist";
const std::string kModerna = "agreements/kaist-moderna";
const std::string kTenancy = "agreements/ku-hospital-tenancy";
using Names = std::vector<std::string>;

TEST(FilterTest, EmptyFilterMatchesEverything) {
  EXPECT_EQ(MatchingAgreements(""), (Names{kKuKaist, kModerna, kTenancy}));
  EXPECT_EQ(MatchingAgreements("  \t "), (Names{kKuKaist, kModerna, kTenancy}));
  absl::StatusOr<Filter> filter =
      Filter::Parse("", *v1::Agreement::descriptor());
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->empty());
}

// docs/provenance.md: List keeps resources by the kinds of their citations.
TEST(FilterTest, CitationKindsSelectResourcesWithCuratedValues) {
  EXPECT_EQ(MatchingAgreements("citations.kind = CITATION_KIND_CURATED"),
            (Names{kModerna}));
  EXPECT_EQ(MatchingAgreements("NOT citations.kind = CITATION_KIND_CURATED"),
            (Names{kKuKaist, kTenancy}));
}

TEST(FilterTest, EnumsByFullAndShortName) {
  EXPECT_EQ(MatchingAgreements("kind = PARTNERSHIP"), (Names{kModerna}));
  EXPECT_EQ(MatchingAgreements("kind = AGREEMENT_KIND_TENANCY"),
            (Names{kTenancy}));
  EXPECT_EQ(MatchingAgreements("kind != PARTNERSHIP"),
            (Names{kKuKaist, kTenancy}));
  EXPECT_EQ(MatchingAgreements("kind:\"COOPERATION_AGREEMENT\""),
            (Names{kKuKaist}));
}

TEST(FilterTest, ReferencesCompareTheirName) {
  EXPECT_EQ(MatchingAgreements("parties:\"institutions/kaist\""),
            (Names{kKuKaist, kModerna}));
  EXPECT_EQ(MatchingAgreements("parties = institutions/kaist"),
            (Names{kKuKaist, kModerna}));
  EXPECT_EQ(MatchingAgreements("parties.name = \"institutions/moderna\""),
            (Names{kModerna}));
  // `:` on a reference is equality, not a substring test.
  EXPECT_EQ(MatchingAgreements("parties:\"institutions/ku\""),
            (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("predecessor = \"agreements/ku-kaist\""),
            (Names{kTenancy}));
  // != is NOT =: unset references and lists without the name qualify.
  EXPECT_EQ(MatchingAgreements("predecessor != \"agreements/ku-kaist\""),
            (Names{kKuKaist, kModerna}));
  EXPECT_EQ(MatchingAgreements("parties != \"institutions/kaist\""),
            (Names{kTenancy}));
}

TEST(FilterTest, DatesCompareOnTheLiteralsComponents) {
  EXPECT_EQ(MatchingAgreements("signed_date = 2024"), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("signed_date = 2024-11-07"), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("signed_date = \"2024-11\""), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("signed_date >= 2024-11"), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("signed_date < 2024"), (Names{kModerna}));
  EXPECT_EQ(MatchingAgreements("signed_date <= 2024-11-06"), (Names{kModerna}));
  // The month of the 2023 date is unknown: no month comparison holds.
  EXPECT_EQ(MatchingAgreements("signed_date < 2023-05"), (Names{}));
  EXPECT_EQ(MatchingAgreements("signed_date > 2023-05"), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("signed_date.year = 2023"), (Names{kModerna}));
  EXPECT_EQ(MatchingAgreements("signed_date.year > 2000"),
            (Names{kKuKaist, kModerna}));
  EXPECT_EQ(MatchingAgreements("signed_date.precision = DATE_PRECISION_YEAR"),
            (Names{kModerna}));
}

TEST(FilterTest, PresenceAndNegation) {
  EXPECT_EQ(MatchingAgreements("signed_date:*"), (Names{kKuKaist, kModerna}));
  EXPECT_EQ(MatchingAgreements("NOT signed_date:*"), (Names{kTenancy}));
  EXPECT_EQ(MatchingAgreements("-signed_date:*"), (Names{kTenancy}));
  EXPECT_EQ(MatchingAgreements("aliases:*"), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("description:*"), (Names{}));
  EXPECT_EQ(MatchingAgreements("kind:*"),
            (Names{kKuKaist, kModerna, kTenancy}));
  EXPECT_EQ(MatchingAgreements("NOT (kind = PARTNERSHIP OR kind = TENANCY)"),
            (Names{kKuKaist}));
}

TEST(FilterTest, Strings) {
  EXPECT_EQ(MatchingAgreements("scope_areas:\"bio\""), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("scope_areas:RNA"), (Names{kModerna}));
  EXPECT_EQ(MatchingAgreements("scope_areas = \"AI\""), (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements("scope_areas = \"ai\""), (Names{}));
  EXPECT_EQ(MatchingAgreements("display_name:\"병원\""), (Names{kTenancy}));
  EXPECT_EQ(MatchingAgreements("display_name < \"KB\""), (Names{kModerna}));
  EXPECT_EQ(MatchingAgreements("name = 'agreements/ku-kaist'"),
            (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements(R"(aliases = "KU-KAIST MOU")"),
            (Names{kKuKaist}));
  EXPECT_EQ(MatchingAgreements(R"(display_name != "x\"y\\z")"),
            (Names{kKuKaist, kModerna, kTenancy}));
}

TEST(FilterTest, OrBindsTighterThanAnd) {
  // AIP-160: a OR b AND c is (a OR b) AND c.
  EXPECT_EQ(MatchingAgreements("kind = PARTNERSHIP OR kind = TENANCY AND "
                               "parties:\"institutions/ku-hospital\""),
            (Names{kTenancy}));
  EXPECT_EQ(MatchingAgreements("parties:\"institutions/ku-hospital\" AND "
                               "kind = PARTNERSHIP OR kind = TENANCY"),
            (Names{kTenancy}));
  EXPECT_EQ(MatchingAgreements("(kind = PARTNERSHIP AND signed_date:*) OR "
                               "kind = TENANCY"),
            (Names{kModerna, kTenancy}));
  // Juxtaposition is AND.
  EXPECT_EQ(MatchingAgreements("kind = PARTNERSHIP "
                               "parties:\"institutions/moderna\""),
            (Names{kModerna}));
  EXPECT_EQ(
      MatchingAgreements("kind = PARTNERSHIP parties:\"institutions/ku\""),
      (Names{}));
  EXPECT_EQ(MatchingAgreements("((((kind=PARTNERSHIP))))"), (Names{kModerna}));
}

TEST(FilterTest, NestedRepeatedFieldsMatchAnyElement) {
  const v1::Person person = Parse<v1::Person>(R"pb(
    name: "people/lee"
    roles {
      title: "President"
      institution { name: "institutions/kaist" }
    }
    roles {
      title: "Professor"
      institution { name: "institutions/kaist-bio" }
      former: true
      as_of { year: 2019 }
    }
  )pb");
  const Descriptor& descriptor = *v1::Person::descriptor();
  auto matches = [&](const std::string& text) {
    absl::StatusOr<Filter> filter = Filter::Parse(text, descriptor);
    EXPECT_TRUE(filter.ok()) << filter.status();
    return filter.ok() && filter->Matches(person);
  };
  EXPECT_TRUE(matches("roles.institution = \"institutions/kaist\""));
  EXPECT_TRUE(matches("roles.institution = \"institutions/kaist-bio\""));
  EXPECT_FALSE(matches("roles.institution = \"institutions/ku\""));
  EXPECT_TRUE(matches("roles.former = true"));
  EXPECT_TRUE(matches("roles.former = false"));
  EXPECT_TRUE(matches("roles.as_of.year = 2019"));
  EXPECT_TRUE(matches("roles.as_of = 2019"));
  EXPECT_FALSE(matches("roles.as_of.year = 0"));  // Unset date: no value.
  EXPECT_TRUE(matches("roles.title:\"profess\""));
  EXPECT_TRUE(matches("roles:*"));
  EXPECT_FALSE(matches("aliases:*"));
}

TEST(FilterTest, Numbers) {
  const v1::Funding funding = Parse<v1::Funding>(R"pb(
    name: "fundings/x"
    amount { currency_code: "KRW" units: 15100000000 text: "KRW 15.1 billion" }
  )pb");
  const v1::Statistic statistic =
      Parse<v1::Statistic>(R"pb(
        name: "statistics/x" value: 1200 value_max: 0.25
      )pb");
  auto matches = [](const std::string& text, const Message& message) {
    absl::StatusOr<Filter> filter =
        Filter::Parse(text, *message.GetDescriptor());
    EXPECT_TRUE(filter.ok()) << filter.status();
    return filter.ok() && filter->Matches(message);
  };
  EXPECT_TRUE(matches("amount.units > 15000000000", funding));
  EXPECT_FALSE(matches("amount.units < 15000000000", funding));
  EXPECT_TRUE(matches("amount.units = 15100000000", funding));
  EXPECT_TRUE(matches("amount.units >= 1.51e10", funding));
  EXPECT_TRUE(matches("amount.units < 15100000000.5", funding));
  EXPECT_TRUE(matches("amount.nanos = 0", funding));
  EXPECT_TRUE(matches("amount.currency_code = KRW", funding));
  EXPECT_TRUE(matches("amount:*", funding));
  EXPECT_FALSE(matches("stated_equivalents:*", funding));
  EXPECT_TRUE(matches("value = 1200", statistic));
  EXPECT_TRUE(matches("value >= 1199.5", statistic));
  EXPECT_TRUE(matches("value_max = 0.25", statistic));
  EXPECT_TRUE(matches("value_max > -1", statistic));
  EXPECT_FALSE(matches("value_max:*", v1::Statistic()));
}

TEST(FilterTest, IndexableTerms) {
  absl::StatusOr<Filter> filter = Filter::Parse(
      "parties:\"institutions/kaist\" AND kind = PARTNERSHIP AND "
      "place.name = \"institutions/seoul\" AND "
      "name = \"agreements/x\" AND (predecessor = \"agreements/y\" "
      "OR kind = TENANCY) AND NOT parties = \"institutions/z\"",
      *v1::Agreement::descriptor());
  ASSERT_TRUE(filter.ok()) << filter.status();
  const auto& terms = filter->indexable_terms();
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0].kind, IndexableTerm::Kind::kReference);
  EXPECT_EQ(terms[0].predicate, "parties");
  EXPECT_EQ(terms[0].name, "institutions/kaist");
  EXPECT_EQ(terms[1].kind, IndexableTerm::Kind::kReference);
  EXPECT_EQ(terms[1].predicate, "place");
  EXPECT_EQ(terms[1].name, "institutions/seoul");
  EXPECT_EQ(terms[2].kind, IndexableTerm::Kind::kName);
  EXPECT_EQ(terms[2].name, "agreements/x");
  EXPECT_FALSE(filter->answered_by_index());

  absl::StatusOr<Filter> single = Filter::Parse(
      "roles.institution = \"institutions/kaist\"", *v1::Person::descriptor());
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(single->indexable_terms().size(), 1u);
  EXPECT_EQ(single->indexable_terms()[0].predicate, "roles.institution");
  EXPECT_TRUE(single->answered_by_index());

  absl::StatusOr<Filter> either = Filter::Parse(
      "parties = \"institutions/a\" OR parties = \"institutions/b\"",
      *v1::Agreement::descriptor());
  ASSERT_TRUE(either.ok());
  EXPECT_TRUE(either->indexable_terms().empty());
  EXPECT_FALSE(either->answered_by_index());

  // Only a filter that is nothing but its indexable term is answered by the
  // index alone.
  for (const char* text :
       {"parties = \"institutions/a\" AND kind = PARTNERSHIP",
        "NOT parties = \"institutions/a\"", "kind = PARTNERSHIP",
        "parties != \"institutions/a\"", ""}) {
    absl::StatusOr<Filter> other =
        Filter::Parse(text, *v1::Agreement::descriptor());
    ASSERT_TRUE(other.ok()) << text;
    EXPECT_FALSE(other->answered_by_index()) << text;
  }
  for (const char* text :
       {"parties:\"institutions/a\"", "name = \"agreements/x\"",
        "place.name = \"institutions/seoul\"",
        "( parties = \"institutions/a\" )"}) {
    absl::StatusOr<Filter> indexed =
        Filter::Parse(text, *v1::Agreement::descriptor());
    ASSERT_TRUE(indexed.ok()) << text;
    EXPECT_TRUE(indexed->answered_by_index()) << text;
  }
}

struct ErrorCase {
  std::string filter;
  absl::StatusCode code;
  std::string message;
};

void PrintTo(const ErrorCase& error_case, std::ostream* os) {
  ::factgraph::test_support::PrintParamText(error_case.filter, os);
}

class FilterErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(FilterErrorTest, SaysWhatAndWhere) {
  const ErrorCase& c = GetParam();
  absl::StatusOr<Filter> filter =
      Filter::Parse(c.filter, *v1::Agreement::descriptor());
  ASSERT_FALSE(filter.ok()) << c.filter;
  EXPECT_EQ(filter.status().code(), c.code) << c.filter;
  EXPECT_EQ(filter.status().message(), c.message) << c.filter;
}

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kOutOfRange = absl::StatusCode::kOutOfRange;

INSTANTIATE_TEST_SUITE_P(
    Errors, FilterErrorTest,
    ::testing::Values(
        ErrorCase{"foo = 1", kInvalid,
                  "filter: unknown field \"foo\" of factgraph.v1.Agreement at "
                  "position 1"},
        ErrorCase{"kind = PARTNERSHIP AND foo = 1", kInvalid,
                  "filter: unknown field \"foo\" of factgraph.v1.Agreement at "
                  "position 24"},
        ErrorCase{"display_name = \"고려대\" AND foo = 1", kInvalid,
                  "filter: unknown field \"foo\" of factgraph.v1.Agreement at "
                  "position 26"},
        ErrorCase{"signed_date.foo = 1", kInvalid,
                  "filter: unknown field \"foo\" of factgraph.v1.Date at "
                  "position 13"},
        ErrorCase{"kind.foo = 1", kInvalid,
                  "filter: field \"kind\" of factgraph.v1.Agreement is an enum "
                  "and has no field \"foo\" at position 6"},
        ErrorCase{"kind. = 1", kInvalid,
                  "filter: expected a field name at position 6"},
        ErrorCase{"kind = ", kInvalid,
                  "filter: expected a value after \"=\" at position 8"},
        ErrorCase{"kind = PARTNERSHIP AND parties = )", kInvalid,
                  "filter: expected a value after \"=\" at position 34"},
        ErrorCase{"kind", kInvalid,
                  "filter: expected a comparator (=, !=, <, <=, >, >= or :) "
                  "after \"kind\" at position 5"},
        ErrorCase{"kind ~ 1", kInvalid,
                  "filter: expected a comparator (=, !=, <, <=, >, >= or :) "
                  "after \"kind\" at position 6"},
        ErrorCase{"kind = BLUE", kInvalid,
                  "filter: field \"kind\" is an enum: \"BLUE\" is not a value "
                  "of factgraph.v1.AgreementKind at position 8"},
        ErrorCase{"kind = 1", kInvalid,
                  "filter: field \"kind\" is an enum: \"1\" is not a value of "
                  "factgraph.v1.AgreementKind at position 8"},
        ErrorCase{"kind < PARTNERSHIP", kInvalid,
                  "filter: field \"kind\" is an enum: \"<\" is not defined on "
                  "it; use = or != at position 6"},
        ErrorCase{"signed_date = 2024-13", kInvalid,
                  "filter: field \"signed_date\" is a date: \"2024-13\" is not "
                  "a date (YYYY, YYYY-MM or YYYY-MM-DD) at position 15"},
        ErrorCase{"signed_date = 24", kInvalid,
                  "filter: field \"signed_date\" is a date: \"24\" is not a "
                  "date (YYYY, YYYY-MM or YYYY-MM-DD) at position 15"},
        ErrorCase{"signed_date.year = abc", kInvalid,
                  "filter: field \"signed_date.year\" is an integer: \"abc\" "
                  "is not a number at position 20"},
        ErrorCase{"signed_date.year = 99999999999999999999", kInvalid,
                  "filter: field \"signed_date.year\" is an integer: "
                  "\"99999999999999999999\" is out of range at position 20"},
        ErrorCase{"signed_date.inferred = yes", kInvalid,
                  "filter: field \"signed_date.inferred\" is a boolean: "
                  "\"yes\" is not true or false at position 24"},
        ErrorCase{"signed_date.inferred > false", kInvalid,
                  "filter: field \"signed_date.inferred\" is a boolean: \">\" "
                  "is not defined on it; use = or != at position 22"},
        ErrorCase{"citations = 5", kInvalid,
                  "filter: field \"citations\" is a message: only "
                  "\"citations:*\" can test it; compare one of its fields, "
                  "e.g. \"citations.document\" at position 11"},
        ErrorCase{"(kind = PARTNERSHIP", kInvalid,
                  "filter: expected \")\" at position 20 to close the \"(\" at "
                  "position 1"},
        ErrorCase{"kind = PARTNERSHIP)", kInvalid,
                  "filter: unbalanced \")\" at position 19"},
        ErrorCase{"()", kInvalid, "filter: empty parentheses at position 2"},
        ErrorCase{"kind = \"abc", kInvalid,
                  "filter: unterminated string starting at position 8"},
        ErrorCase{"display_name = \"a\\qb\"", kInvalid,
                  "filter: unknown escape \"\\q\" at position 18"},
        ErrorCase{
            "kind = PARTNERSHIP AND", kInvalid,
            "filter: expected a restriction after \"AND\" at position 23"},
        ErrorCase{"kind = PARTNERSHIP OR )", kInvalid,
                  "filter: expected a restriction after \"OR\" at position 23"},
        ErrorCase{"NOT", kInvalid,
                  "filter: expected a restriction after \"NOT\" at position 4"},
        ErrorCase{"= 5", kInvalid,
                  "filter: expected a field name at position 1"},
        ErrorCase{"kind = AND", kInvalid,
                  "filter: expected a value after \"=\" at position 8"},
        ErrorCase{"kind = PARTNERSHIP \"x\"", kInvalid,
                  "filter: expected a field name at position 20"},
        ErrorCase{std::string(2049, 'a'), kOutOfRange,
                  "filter: 2049 characters long, more than the limit of 2048"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) {
      return ::factgraph::test_support::ParamName(info.index,
                                                  info.param.filter);
    });

TEST(FilterLimitsTest, TenThousandParenthesesFailCleanly) {
  // Over the length limit first ...
  absl::StatusOr<Filter> filter = Filter::Parse(
      std::string(10000, '(') + "kind = PARTNERSHIP" + std::string(10000, ')'),
      *v1::Agreement::descriptor());
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(filter.status().message(),
            "filter: 20018 characters long, more than the limit of 2048");
  // ... and with no length limit, the nesting limit stops the parser before
  // it recurses any deeper.
  FilterLimits limits;
  limits.max_length = 1000000;
  filter = Filter::Parse(
      std::string(10000, '(') + "kind = PARTNERSHIP" + std::string(10000, ')'),
      *v1::Agreement::descriptor(), limits);
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(filter.status().message(),
            "filter: parentheses nested deeper than 32 at position 33");
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT (";
  filter = Filter::Parse(nots, *v1::Agreement::descriptor(), limits);
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.status().message(),
            "filter: parentheses nested deeper than 32 at position 165");
}

TEST(FilterLimitsTest, ThirtyTwoLevelsAreAllowed) {
  const std::string inner = "kind = PARTNERSHIP";
  absl::StatusOr<Filter> filter =
      Filter::Parse(std::string(32, '(') + inner + std::string(32, ')'),
                    *v1::Agreement::descriptor());
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_TRUE(filter->Matches(Agreements()[1]));
  EXPECT_FALSE(filter->Matches(Agreements()[0]));
  filter = Filter::Parse(std::string(33, '(') + inner + std::string(33, ')'),
                         *v1::Agreement::descriptor());
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kOutOfRange);
}

TEST(FilterLimitsTest, TermLimit) {
  std::string text = "kind = PARTNERSHIP";
  for (int i = 1; i < 64; ++i) text += " OR kind = PARTNERSHIP";
  EXPECT_TRUE(Filter::Parse(text, *v1::Agreement::descriptor()).ok());
  const size_t position = text.size() + 5;  // The 65th field, 1-based.
  text += " OR kind = TENANCY";
  absl::StatusOr<Filter> filter =
      Filter::Parse(text, *v1::Agreement::descriptor());
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(filter.status().message(),
            "filter: more than 64 restrictions at position " +
                std::to_string(position));
}

TEST(FilterLimitsTest, LengthCountsCharactersNotBytes) {
  FilterLimits limits;
  limits.max_length = 20;
  // 20 characters, 36 bytes.
  const std::string text = "display_name:\"고려대병원\"";
  EXPECT_TRUE(Filter::Parse(text, *v1::Agreement::descriptor(), limits).ok());
}

}  // namespace
}  // namespace factgraph::query
