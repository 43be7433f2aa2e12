#include "service/query/order_by.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/support/param_name.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;

std::vector<v1::Agreement> Fixture() {
  const char* texts[] = {
      R"pb(name: "agreements/b"
           display_name: "Beta"
           kind: AGREEMENT_KIND_PARTNERSHIP
           signed_date { year: 2024 month: 11 day: 7 }
           place { name: "institutions/seoul" })pb",
      R"pb(name: "agreements/a"
           display_name: "Alpha"
           kind: AGREEMENT_KIND_TENANCY
           signed_date { year: 2023 })pb",
      R"pb(name: "agreements/d"
           display_name: "Beta"
           kind: AGREEMENT_KIND_PARTNERSHIP
           signed_date { year: 2024 month: 2 }
           place { name: "institutions/daejeon" })pb",
      R"pb(name: "agreements/c"
           display_name: "Gamma"
           kind: AGREEMENT_KIND_COOPERATION_AGREEMENT)pb",
  };
  std::vector<v1::Agreement> agreements;
  for (const char* text : texts) {
    v1::Agreement agreement;
    EXPECT_TRUE(
        google::protobuf::TextFormat::ParseFromString(text, &agreement));
    agreements.push_back(agreement);
  }
  return agreements;
}

// The fixture's agreements ordered by `order_by` with `sort` (OrderBy::Sort
// or a prefix sort); the names of the first `count`.
template <typename SortFunction>
std::vector<std::string> NamesAfter(const std::string& order_by,
                                    SortFunction sort, size_t count) {
  static const std::vector<v1::Agreement> agreements = Fixture();
  absl::StatusOr<OrderBy> parsed =
      OrderBy::Parse(order_by, *v1::Agreement::descriptor());
  EXPECT_TRUE(parsed.ok()) << order_by << ": " << parsed.status();
  std::vector<const Message*> messages;
  for (const auto& agreement : agreements) messages.push_back(&agreement);
  if (parsed.ok()) sort(*parsed, &messages);
  EXPECT_EQ(messages.size(), agreements.size());
  std::vector<std::string> names;
  for (size_t i = 0; i < std::min(count, messages.size()); ++i) {
    names.push_back(static_cast<const v1::Agreement*>(messages[i])->name());
  }
  return names;
}

std::vector<std::string> Sorted(const std::string& order_by) {
  return NamesAfter(
      order_by,
      [](const OrderBy& order, std::vector<const Message*>* messages) {
        order.Sort(messages);
      },
      SIZE_MAX);
}

using Names = std::vector<std::string>;

TEST(OrderByTest, EmptyMeansByName) {
  EXPECT_EQ(Sorted(""), (Names{"agreements/a", "agreements/b", "agreements/c",
                               "agreements/d"}));
  EXPECT_EQ(Sorted("  "), (Names{"agreements/a", "agreements/b", "agreements/c",
                                 "agreements/d"}));
}

TEST(OrderByTest, TiesBrokenByNameAscendingEvenWhenDescending) {
  EXPECT_EQ(Sorted("display_name"), (Names{"agreements/a", "agreements/b",
                                           "agreements/d", "agreements/c"}));
  EXPECT_EQ(
      Sorted("display_name desc"),
      (Names{"agreements/c", "agreements/b", "agreements/d", "agreements/a"}));
  EXPECT_EQ(Sorted("display_name asc"), Sorted("display_name"));
}

TEST(OrderByTest, SeveralKeysEnumsDatesAndReferences) {
  // Enums by number: COOPERATION_AGREEMENT 1, PARTNERSHIP 2, TENANCY 5.
  EXPECT_EQ(
      Sorted("kind desc, signed_date"),
      (Names{"agreements/a", "agreements/d", "agreements/b", "agreements/c"}));
  // Unset dates first ascending, last descending.
  EXPECT_EQ(Sorted("signed_date"), (Names{"agreements/c", "agreements/a",
                                          "agreements/d", "agreements/b"}));
  EXPECT_EQ(
      Sorted("signed_date desc"),
      (Names{"agreements/b", "agreements/d", "agreements/a", "agreements/c"}));
  EXPECT_EQ(
      Sorted("signed_date.month desc,name"),
      (Names{"agreements/b", "agreements/d", "agreements/a", "agreements/c"}));
  EXPECT_EQ(Sorted("place"), (Names{"agreements/a", "agreements/c",
                                    "agreements/d", "agreements/b"}));
  EXPECT_EQ(Sorted("place.name desc"), (Names{"agreements/b", "agreements/d",
                                              "agreements/a", "agreements/c"}));
}

