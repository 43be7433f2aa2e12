#include "service/query/order_by.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "service/query/error_details.h"
#include "service/query/text_position.h"
#include "service/store/field_values.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsPathChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.';
}

// One extracted key value; monostate when the path reaches nothing. Strings
// are views of the resource's own fields (or of `owned`), never copies.
using SortValue = std::variant<std::monostate, int64_t, uint64_t, double,
                               std::string_view, std::array<int32_t, 3>>;

// A view of `value`, a string field read with `scratch`. Reflection returns a
// reference to the field itself for ordinary string fields; should it return
// `scratch` instead (a field stored otherwise), the text is kept in `owned`.
std::string_view KeptView(const std::string& value, std::string* scratch,
                          std::deque<std::string>* owned) {
  if (&value != scratch) return value;
  return owned->emplace_back(std::move(*scratch));
}

// A view of the string field `field` of `message` (as KeptView).
std::string_view StringView(const Message& message,
                            const google::protobuf::FieldDescriptor* field,
                            std::deque<std::string>* owned) {
  std::string scratch;
  return KeptView(
      message.GetReflection()->GetStringReference(message, field, &scratch),
      &scratch, owned);
}

// A date as its (year, month, day), an entity reference as its name.
SortValue MessageKey(const Message& value, const FieldSelector& selector,
                     std::deque<std::string>* owned) {
  const Reflection& reflection = *value.GetReflection();
  if (selector.kind() == ValueKind::kDate) {
    return std::array<int32_t, 3>{
        reflection.GetInt32(value, selector.date_parts[0]),
        reflection.GetInt32(value, selector.date_parts[1]),
        reflection.GetInt32(value, selector.date_parts[2])};
  }
  return StringView(value, selector.entity_ref_name, owned);
}

SortValue Extract(const Message& resource, const FieldSelector& selector,
                  std::deque<std::string>* owned) {
  SortValue result;
  AnyValue(resource, selector, [&](const Message& parent, int) {
    std::string scratch;
    store::FieldValueAt(parent, &selector.leaf(), /*index=*/-1)
        .Visit(&scratch,
               store::Overloaded{
                   [&](const std::string& text) {
                     result = KeptView(text, &scratch, owned);
                   },
                   [&](int64_t number) { result = number; },
                   [&](uint64_t number) { result = number; },
                   [&](double number) { result = number; },
                   [&](bool truth) { result = static_cast<int64_t>(truth); },
                   [&](const google::protobuf::EnumValueDescriptor* value) {
                     result = static_cast<int64_t>(value->number());
                   },
                   [&](const Message& value) {
                     result = MessageKey(value, selector, owned);
                   },
               });
    return true;
  });
  return result;
}

