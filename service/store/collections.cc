#include "service/store/collections.h"

#include "factgraph/v1/knowledge_base.pb.h"

namespace factgraph::store {
namespace {

std::vector<Collection> DeriveCollections() {
  std::vector<Collection> collections;
  const google::protobuf::Descriptor* kb = v1::KnowledgeBase::descriptor();
  for (int i = 0; i < kb->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = kb->field(i);
    if (!field->is_repeated() ||
        field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      continue;
    }
    collections.push_back(
        Collection{field->name(), field->message_type(), field});
  }
  return collections;
}

}  // namespace

const std::vector<Collection>& AllCollections() {
  static const std::vector<Collection>* const collections =
      new std::vector<Collection>(DeriveCollections());
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

const Collection* CollectionOfName(std::string_view resource_name) {
  const size_t slash = resource_name.find('/');
  if (slash == std::string_view::npos || slash + 1 == resource_name.size()) {
    return nullptr;
  }
  return CollectionById(resource_name.substr(0, slash));
}

}  // namespace factgraph::store
