// Random filters over random agreements, evaluated by Filter and by a
// separately written evaluator that reads the typed C++ API instead of
// reflection and works on the generated expression tree instead of text.
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "factgraph/v1/agreement.pb.h"
#include "gtest/gtest.h"
#include "service/query/filter.h"

namespace factgraph::query {
namespace {

const std::vector<std::string> kInstitutions = {
    "institutions/kaist", "institutions/ku", "institutions/ncc",
    "institutions/moderna"};
const std::vector<std::string> kAreas = {"AI", "Bio health", "mRNA vaccines",
                                         "Cancer AI"};
const std::vector<std::string> kDisplayNames = {"Alpha", "beta", "KAIST MOU",
                                                "고려대"};
const std::vector<v1::AgreementKind> kKinds = {
    v1::AGREEMENT_KIND_COOPERATION_AGREEMENT, v1::AGREEMENT_KIND_PARTNERSHIP,
    v1::AGREEMENT_KIND_TENANCY, v1::AGREEMENT_KIND_UNSPECIFIED};

class Random {
 public:
  explicit Random(uint32_t seed) : engine_(seed) {}
  int Below(int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(engine_);
  }
  bool Chance(int percent) { return Below(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[Below(static_cast<int>(values.size()))];
  }

 private:
  std::mt19937 engine_;
};

v1::Agreement RandomAgreement(Random& random, int index) {
  v1::Agreement agreement;
  agreement.set_name(absl::StrCat("agreements/a", index));
  agreement.set_display_name(random.Pick(kDisplayNames));
  agreement.set_kind(random.Pick(kKinds));
  for (int i = random.Below(4); i > 0; --i) {
    agreement.add_parties()->set_name(random.Pick(kInstitutions));
  }
  for (int i = random.Below(3); i > 0; --i) {
    agreement.add_scope_areas(random.Pick(kAreas));
  }
  if (random.Chance(70)) {
    v1::Date* date = agreement.mutable_signed_date();
    date->set_year(random.Chance(90) ? 2022 + random.Below(4) : 0);
    date->set_month(random.Chance(70) ? 1 + random.Below(12) : 0);
    date->set_day(date->month() != 0 && random.Chance(60) ? 1 + random.Below(28)
                                                          : 0);
  }
  if (random.Chance(30)) {
    agreement.mutable_predecessor()->set_name(
        absl::StrCat("agreements/a", random.Below(5)));
  }
  return agreement;
}

// One restriction, kept as data so the reference evaluator needs no parser.
struct Restriction {
  enum class Field {
    kKind,
    kParties,
    kSignedDate,
    kSignedYear,
    kScopeHas,
    kScopeEquals,
    kDisplayName,
    kPredecessor,
    kPresence
  };
  Field field;
  std::string op;    // "=", "!=", "<", "<=", ">", ">=", ":"
  std::string text;  // The filter text of the restriction.
  // Operands.
  v1::AgreementKind kind = v1::AGREEMENT_KIND_UNSPECIFIED;
  std::string string_value;
  int date[3] = {0, 0, 0};
  int date_count = 0;
  int number = 0;
  std::string presence_field;
};

struct Expr {
  enum class Kind { kAnd, kOr, kNot, kLeaf };
  Kind kind = Kind::kLeaf;
  std::vector<std::unique_ptr<Expr>> children;
  Restriction leaf;
};

const std::vector<std::string> kOrderingOps = {"=", "!=", "<", "<=", ">", ">="};

std::string Quote(const std::string& value) { return "\"" + value + "\""; }

Restriction RandomRestriction(Random& random) {
  Restriction r;
  r.field = static_cast<Restriction::Field>(random.Below(9));
  switch (r.field) {
    case Restriction::Field::kKind: {
      r.op = random.Chance(50) ? "=" : "!=";
      r.kind = random.Pick(kKinds);
      std::string name = v1::AgreementKind_Name(r.kind);
      if (random.Chance(50))
        name = name.substr(std::string("AGREEMENT_KIND_").size());
      r.text = "kind " + r.op + " " + name;
      break;
    }
    case Restriction::Field::kParties:
      r.op = random.Pick(std::vector<std::string>{"=", ":", "!="});
      r.string_value = random.Pick(kInstitutions);
      r.text = "parties" + r.op + Quote(r.string_value);
      break;
    case Restriction::Field::kSignedDate: {
      r.op = random.Pick(kOrderingOps);
      r.date_count = 1 + random.Below(3);
      r.date[0] = 2022 + random.Below(4);
      r.date[1] = 1 + random.Below(12);
      r.date[2] = 1 + random.Below(28);
      std::string literal = absl::StrCat(r.date[0]);
      if (r.date_count > 1)
        absl::StrAppend(&literal, "-", r.date[1] < 10 ? "0" : "", r.date[1]);
      if (r.date_count > 2)
        absl::StrAppend(&literal, "-", r.date[2] < 10 ? "0" : "", r.date[2]);
      r.text = "signed_date " + r.op + " " + literal;
      break;
    }
    case Restriction::Field::kSignedYear:
      r.op = random.Pick(kOrderingOps);
      r.number = 2021 + random.Below(6);
      r.text = absl::StrCat("signed_date.year ", r.op, " ", r.number);
      break;
    case Restriction::Field::kScopeHas:
      r.op = ":";
      r.string_value =
          random.Pick(std::vector<std::string>{"ai", "BIO", "vacc", "x"});
      r.text = "scope_areas:" + Quote(r.string_value);
      break;
    case Restriction::Field::kScopeEquals:
      r.op = random.Chance(50) ? "=" : "!=";
      r.string_value = random.Pick(kAreas);
      r.text = "scope_areas " + r.op + " " + Quote(r.string_value);
      break;
    case Restriction::Field::kDisplayName:
      r.op = random.Pick(kOrderingOps);
      r.string_value = random.Pick(kDisplayNames);
      r.text = "display_name " + r.op + " " + Quote(r.string_value);
      break;
    case Restriction::Field::kPredecessor:
      r.op = random.Chance(50) ? "=" : "!=";
      r.string_value = absl::StrCat("agreements/a", random.Below(5));
      r.text = "predecessor " + r.op + " " + r.string_value;
      break;
    case Restriction::Field::kPresence:
      r.op = ":";
      r.presence_field = random.Pick(std::vector<std::string>{
          "signed_date", "predecessor", "parties", "scope_areas", "kind"});
      r.text = r.presence_field + ":*";
      break;
  }
  return r;
}

std::unique_ptr<Expr> RandomExpr(Random& random, int depth) {
  auto expr = std::make_unique<Expr>();
  if (depth == 0 || random.Chance(35)) {
    expr->leaf = RandomRestriction(random);
    return expr;
  }
  const int choice = random.Below(5);
  if (choice == 0) {
    expr->kind = Expr::Kind::kNot;
    expr->children.push_back(RandomExpr(random, depth - 1));
    return expr;
  }
  expr->kind = choice <= 2 ? Expr::Kind::kAnd : Expr::Kind::kOr;
  for (int i = 2 + random.Below(2); i > 0; --i) {
    expr->children.push_back(RandomExpr(random, depth - 1));
  }
  return expr;
}

// Renders with the fewest parentheses AIP-160 precedence allows (OR binds
// tighter than AND), plus some redundant ones, so that precedence is tested.
std::string Render(const Expr& expr, Random& random) {
  std::string text;
  switch (expr.kind) {
    case Expr::Kind::kLeaf:
      text = expr.leaf.text;
      break;
    case Expr::Kind::kNot: {
      const Expr& child = *expr.children[0];
      std::string inner = Render(child, random);
      if (child.kind != Expr::Kind::kLeaf) inner = "(" + inner + ")";
      text = (random.Chance(50) ? "NOT " : "-") + inner;
      break;
    }
    case Expr::Kind::kAnd:
      for (size_t i = 0; i < expr.children.size(); ++i) {
        const Expr& child = *expr.children[i];
        std::string part = Render(child, random);
        // A nested AND (of explicit ANDs) inside an implicit sequence would
        // change nothing semantically, but keep it readable.
        if (child.kind == Expr::Kind::kAnd) part = "(" + part + ")";
        if (i > 0) text += random.Chance(25) ? " " : " AND ";
        text += part;
      }
      break;
    case Expr::Kind::kOr:
      for (size_t i = 0; i < expr.children.size(); ++i) {
        const Expr& child = *expr.children[i];
        std::string part = Render(child, random);
        if (child.kind == Expr::Kind::kAnd) part = "(" + part + ")";
        if (i > 0) text += " OR ";
        text += part;
      }
      break;
  }
  if (random.Chance(10)) text = "(" + text + ")";
  return text;
}

bool Compare(const std::string& op, int order) {
  if (op == "=" || op == ":") return order == 0;
  if (op == "!=") return order != 0;
  if (op == "<") return order < 0;
  if (op == "<=") return order <= 0;
  if (op == ">") return order > 0;
  return order >= 0;
}

int Sign(int value) { return (value > 0) - (value < 0); }

bool Reference(const Restriction& r, const v1::Agreement& a) {
  using Field = Restriction::Field;
  // Documented: `a != v` is `NOT a = v`, whatever the field.
  if (r.op == "!=") {
    Restriction equal = r;
    equal.op = "=";
    return !Reference(equal, a);
  }
  switch (r.field) {
    case Field::kKind:
      return (a.kind() == r.kind) == (r.op == "=");
    case Field::kParties: {
      bool any = false;
      for (const v1::EntityRef& party : a.parties()) {
        any = any || party.name() == r.string_value;
      }
      return r.op == "!=" ? !any : any;
    }
    case Field::kSignedDate: {
      if (!a.has_signed_date()) return false;
      const int parts[3] = {a.signed_date().year(), a.signed_date().month(),
                            a.signed_date().day()};
      // Compare as fixed-width text, one component at a time; an unknown
      // component (0) leaves the comparison undecided, which is false.
      std::string value, literal;
      for (int i = 0; i < r.date_count; ++i) {
        if (value != literal) break;
        if (parts[i] == 0) return false;
        value += absl::StrCat(parts[i] + 10000);
        literal += absl::StrCat(r.date[i] + 10000);
      }
      return Compare(r.op, Sign(value.compare(literal)));
    }
    case Field::kSignedYear:
      if (!a.has_signed_date()) return r.op == "!=";
      return Compare(r.op, Sign(a.signed_date().year() - r.number));
    case Field::kScopeHas:
      for (const std::string& area : a.scope_areas()) {
        if (absl::AsciiStrToLower(area).find(
                absl::AsciiStrToLower(r.string_value)) != std::string::npos) {
          return true;
        }
      }
      return false;
    case Field::kScopeEquals: {
      const bool any = std::find(a.scope_areas().begin(), a.scope_areas().end(),
                                 r.string_value) != a.scope_areas().end();
      return r.op == "=" ? any : !any;
    }
    case Field::kDisplayName:
      return Compare(r.op, Sign(a.display_name().compare(r.string_value)));
    case Field::kPredecessor: {
      const bool equal =
          a.has_predecessor() && a.predecessor().name() == r.string_value;
      return r.op == "=" ? equal : !equal;
    }
    case Field::kPresence:
      if (r.presence_field == "signed_date") return a.has_signed_date();
      if (r.presence_field == "predecessor") return a.has_predecessor();
      if (r.presence_field == "parties") return a.parties_size() > 0;
      if (r.presence_field == "scope_areas") return a.scope_areas_size() > 0;
      return a.kind() != v1::AGREEMENT_KIND_UNSPECIFIED;
  }
  return false;
}

bool Reference(const Expr& expr, const v1::Agreement& a) {
  switch (expr.kind) {
    case Expr::Kind::kLeaf:
      return Reference(expr.leaf, a);
    case Expr::Kind::kNot:
      return !Reference(*expr.children[0], a);
    case Expr::Kind::kAnd:
      for (const auto& child : expr.children) {
        if (!Reference(*child, a)) return false;
      }
      return true;
    case Expr::Kind::kOr:
      for (const auto& child : expr.children) {
        if (Reference(*child, a)) return true;
      }
      return false;
  }
  return false;
}

TEST(FilterRandomTest, AgreesWithReferenceEvaluator) {
  Random random(20241107);
  std::vector<v1::Agreement> agreements;
  for (int i = 0; i < 60; ++i) agreements.push_back(RandomAgreement(random, i));

  int filters = 0, matches = 0, evaluations = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::unique_ptr<Expr> expr = RandomExpr(random, 4);
    const std::string text = Render(*expr, random);
    absl::StatusOr<Filter> filter =
        Filter::Parse(text, *v1::Agreement::descriptor());
    if (!filter.ok() &&
        filter.status().code() == absl::StatusCode::kOutOfRange) {
      continue;  // Over the term limit: the generator is not bounded.
    }
    ASSERT_TRUE(filter.ok()) << text << ": " << filter.status();
    ++filters;
    for (const v1::Agreement& agreement : agreements) {
      const bool expected = Reference(*expr, agreement);
      ASSERT_EQ(filter->Matches(agreement), expected)
          << "filter: " << text << "\nagreement: " << agreement.DebugString();
      matches += expected;
      ++evaluations;
    }
  }
  // The comparison is only meaningful if both outcomes are common.
  EXPECT_GT(filters, 2900);
  EXPECT_GT(matches, evaluations / 10);
  EXPECT_LT(matches, evaluations * 9 / 10);
}

}  // namespace
}  // namespace factgraph::query
