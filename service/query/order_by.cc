#include "service/query/order_by.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "service/query/text_position.h"

namespace factgraph::query {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsPathChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.';
}

// One extracted key value; monostate when the path reaches nothing.
using SortValue = std::variant<std::monostate, int64_t, uint64_t, double,
                               std::string, std::array<int32_t, 3>>;

SortValue Extract(const Message& resource, const FieldSelector& selector) {
  SortValue result;
  AnyValue(resource, selector, [&](const Message& parent, int) {
    const FieldDescriptor* field = &selector.leaf();
    const Reflection& r = *parent.GetReflection();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        result = r.GetString(parent, field);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        result = static_cast<int64_t>(r.GetInt32(parent, field));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        result = r.GetInt64(parent, field);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        result = static_cast<uint64_t>(r.GetUInt32(parent, field));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        result = r.GetUInt64(parent, field);
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        result = r.GetDouble(parent, field);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        result = static_cast<double>(r.GetFloat(parent, field));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        result = static_cast<int64_t>(r.GetBool(parent, field));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        result = static_cast<int64_t>(r.GetEnumValue(parent, field));
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Message& value = r.GetMessage(parent, field);
        const Reflection& vr = *value.GetReflection();
        const Descriptor* type = value.GetDescriptor();
        if (selector.kind() == ValueKind::kDate) {
          // Date's fields 1, 2, 3 are year, month, day.
          result = std::array<int32_t, 3>{
              vr.GetInt32(value, type->FindFieldByNumber(1)),
              vr.GetInt32(value, type->FindFieldByNumber(2)),
              vr.GetInt32(value, type->FindFieldByNumber(3))};
        } else {
          // EntityRef: its name, field 1.
          result = vr.GetString(value, type->FindFieldByNumber(1));
        }
        break;
      }
    }
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

absl::StatusOr<OrderBy> OrderBy::Parse(std::string_view text,
                                       const Descriptor& descriptor) {
  // Positions in errors are counted from the start, so the parse is
  // quadratic in the length: bounding it bounds the work.
  const int length = CharacterCount(text);
  if (length > kMaxOrderByLength) {
    return absl::OutOfRangeError(absl::StrFormat(
        "order_by: %d characters long, more than the limit of %d", length,
        kMaxOrderByLength));
  }
  OrderBy order_by;
  auto error = [&](size_t offset, std::string_view what) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "order_by: %s at position %d", what, CharacterPosition(text, offset)));
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

void OrderBy::Sort(std::vector<const Message*>* resources) const {
  struct Entry {
    const Message* resource;
    std::string name;
    std::vector<SortValue> values;
  };
  std::vector<Entry> entries;
  entries.reserve(resources->size());
  for (const Message* resource : *resources) {
    Entry entry{resource, {}, {}};
    const FieldDescriptor* name_field =
        resource->GetDescriptor()->FindFieldByNumber(1);
    entry.name = resource->GetReflection()->GetString(*resource, name_field);
    entry.values.reserve(keys_.size());
    for (const Key& key : keys_) {
      entry.values.push_back(Extract(*resource, key.selector));
    }
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(),
            [this](const Entry& a, const Entry& b) {
              for (size_t i = 0; i < keys_.size(); ++i) {
                const int order = CompareValues(a.values[i], b.values[i]);
                if (order != 0)
                  return keys_[i].descending ? order > 0 : order < 0;
              }
              return a.name < b.name;
            });
  for (size_t i = 0; i < entries.size(); ++i) {
    (*resources)[i] = entries[i].resource;
  }
}

}  // namespace factgraph::query
