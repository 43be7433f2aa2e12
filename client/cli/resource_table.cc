#include "client/cli/resource_table.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/render.h"
#include "factgraph/v1/common.pb.h"

namespace factgraph::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The fields a reader of a resource's table wants first, right after its
// name and display name, by resource type: what a statistic counts and how
// the source says it, who an agreement binds. A narrow terminal drops the
// last columns first.
const std::vector<std::string>& PreferredFields(const Descriptor& resource) {
  static const auto* const preferred =
      new absl::flat_hash_map<std::string, std::vector<std::string>>{
          {"Statistic", {"value", "unit", "text"}},
          {"Agreement", {"kind", "parties"}},
          {"Funding", {"amount", "funder", "recipient"}},
          {"Statement", {"speaker", "kind", "text"}},
      };
  static const auto* const none = new std::vector<std::string>();
  auto it = preferred->find(resource.name());
  return it == preferred->end() ? *none : it->second;
}

bool IsPreferred(const Descriptor& resource, const FieldDescriptor& field) {
  const std::vector<std::string>& wanted = PreferredFields(resource);
  return std::find(wanted.begin(), wanted.end(), field.name()) != wanted.end();
}

bool IsReferenceList(const FieldDescriptor& field) {
  return field.is_repeated() &&
         field.message_type() == v1::EntityRef::descriptor();
}

// The columns of a resource table: its name and display name, then every
// singular field short enough to tabulate — enums, numbers, references,
// dates, amounts — and the lists of references (an agreement's parties).
// Free text (descriptions, content) stays for `get` and --output=wide, which
// shows every field but the citations.
std::vector<const FieldDescriptor*> ListColumns(const Descriptor& resource,
                                                bool wide) {
  std::vector<const FieldDescriptor*> columns;
  for (int i = 0; i < resource.field_count(); ++i) {
    const FieldDescriptor* field = resource.field(i);
    if (field->message_type() == v1::Citation::descriptor()) continue;
    if (wide) {
      columns.push_back(field);
      continue;
    }
    if (field->is_repeated() && !IsReferenceList(*field)) continue;
    const bool is_title =
        field->name() == "name" || field->name() == "display_name";
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !is_title &&
        !IsPreferred(resource, *field)) {
      continue;
    }
    columns.push_back(field);
  }
  // Titles, then the preferred fields in their order, then the rest.
  auto rank = [&](const FieldDescriptor* field) -> size_t {
    if (field->name() == "name") return 0;
    if (field->name() == "display_name") return 1;
    const std::vector<std::string>& wanted = PreferredFields(resource);
    const auto it = std::find(wanted.begin(), wanted.end(), field->name());
    return it == wanted.end() ? wanted.size() + 2 : (it - wanted.begin()) + 2;
  };
  std::stable_sort(columns.begin(), columns.end(),
                   [&](const FieldDescriptor* a, const FieldDescriptor* b) {
                     return rank(a) < rank(b);
                   });
  return columns;
}

// A table cell: enums without their type prefix, references by display
// name, lists joined.
std::string Cell(const Message& resource, const FieldDescriptor& field) {
  const auto* reflection = resource.GetReflection();
  auto one = [&](int index) -> std::string {
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      return ShortEnumName(
          *(index < 0 ? reflection->GetEnum(resource, &field)
                      : reflection->GetRepeatedEnum(resource, &field, index)));
    }
    if (field.message_type() == v1::EntityRef::descriptor()) {
      // By display name: the table's own resource names stay whole in the
      // first column; `get` shows the referenced names.
      const auto& ref = static_cast<const v1::EntityRef&>(
          index < 0 ? reflection->GetMessage(resource, &field)
                    : reflection->GetRepeatedMessage(resource, &field, index));
      return ref.display_name().empty() ? ref.name() : ref.display_name();
    }
    return FormatField(resource, &field, index);
  };
  if (!field.is_repeated()) {
    return reflection->HasField(resource, &field) ? one(-1) : "";
  }
  std::vector<std::string> items;
  for (int i = 0; i < reflection->FieldSize(resource, &field); ++i) {
    items.push_back(one(i));
  }
  return absl::StrJoin(items, "; ");
}

}  // namespace

OptionSpec OutputOption() {
  return {"output", true,
          "table (default: the columns that matter, fitted to the terminal), "
          "wide (every field), json, or name (one resource name a line)"};
}

absl::StatusOr<std::string> OutputFormat(const Invocation& invocation) {
  if (invocation.Bool("json")) return std::string("json");
  std::string output = invocation.String("output", "table");
  if (output != "table" && output != "wide" && output != "json" &&
      output != "name") {
    return UsageError(absl::StrCat(
        "--output is table, wide, json or name, not \"", output, "\""));
  }
  return output;
}

namespace {

std::string ColumnTitle(const FieldDescriptor& field) {
  std::string title = field.name();
  for (char& c : title) c = c == '_' ? ' ' : static_cast<char>(std::toupper(c));
  return title;
}

void PrintTable(const Message& response, const FieldDescriptor& items,
                bool wide) {
  const auto* reflection = response.GetReflection();
  std::vector<const FieldDescriptor*> columns =
      ListColumns(*items.message_type(), wide);
  std::vector<std::string> header;
  for (const FieldDescriptor* column : columns)
    header.push_back(ColumnTitle(*column));
  Table table(std::move(header), wide ? 200 : 60);
  for (int i = 0; i < reflection->FieldSize(response, &items); ++i) {
    const Message& resource =
        reflection->GetRepeatedMessage(response, &items, i);
    std::vector<std::string> row;
    for (const FieldDescriptor* column : columns) {
      row.push_back(Cell(resource, *column));
    }
    table.AddRow(std::move(row));
  }
  table.DropEmptyColumns();
  table.Print(std::cout);
}

}  // namespace

absl::Status PrintResources(const Message& response,
                            const FieldDescriptor& items,
                            const std::string& output) {
  if (output == "json") return PrintJson(response, std::cout);
  const auto* reflection = response.GetReflection();
  if (output == "name") {
    for (int i = 0; i < reflection->FieldSize(response, &items); ++i) {
      const Message& resource =
          reflection->GetRepeatedMessage(response, &items, i);
      std::cout << resource.GetReflection()->GetString(
                       resource,
                       resource.GetDescriptor()->FindFieldByName("name"))
                << "\n";
    }
    return absl::OkStatus();
  }
  PrintTable(response, items, output == "wide");
  return absl::OkStatus();
}

}  // namespace factgraph::cli