// The first `count` names after OrderBy::SortPrefix.
Names SortedPrefix(const std::string& order_by, size_t count) {
  return NamesAfter(
      order_by,
      [count](const OrderBy& order, std::vector<const Message*>* messages) {
        order.SortPrefix(messages, count);
      },
      count);
}

TEST(OrderByTest, SortPrefixOrdersTheFirstPositionsAsAFullSortDoes) {
  EXPECT_EQ(SortedPrefix("display_name desc", 2),
            (Names{"agreements/c", "agreements/b"}));
  EXPECT_EQ(SortedPrefix("kind desc, signed_date", 3),
            (Names{"agreements/a", "agreements/d", "agreements/b"}));
  EXPECT_EQ(SortedPrefix("signed_date", 0), Names{});
  for (const std::string order_by :
       {"display_name", "display_name desc", "kind desc, signed_date",
        "signed_date desc", "place", "place.name desc"}) {
    const Names full = Sorted(order_by);
    for (size_t count = 0; count <= full.size() + 1; ++count) {
      const Names prefix(full.begin(),
                         full.begin() + std::min(count, full.size()));
      EXPECT_EQ(SortedPrefix(order_by, count), prefix)
          << order_by << " count " << count;
    }
  }
}

TEST(OrderByTest, CanonicalTextIsTheSameForEverySpelling) {
  absl::StatusOr<OrderBy> parsed =
      OrderBy::Parse("  kind desc ,signed_date.year asc,  display_name",
                     *v1::Agreement::descriptor());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->CanonicalText(),
            "kind desc, signed_date.year, display_name");
  parsed = OrderBy::Parse("kind desc, signed_date.year, display_name asc",
                          *v1::Agreement::descriptor());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->CanonicalText(),
            "kind desc, signed_date.year, display_name");
  parsed = OrderBy::Parse("", *v1::Agreement::descriptor());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->CanonicalText(), "");
}

struct ErrorCase {
  std::string order_by;
  std::string message;
};

void PrintTo(const ErrorCase& error_case, std::ostream* os) {
  ::factgraph::test_support::PrintParamText(error_case.order_by, os);
}

class OrderByErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OrderByErrorTest, SaysWhatAndWhere) {
  absl::StatusOr<OrderBy> parsed =
      OrderBy::Parse(GetParam().order_by, *v1::Agreement::descriptor());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, OrderByErrorTest,
    ::testing::Values(
        ErrorCase{"colour",
                  "order_by: unknown field \"colour\" of "
                  "factgraph.v1.Agreement at position 1"},
        ErrorCase{"kind, signed_date.week desc",
                  "order_by: unknown field \"week\" of factgraph.v1.Date at "
                  "position 19"},
        ErrorCase{"display_name, parties",
                  "order_by: field \"parties\" is repeated, or inside a "
                  "repeated field, and cannot be sorted by at position 15"},
        ErrorCase{"citations.document",
                  "order_by: field \"citations.document\" is repeated, or "
                  "inside a repeated field, and cannot be sorted by at "
                  "position 1"},
        ErrorCase{"kind sideways",
                  "order_by: expected \"asc\", \"desc\" or \",\" after "
                  "\"kind\", not \"sideways\" at position 6"},
        ErrorCase{"kind desc desc",
                  "order_by: expected \",\" or the end after \"kind\" at "
                  "position 11"},
        ErrorCase{"kind,", "order_by: expected a field name at position 6"},
        ErrorCase{",kind", "order_by: expected a field name at position 1"},
        ErrorCase{"kind;",
                  "order_by: expected \",\" or the end after "
                  "\"kind\" at position 5"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) {
      return ::factgraph::test_support::ParamName(info.index,
                                                  info.param.order_by);
    });

TEST(OrderByTest, MessagesWithoutOrderAreRejected) {
  absl::StatusOr<OrderBy> parsed =
      OrderBy::Parse("amount", *v1::Agreement::descriptor());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "order_by: unknown field \"amount\" of factgraph.v1.Agreement at "
            "position 1");
  parsed = OrderBy::Parse("display_name, amount", *v1::Funding::descriptor());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "order_by: field \"amount\" is a message and has no order; sort "
            "by one of its fields at position 15");
}

}  // namespace
}  // namespace factgraph::query
