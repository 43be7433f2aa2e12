// Filter::Parse: a recursive-descent parser whose recursion is bounded by the
// nesting limit, plus the typing of each restriction's value.
#include <cmath>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "factgraph/v1/common.pb.h"
#include "service/query/error_details.h"
#include "service/query/field_selector.h"
#include "service/query/filter.h"
#include "service/query/filter_ast.h"
#include "service/query/text_position.h"

namespace factgraph::query {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using Node = Filter::Node;

bool IsIdentifierStart(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentifierChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool IsSpace(char c) {
  return absl::ascii_isspace(static_cast<unsigned char>(c));
}
// Characters that end a bare word.
bool EndsBareWord(char c) {
  return IsSpace(c) || c == '(' || c == ')' || c == '"' || c == '\'' ||
         c == '=' || c == '!' || c == '<' || c == '>' || c == ':';
}

std::string_view ComparatorText(Comparator comparator) {
  // Indexed by Comparator.
  static constexpr std::string_view kTexts[] = {
      "=", "!=", "<", "<=", ">", ">=", ":"};
  static_assert(std::size(kTexts) == static_cast<size_t>(Comparator::kHas) + 1);
  return kTexts[static_cast<size_t>(comparator)];
}

bool IsOrdering(Comparator comparator) {
  return comparator == Comparator::kLt || comparator == Comparator::kLe ||
         comparator == Comparator::kGt || comparator == Comparator::kGe;
}

// The part of the enum's value names that all share, up to an underscore:
// "INSTITUTION_KIND_" for InstitutionKind.
std::string EnumPrefix(const EnumDescriptor& type) {
  std::string prefix = type.value(0)->name();
  for (int i = 1; i < type.value_count(); ++i) {
    const std::string& name = type.value(i)->name();
    size_t n = 0;
    while (n < prefix.size() && n < name.size() && prefix[n] == name[n]) ++n;
    prefix.resize(n);
  }
  const size_t underscore = prefix.rfind('_');
  prefix.resize(underscore == std::string::npos ? 0 : underscore + 1);
  return prefix;
}

// Moves *i past a sign at text[*i], if any.
void SkipSign(std::string_view text, size_t* i) {
  if (*i < text.size() && (text[*i] == '-' || text[*i] == '+')) ++*i;
}

// Moves *i past the digits at text[*i]; false when there are none.
bool SkipDigits(std::string_view text, size_t* i) {
  const size_t start = *i;
  while (*i < text.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(text[*i]))) {
    ++*i;
  }
  return *i > start;
}

// Accepts [-+]digits[.digits][(e|E)[-+]digits].
bool LooksNumeric(std::string_view text, bool* is_integer) {
  size_t i = 0;
  SkipSign(text, &i);
  if (!SkipDigits(text, &i)) return false;
  *is_integer = true;
  if (i < text.size() && text[i] == '.') {
    *is_integer = false;
    ++i;
    if (!SkipDigits(text, &i)) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    *is_integer = false;
    ++i;
    SkipSign(text, &i);
    if (!SkipDigits(text, &i)) return false;
  }
  return i == text.size();
}

bool ParseDigits(std::string_view text, size_t width, int32_t* out) {
  if (text.size() != width) return false;
  int32_t value = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

// YYYY, YYYY-MM or YYYY-MM-DD.
bool ParseDateLiteral(std::string_view text, DateLiteral* date) {
  int32_t parts[3] = {0, 0, 0};
  int count = 0;
  size_t start = 0;
  while (count < 3) {
    const size_t dash = text.find('-', start);
    const std::string_view part = text.substr(
        start, dash == std::string_view::npos ? dash : dash - start);
    if (!ParseDigits(part, count == 0 ? 4 : 2, &parts[count])) return false;
    ++count;
    if (dash == std::string_view::npos) break;
    start = dash + 1;
    if (count == 3) return false;
  }
  if (parts[0] < 1) return false;
  if (count >= 2 && (parts[1] < 1 || parts[1] > 12)) return false;
  if (count == 3 && (parts[2] < 1 || parts[2] > 31)) return false;
  for (int i = 0; i < 3; ++i) date->parts[i] = parts[i];
  date->count = count;
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, const Descriptor& descriptor,
         const FilterLimits& limits)
      : text_(text), descriptor_(descriptor), limits_(limits) {}

  absl::StatusOr<std::unique_ptr<Node>> ParseFilter() {
    SkipSpaces();
    if (AtEnd()) return std::unique_ptr<Node>();
    absl::StatusOr<std::unique_ptr<Node>> root = ParseExpression();
    if (!root.ok()) return root.status();
    SkipSpaces();
    if (!AtEnd()) {
      if (Peek() == ')') return Error(pos_, "unbalanced \")\"");
      return Error(pos_, "unexpected text");
    }
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  int Position(size_t offset) const { return CharacterPosition(text_, offset); }

  absl::Status Error(size_t offset, std::string_view what) const {
    return FieldError(
        absl::StatusCode::kInvalidArgument, "filter", v1::INVALID_FILTER,
        absl::StrFormat("filter: %s at position %d", what, Position(offset)),
        Position(offset));
  }

  // The identifier at pos_ (no dots), or empty.
  std::string_view PeekWord() const {
    size_t end = pos_;
    while (end < text_.size() && IsIdentifierChar(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }
  bool PeekKeyword(std::string_view keyword) const {
    if (AtEnd() || !IsIdentifierStart(Peek())) return false;
    const std::string_view word = PeekWord();
    if (word != keyword) return false;
    const size_t end = pos_ + word.size();
    return end >= text_.size() || text_[end] != '.';
  }

  static std::unique_ptr<Node> Combine(
      Node::Kind kind, std::vector<std::unique_ptr<Node>> children) {
    if (children.size() == 1) return std::move(children.front());
    auto node = std::make_unique<Node>();
    node->kind = kind;
    for (auto& child : children) {
      // Flattening keeps chains of AND / OR shallow.
      if (child->kind == kind) {
        for (auto& grandchild : child->children) {
          node->children.push_back(std::move(grandchild));
        }
      } else {
        node->children.push_back(std::move(child));
      }
    }
    return node;
  }

  // Skips the keyword `keyword` (just peeked) and the spaces after it; an
  // error when no restriction follows.
  absl::Status SkipKeyword(std::string_view keyword) {
    pos_ += keyword.size();
    SkipSpaces();
    if (AtEnd() || Peek() == ')') {
      return Error(pos_, absl::StrFormat("expected a restriction after \"%s\"",
                                         keyword));
    }
    return absl::OkStatus();
  }

  // One or more operands read by `parse_operand`, joined by the keyword
  // `joiner`, as one node of `kind`.
  absl::StatusOr<std::unique_ptr<Node>> ParseJoined(
      std::string_view joiner, Node::Kind kind,
      absl::StatusOr<std::unique_ptr<Node>> (Parser::*parse_operand)()) {
    std::vector<std::unique_ptr<Node>> operands;
    while (true) {
      absl::StatusOr<std::unique_ptr<Node>> operand = (this->*parse_operand)();
      if (!operand.ok()) return operand.status();
      operands.push_back(*std::move(operand));
      SkipSpaces();
      if (!PeekKeyword(joiner)) break;
      if (absl::Status skipped = SkipKeyword(joiner); !skipped.ok()) {
        return skipped;
      }
    }
    return Combine(kind, std::move(operands));
  }

  absl::StatusOr<std::unique_ptr<Node>> ParseExpression() {
    return ParseJoined("AND", Node::Kind::kAnd, &Parser::ParseSequence);
  }

  bool AtTermStart() {
    SkipSpaces();
    return !AtEnd() && Peek() != ')' && !PeekKeyword("AND") &&
           !PeekKeyword("OR");
  }

  absl::StatusOr<std::unique_ptr<Node>> ParseSequence() {
    std::vector<std::unique_ptr<Node>> factors;
    do {
      absl::StatusOr<std::unique_ptr<Node>> factor = ParseFactor();
      if (!factor.ok()) return factor.status();
      factors.push_back(*std::move(factor));
    } while (AtTermStart());
    return Combine(Node::Kind::kAnd, std::move(factors));
  }

  absl::StatusOr<std::unique_ptr<Node>> ParseFactor() {
    return ParseJoined("OR", Node::Kind::kOr, &Parser::ParseTerm);
  }

  absl::StatusOr<std::unique_ptr<Node>> ParseTerm() {
    SkipSpaces();
    bool negate = false;
    if (PeekKeyword("NOT")) {
      negate = true;
      if (absl::Status skipped = SkipKeyword("NOT"); !skipped.ok()) {
        return skipped;
      }
    } else if (!AtEnd() && Peek() == '-') {
      negate = true;
      ++pos_;
    }
    absl::StatusOr<std::unique_ptr<Node>> simple = ParseSimple();
    if (!simple.ok() || !negate) return simple;
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kNot;
    node->children.push_back(*std::move(simple));
    return node;
  }

  absl::StatusOr<std::unique_ptr<Node>> ParseSimple() {
    if (AtEnd()) return Error(pos_, "expected a field name or \"(\"");
    if (Peek() != '(') return ParseRestriction();
    const size_t open = pos_;
    if (depth_ >= limits_.max_depth) {
      return FieldError(
          absl::StatusCode::kOutOfRange, "filter", v1::LIMIT_EXCEEDED,
          absl::StrFormat(
              "filter: parentheses nested deeper than %d at position %d",
              limits_.max_depth, Position(open)),
          Position(open));
    }
    ++depth_;
    ++pos_;
    SkipSpaces();
    if (!AtEnd() && Peek() == ')') return Error(pos_, "empty parentheses");
    absl::StatusOr<std::unique_ptr<Node>> inner = ParseExpression();
    if (!inner.ok()) return inner.status();
    SkipSpaces();
    if (AtEnd() || Peek() != ')') {
      return FieldError(
          absl::StatusCode::kInvalidArgument, "filter", v1::INVALID_FILTER,
          absl::StrFormat(
              "filter: expected \")\" at position %d to close the \"(\" at "
              "position %d",
              Position(pos_), Position(open)),
          Position(pos_));
    }
    ++pos_;
    --depth_;
    return inner;
  }

  absl::StatusOr<std::unique_ptr<Node>> ParseRestriction() {
    const size_t field_start = pos_;
    if (!IsIdentifierStart(Peek())) return Error(pos_, "expected a field name");
    while (!AtEnd() && (IsIdentifierChar(Peek()) || Peek() == '.')) ++pos_;
    const std::string_view path = text_.substr(field_start, pos_ - field_start);
    if (path == "AND" || path == "OR" || path == "NOT") {
      return Error(field_start,
                   absl::StrFormat("expected a field name, not \"%s\"", path));
    }
    absl::StatusOr<FieldSelector> selector = ResolveFieldSelector(
        descriptor_, path, "filter", Position(field_start));
    if (!selector.ok()) return selector.status();

    if (++terms_ > limits_.max_terms) {
      return FieldError(
          absl::StatusCode::kOutOfRange, "filter", v1::LIMIT_EXCEEDED,
          absl::StrFormat("filter: more than %d restrictions at position %d",
                          limits_.max_terms, Position(field_start)),
          Position(field_start));
    }

    SkipSpaces();
    const size_t comparator_start = pos_;
    Comparator comparator;
    if (!ReadComparator(&comparator)) {
      return Error(pos_, absl::StrFormat("expected a comparator (=, !=, <, <=, "
                                         ">, >= or :) after \"%s\"",
                                         path));
    }
    SkipSpaces();
    const size_t value_start = pos_;
    std::string value;
    bool quoted = false;
    absl::Status read = ReadValue(comparator, &value, &quoted);
    if (!read.ok()) return read;

    auto node = std::make_unique<Node>();
    node->restriction.selector = *std::move(selector);
    node->restriction.comparator = comparator;
    absl::Status typed = TypeValue(value, quoted, value_start, comparator_start,
                                   &node->restriction);
    if (!typed.ok()) return typed;
    return node;
  }

  bool ReadComparator(Comparator* comparator) {
    if (AtEnd()) return false;
    const char c = Peek();
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (c == '=') {
      *comparator = Comparator::kEq;
    } else if (c == ':') {
      *comparator = Comparator::kHas;
    } else if (c == '!' && next == '=') {
      *comparator = Comparator::kNe;
    } else if (c == '<') {
      *comparator = next == '=' ? Comparator::kLe : Comparator::kLt;
    } else if (c == '>') {
      *comparator = next == '=' ? Comparator::kGe : Comparator::kGt;
    } else {
      return false;
    }
    pos_ += ComparatorText(*comparator).size();
    return true;
  }

  absl::Status ReadValue(Comparator comparator, std::string* value,
                         bool* quoted) {
    const std::string expected = absl::StrFormat(
        "expected a value after \"%s\"", ComparatorText(comparator));
    if (AtEnd()) return Error(pos_, expected);
    const char c = Peek();
    if (c == '"' || c == '\'') {
      *quoted = true;
      return ReadQuoted(value);
    }
    if (EndsBareWord(c)) return Error(pos_, expected);
    const size_t start = pos_;
    while (!AtEnd() && !EndsBareWord(Peek())) ++pos_;
    *value = std::string(text_.substr(start, pos_ - start));
    if (*value == "AND" || *value == "OR" || *value == "NOT") {
      return Error(start, expected);
    }
    return absl::OkStatus();
  }

  absl::Status ReadQuoted(std::string* value) {
    const size_t open = pos_;
    const char quote = Peek();
    ++pos_;
    while (!AtEnd()) {
      const char c = Peek();
      if (c == quote) {
        ++pos_;
        return absl::OkStatus();
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        const char escaped = text_[pos_ + 1];
        switch (escaped) {
          case '"':
          case '\'':
          case '\\':
            value->push_back(escaped);
            break;
          case 'n':
            value->push_back('\n');
            break;
          case 't':
            value->push_back('\t');
            break;
          default:
            return Error(pos_,
                         absl::StrFormat("unknown escape \"\\%c\"", escaped));
        }
        pos_ += 2;
        continue;
      }
      value->push_back(c);
      ++pos_;
    }
    return Error(open, "unterminated string starting");
  }

  absl::Status TypeError(const Restriction& r, size_t offset,
                         std::string_view detail) const {
    return Error(offset,
                 absl::StrFormat("field \"%s\" is %s: %s", r.selector.text,
                                 ValueKindNoun(r.selector.kind()), detail));
  }

  absl::Status TypeValue(const std::string& value, bool quoted,
                         size_t value_start, size_t comparator_start,
                         Restriction* r) const {
    const ValueKind kind = r->selector.kind();
    if (r->comparator == Comparator::kHas && value == "*" && !quoted) {
      r->presence = true;
      return absl::OkStatus();
    }
    const std::string quoted_value = absl::StrFormat("\"%s\"", value);
    switch (kind) {
      case ValueKind::kString:
        r->string_value = r->comparator == Comparator::kHas
                              ? absl::AsciiStrToLower(value)
                              : value;
        return absl::OkStatus();
      case ValueKind::kEntityRef:
        r->string_value = value;
        return absl::OkStatus();
      case ValueKind::kInt:
      case ValueKind::kUint:
      case ValueKind::kDouble: {
        bool is_integer = false;
        if (!LooksNumeric(value, &is_integer)) {
          return TypeError(*r, value_start,
                           absl::StrFormat("%s is not a number", quoted_value));
        }
        r->is_integer = is_integer;
        if (is_integer && !absl::SimpleAtoi(value, &r->int_value)) {
          return TypeError(*r, value_start,
                           absl::StrFormat("%s is out of range", quoted_value));
        }
        if (!absl::SimpleAtod(value, &r->double_value) ||
            !std::isfinite(r->double_value)) {
          return TypeError(*r, value_start,
                           absl::StrFormat("%s is out of range", quoted_value));
        }
        return absl::OkStatus();
      }
      case ValueKind::kBool:
        if (IsOrdering(r->comparator)) {
          return TypeError(*r, comparator_start,
                           absl::StrFormat("\"%s\" is not defined on it; use "
                                           "= or !=",
                                           ComparatorText(r->comparator)));
        }
        if (value == "true") {
          r->bool_value = true;
        } else if (value == "false") {
          r->bool_value = false;
        } else {
          return TypeError(
              *r, value_start,
              absl::StrFormat("%s is not true or false", quoted_value));
        }
        return absl::OkStatus();
      case ValueKind::kEnum: {
        const EnumDescriptor& type = *r->selector.leaf().enum_type();
        if (IsOrdering(r->comparator)) {
          return TypeError(*r, comparator_start,
                           absl::StrFormat("\"%s\" is not defined on it; use "
                                           "= or !=",
                                           ComparatorText(r->comparator)));
        }
        const google::protobuf::EnumValueDescriptor* found =
            type.FindValueByName(value);
        if (found == nullptr) {
          found = type.FindValueByName(EnumPrefix(type) + value);
        }
        if (found == nullptr) {
          return TypeError(*r, value_start,
                           absl::StrFormat("%s is not a value of %s",
                                           quoted_value, type.full_name()));
        }
        r->enum_number = found->number();
        return absl::OkStatus();
      }
      case ValueKind::kDate:
        if (!ParseDateLiteral(value, &r->date)) {
          return TypeError(
              *r, value_start,
              absl::StrFormat("%s is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                              quoted_value));
        }
        return absl::OkStatus();
      case ValueKind::kMessage: {
        const Descriptor& type = *r->selector.leaf().message_type();
        std::string hint;
        if (type.field_count() > 0) {
          hint = absl::StrFormat("; compare one of its fields, e.g. \"%s.%s\"",
                                 r->selector.text, type.field(0)->name());
        }
        return TypeError(*r, comparator_start,
                         absl::StrFormat("only \"%s:*\" can test it%s",
                                         r->selector.text, hint));
      }
    }
    return absl::OkStatus();
  }

  const std::string_view text_;
  const Descriptor& descriptor_;
  const FilterLimits& limits_;
  size_t pos_ = 0;
  int depth_ = 0;
  int terms_ = 0;
};

void CollectIndexableTerm(const Node& node, const Descriptor& descriptor,
                          std::vector<IndexableTerm>* terms) {
  if (node.kind != Node::Kind::kRestriction) return;
  const Restriction& r = node.restriction;
  if (r.presence || r.string_value.empty()) return;
  const FieldSelector& selector = r.selector;
  const google::protobuf::FieldDescriptor& leaf = selector.leaf();
  if (selector.kind() == ValueKind::kEntityRef &&
      (r.comparator == Comparator::kEq || r.comparator == Comparator::kHas)) {
    terms->push_back(
        {IndexableTerm::Kind::kReference, selector.text, r.string_value});
    return;
  }
  if (r.comparator != Comparator::kEq || leaf.name() != "name" ||
      selector.kind() != ValueKind::kString) {
    return;
  }
  if (leaf.containing_type() == v1::EntityRef::descriptor()) {
    terms->push_back({IndexableTerm::Kind::kReference,
                      selector.text.substr(0, selector.text.size() - 5),
                      r.string_value});
  } else if (selector.fields.size() == 1 &&
             leaf.containing_type() == &descriptor) {
    terms->push_back({IndexableTerm::Kind::kName, "", r.string_value});
  }
}

}  // namespace

absl::StatusOr<Filter> Filter::Parse(std::string_view text,
                                     const Descriptor& descriptor,
                                     const FilterLimits& limits) {
  const int length = CharacterCount(text);
  if (length > limits.max_length) {
    return FieldError(
        absl::StatusCode::kOutOfRange, "filter", v1::LIMIT_EXCEEDED,
        absl::StrFormat("filter: %d characters long, more than the limit of %d",
                        length, limits.max_length));
  }
  Parser parser(text, descriptor, limits);
  absl::StatusOr<std::unique_ptr<Node>> root = parser.ParseFilter();
  if (!root.ok()) return root.status();
  Filter filter;
  filter.root_ = *std::move(root);
  if (filter.root_ != nullptr) {
    if (filter.root_->kind == Node::Kind::kAnd) {
      for (const auto& child : filter.root_->children) {
        CollectIndexableTerm(*child, descriptor, &filter.indexable_terms_);
      }
    } else {
      CollectIndexableTerm(*filter.root_, descriptor, &filter.indexable_terms_);
      filter.answered_by_index_ = filter.indexable_terms_.size() == 1;
    }
  }
  return filter;
}

}  // namespace factgraph::query
