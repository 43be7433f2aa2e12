#include "service/store/collections.h"

#include <cstdio>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "service/store/resource_table.h"

namespace factgraph::store {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

bool IsCollectionField(const FieldDescriptor& field) {
  return field.is_repeated() && field.type() == FieldDescriptor::TYPE_MESSAGE;
}

absl::StatusOr<std::vector<Collection>> DeriveCollections() {
  struct Row {
    std::string_view id;
    const Descriptor* descriptor;
  };
#define FACTGRAPH_COLLECTION_ROW(Resource, collection, ...) \
  Row{#collection, v1::Resource::descriptor()},
  const Row rows[] = {FACTGRAPH_RESOURCES(FACTGRAPH_COLLECTION_ROW)};
#undef FACTGRAPH_COLLECTION_ROW
  const Descriptor* kb = v1::KnowledgeBase::descriptor();
  std::vector<Collection> collections;
  for (const Row& row : rows) {
    const FieldDescriptor* field = kb->FindFieldByName(std::string(row.id));
    if (field == nullptr || !IsCollectionField(*field) ||
        field->message_type() != row.descriptor) {
      return absl::InternalError(
          absl::StrCat("resource table row ", std::string(row.id),
                       " needs a field `repeated ", row.descriptor->name(), " ",
                       std::string(row.id), "` in ", kb->full_name()));
    }
    collections.push_back(Collection{field->name(), row.descriptor, field});
  }
  // Every collection field has a row, in field order.
  size_t next = 0;
  for (int i = 0; i < kb->field_count(); ++i) {
    const FieldDescriptor* field = kb->field(i);
    if (!IsCollectionField(*field)) continue;
    if (next == collections.size() || collections[next++].kb_field != field) {
      return absl::InternalError(
          absl::StrCat(kb->full_name(), ".", field->name(),
                       " has no row at its place in FACTGRAPH_RESOURCES "
                       "(service/store/resource_table.h)"));
    }
  }
  return collections;
}

const absl::StatusOr<std::vector<Collection>>& DerivedCollections() {
  static const auto* const collections =
      new absl::StatusOr<std::vector<Collection>>(DeriveCollections());
  return *collections;
}

}  // namespace

absl::Status CheckCollectionTable() { return DerivedCollections().status(); }

const std::vector<Collection>& AllCollections() {
  const absl::StatusOr<std::vector<Collection>>& collections =
      DerivedCollections();
  if (!collections.ok()) {
    std::fprintf(stderr, "factgraph: %s\n",
                 std::string(collections.status().message()).c_str());
    std::abort();
  }
  return *collections;
}

const Collection* CollectionById(std::string_view id) {
  for (const Collection& collection : AllCollections()) {
    if (collection.id == id) return &collection;
  }
  return nullptr;
}

const Collection* CollectionByDescriptor(
    const google::protobuf::Descriptor* descriptor) {
  for (const Collection& collection : AllCollections()) {
    if (collection.descriptor == descriptor) return &collection;
  }
  return nullptr;
}

int CollectionIndexOfField(uint32_t field_number) {
  // Field numbers are small and dense: a table, read once per resource of
  // a compiled snapshot when it is opened.
  static const std::vector<int>* const by_field = [] {
    auto* table = new std::vector<int>();
    const std::vector<Collection>& collections = AllCollections();
    for (size_t c = 0; c < collections.size(); ++c) {
      const auto number =
          static_cast<size_t>(collections[c].kb_field->number());
      if (number >= table->size()) table->resize(number + 1, -1);
      (*table)[number] = static_cast<int>(c);
    }
    return table;
  }();
  return field_number < by_field->size() ? (*by_field)[field_number] : -1;
}

const Collection* CollectionOfName(std::string_view resource_name) {
  const size_t slash = resource_name.find('/');
  if (slash == std::string_view::npos || slash + 1 == resource_name.size()) {
    return nullptr;
  }
  return CollectionById(resource_name.substr(0, slash));
}

}  // namespace factgraph::store
