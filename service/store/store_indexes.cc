#include "service/store/store_indexes.h"

#include <cstring>

#include "factgraph/v1/fact.pb.h"
#include "service/store/facts.h"
#include "xxhash.h"

namespace factgraph::store {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

uint32_t KeyTable::Hash32(std::string_view key) {
  return static_cast<uint32_t>(XXH3_64bits(key.data(), key.size()) >> 32);
}

uint32_t KeyTable::Find(std::string_view key) const {
  return ViewOf(*this).Find(key);
}

StringTableView ViewOf(const StringTable& table) {
  return StringTableView{table.bytes, table.offsets};
}

KeyTableView ViewOf(const KeyTable& table) {
  return KeyTableView{ViewOf(table.keys), table.slots};
}

PostingListsView ViewOf(const PostingLists& lists) {
  return PostingListsView{lists.begins, lists.values};
}

StoreIndexViews ViewsOf(const StoreIndexes& indexes) {
  StoreIndexViews views;
  views.resource_names = ViewOf(indexes.resource_names);
  views.resource_fact_begins = indexes.resource_fact_begins;
  views.facts = indexes.facts;
  views.covering_citations = indexes.covering_citations;
  views.predicates = ViewOf(indexes.predicates);
  views.facts_by_predicate = ViewOf(indexes.facts_by_predicate);
  views.object_keys = ViewOf(indexes.object_keys);
  views.facts_by_object = ViewOf(indexes.facts_by_object);
  views.documents = ViewOf(indexes.documents);
  views.facts_by_document = ViewOf(indexes.facts_by_document);
  views.links_to = ViewOf(indexes.links_to);
  views.links = indexes.links;
  views.links_from_begins = indexes.links_from_begins;
  views.name_tokens = ViewOf(indexes.name_tokens);
  views.names_by_token = ViewOf(indexes.names_by_token);
  return views;
}

uint32_t KeyTableView::Find(std::string_view key) const {
  constexpr uint32_t kNotFound = KeyTable::kNotFound;
  if (slots.empty()) return kNotFound;
  const uint32_t hash = KeyTable::Hash32(key);
  const size_t mask = slots.size() - 1;
  // The table is never full, so an empty slot ends every probe sequence.
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const KeyTable::Slot& slot = slots[i];
    if (slot.id == kNotFound) return kNotFound;
    if (slot.hash != hash || slot.key_size != key.size()) continue;
    ABSL_HARDENING_ASSERT(slot.key_begin <= keys.bytes.size() &&
                          slot.key_size <= keys.bytes.size() - slot.key_begin);
    if (std::memcmp(keys.bytes.data() + slot.key_begin, key.data(),
                    key.size()) == 0) {
      return slot.id;
    }
  }
}

const Message& FactLeafParent(const Message& resource,
                              const InternedPath& path) {
  const Message* message = &resource;
  for (size_t i = 0; i + 1 < path.path.steps.size(); ++i) {
    const PathStep& step = path.path.steps[i];
    const Reflection* reflection = path.reflections[i];
    message = step.index >= 0 ? &reflection->GetRepeatedMessage(
                                    *message, step.field, step.index)
                              : &reflection->GetMessage(*message, step.field);
  }
  return *message;
}

std::string_view FactObjectKeyOf(const Message& resource,
                                 const InternedPath& path,
                                 std::string* scratch) {
  const Message& parent = FactLeafParent(resource, path);
  const Reflection& reflection = *path.reflections.back();
  const PathStep& leaf = path.path.steps.back();
  const FieldDescriptor* field = leaf.field;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return leaf.index >= 0
                 ? reflection.GetRepeatedStringReference(parent, field,
                                                         leaf.index, scratch)
                 : reflection.GetStringReference(parent, field, scratch);
    case FieldDescriptor::CPPTYPE_ENUM:
      return (leaf.index >= 0
                  ? reflection.GetRepeatedEnum(parent, field, leaf.index)
                  : reflection.GetEnum(parent, field))
          ->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      static const Descriptor* const entity_ref = v1::EntityRef::descriptor();
      if (field->message_type() == entity_ref) {
        const Message& ref =
            leaf.index >= 0
                ? reflection.GetRepeatedMessage(parent, field, leaf.index)
                : reflection.GetMessage(parent, field);
        return static_cast<const v1::EntityRef&>(ref).name();
      }
      break;
    }
    default:
      break;
  }
  v1::FactValue value;
  SetLeafValue(parent, reflection, leaf, &value);
  *scratch = ObjectKey(value);
  return *scratch;
}

}  // namespace factgraph::store
