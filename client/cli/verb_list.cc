// factgraph list COLLECTION: a page (or with --all every page) of a
// collection as a table whose columns come from the resource's descriptor.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/render.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/verbs.h"

namespace factgraph::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The columns of a resource table: its name and display name, then every
// singular field short enough to tabulate — enums, numbers, references,
// dates, amounts. Free text (descriptions, content) stays for `get`.
std::vector<const FieldDescriptor*> ListColumns(const Descriptor& resource) {
  std::vector<const FieldDescriptor*> columns;
  for (int i = 0; i < resource.field_count(); ++i) {
    const FieldDescriptor* field = resource.field(i);
    if (field->is_repeated()) continue;
    const bool is_title =
        field->name() == "name" || field->name() == "display_name";
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !is_title) {
      continue;
    }
    columns.push_back(field);
  }
  return columns;
}

std::string ColumnTitle(const FieldDescriptor& field) {
  std::string title = field.name();
  for (char& c : title) c = c == '_' ? ' ' : static_cast<char>(std::toupper(c));
  return title;
}

void PrintResources(const Message& response, const FieldDescriptor& items) {
  const auto* reflection = response.GetReflection();
  std::vector<const FieldDescriptor*> columns =
      ListColumns(*items.message_type());
  std::vector<std::string> header;
  for (const FieldDescriptor* column : columns)
    header.push_back(ColumnTitle(*column));
  Table table(std::move(header), 48);
  for (int i = 0; i < reflection->FieldSize(response, &items); ++i) {
    const Message& resource =
        reflection->GetRepeatedMessage(response, &items, i);
    std::vector<std::string> row;
    for (const FieldDescriptor* column : columns) {
      const bool set = resource.GetReflection()->HasField(resource, column);
      row.push_back(set ? FormatField(resource, column, -1) : "");
    }
    table.AddRow(std::move(row));
  }
  table.DropEmptyColumns();
  table.Print(std::cout);
}

absl::Status RunList(const Invocation& invocation) {
  const std::string& id = invocation.argument(0);
  const CollectionMethods* collection = FindCollection(id);
  if (collection == nullptr) {
    return UsageError(absl::StrCat(
        "\"", id, "\" is not a collection; collections: ", CollectionIds()));
  }
  absl::StatusOr<int> page_size = invocation.Int("page_size", 0);
  if (!page_size.ok()) return page_size.status();
  const bool all = invocation.Bool("all");
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();

  ListOptions options;
  options.filter = invocation.String("filter");
  options.order_by = invocation.String("order_by");
  options.page_size = *page_size;
  options.page_token = invocation.String("page_token");
  options.all_pages = all;
  absl::StatusOr<std::unique_ptr<Message>> merged =
      ListResources(**connection, *collection, options);
  if (!merged.ok()) return merged.status();
  const Message& response = **merged;
  if (invocation.Bool("json")) return PrintJson(response, std::cout);

  PrintResources(response, *collection->list_items);
  const Descriptor* response_type = response.GetDescriptor();
  const auto* reflection = response.GetReflection();
  const int shown = reflection->FieldSize(response, collection->list_items);
  const int total = reflection->GetInt32(
      response, response_type->FindFieldByName("total_size"));
  const std::string next = reflection->GetString(
      response, response_type->FindFieldByName("next_page_token"));
  if (next.empty()) {
    std::cout << shown << " " << id << "\n";
  } else {
    std::cout << shown << " of " << total << " " << id
              << "; next page: --page_token=" << next << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

VerbSpec ListVerb() {
  return {"list",
          {"COLLECTION"},
          "Lists a collection (institutions, people, agreements, projects,\n"
          "fundings, events, statistics, documents, statements) as a table.",
          {{"filter", true,
            "AIP-160 filter, e.g. 'kind = INSTITUTION_KIND_UNIVERSITY'"},
           {"order_by", true, "fields to sort by, e.g. 'display_name desc'"},
           {"page_size", true, "results per page (server default 50)"},
           {"page_token", true, "continue from a previous page"},
           {"all", false, "follow next_page_token to the last page"}},
          true,
          RunList};
}

}  // namespace factgraph::cli