// NaN sorts after every number so that the order stays a strict weak order.
int CompareValues(const SortValue& a, const SortValue& b) {
  if (a.index() != b.index()) return a.index() < b.index() ? -1 : 1;
  if (const auto* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    const bool x_nan = *x != *x, y_nan = y != y;
    if (x_nan || y_nan) return x_nan == y_nan ? 0 : (x_nan ? 1 : -1);
  }
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

absl::StatusOr<OrderBy> OrderBy::Parse(
    std::string_view text, const google::protobuf::Descriptor& descriptor) {
  // Positions in errors are counted from the start, so the parse is
  // quadratic in the length: bounding it bounds the work.
  const int length = CharacterCount(text);
  if (length > kMaxOrderByLength) {
    return FieldError(
        absl::StatusCode::kOutOfRange, "order_by", v1::LIMIT_EXCEEDED,
        absl::StrFormat(
            "order_by: %d characters long, more than the limit of %d", length,
            kMaxOrderByLength));
  }
  OrderBy order_by;
  auto error = [&](size_t offset, std::string_view what) {
    const int position = CharacterPosition(text, offset);
    return FieldError(
        absl::StatusCode::kInvalidArgument, "order_by", v1::INVALID_ORDER_BY,
        absl::StrFormat("order_by: %s at position %d", what, position),
        position);
  };
  auto skip_spaces = [&](size_t* pos) {
    while (*pos < text.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text[*pos]))) {
      ++*pos;
    }
  };
  size_t pos = 0;
  skip_spaces(&pos);
  if (pos == text.size()) return order_by;
  while (true) {
    skip_spaces(&pos);
    const size_t start = pos;
    while (pos < text.size() && IsPathChar(text[pos])) ++pos;
    if (pos == start) return error(start, "expected a field name");
    const std::string_view path = text.substr(start, pos - start);
    absl::StatusOr<FieldSelector> selector = ResolveFieldSelector(
        descriptor, path, "order_by", CharacterPosition(text, start));
    if (!selector.ok()) return selector.status();
    if (selector->repeated) {
      return error(start, absl::StrFormat("field \"%s\" is repeated, or inside "
                                          "a repeated field, and cannot be "
                                          "sorted by",
                                          path));
    }
    if (selector->kind() == ValueKind::kMessage) {
      return error(start,
                   absl::StrFormat("field \"%s\" is a message and has no "
                                   "order; sort by one of its fields",
                                   path));
    }
    Key key{*std::move(selector), false};
    skip_spaces(&pos);
    const size_t word_start = pos;
    while (pos < text.size() &&
           absl::ascii_isalpha(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    const std::string_view word = text.substr(word_start, pos - word_start);
    if (word == "desc") {
      key.descending = true;
    } else if (!word.empty() && word != "asc") {
      return error(word_start,
                   absl::StrFormat("expected \"asc\", \"desc\" or \",\" after "
                                   "\"%s\", not \"%s\"",
                                   path, word));
    }
    order_by.keys_.push_back(std::move(key));
    skip_spaces(&pos);
    if (pos == text.size()) break;
    if (text[pos] != ',') {
      return error(
          pos, absl::StrFormat("expected \",\" or the end after \"%s\"", path));
    }
    ++pos;
  }
  return order_by;
}

std::string OrderBy::CanonicalText() const {
  std::string text;
  for (const Key& key : keys_) {
    if (!text.empty()) text += ", ";
    text += key.selector.text;
    if (key.descending) text += " desc";
  }
  return text;
}

void OrderBy::Sort(std::vector<const Message*>* resources) const {
  SortPrefix(resources, resources->size());
}

void OrderBy::SortPrefix(std::vector<const Message*>* resources,
                         size_t count) const {
  count = std::min(count, resources->size());
  if (count == 0 || resources->size() < 2) return;
  // Every key of every resource is extracted once, into one flat array, as
  // views of the resources' own strings: the comparisons then read plain
  // values, and extraction allocates nothing.
  const size_t key_count = keys_.size();
  const google::protobuf::FieldDescriptor* name_field =
      resources->front()->GetDescriptor()->FindFieldByNumber(1);
  std::deque<std::string> owned;
  struct Entry {
    const Message* resource;
    std::string_view name;
    size_t values;  // Index of its first key in `values`.
  };
  std::vector<Entry> entries;
  entries.reserve(resources->size());
  std::vector<SortValue> values;
  values.reserve(resources->size() * key_count);
  for (const Message* resource : *resources) {
    entries.push_back(
        {resource, StringView(*resource, name_field, &owned), values.size()});
    for (const Key& key : keys_) {
      values.push_back(Extract(*resource, key.selector, &owned));
    }
  }
  auto before = [&](const Entry& a, const Entry& b) {
    for (size_t i = 0; i < key_count; ++i) {
      const int order =
          CompareValues(values[a.values + i], values[b.values + i]);
      if (order != 0) return keys_[i].descending ? order > 0 : order < 0;
    }
    return a.name < b.name;
  };
  // The order is total (names are unique), so sorting only the first
  // `count` gives them exactly as a full sort would.
  if (count < entries.size()) {
    std::partial_sort(entries.begin(), entries.begin() + count, entries.end(),
                      before);
  } else {
    std::sort(entries.begin(), entries.end(), before);
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    (*resources)[i] = entries[i].resource;
  }
}

}  // namespace factgraph::query
