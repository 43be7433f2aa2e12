#include "service/store/resource_fields.h"

#include <string>
#include <vector>

#include "factgraph/v1/fact.pb.h"
#include "service/store/collections.h"

namespace factgraph::store {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

ResourceFields MakeResourceFields(const Descriptor* descriptor) {
  ResourceFields fields;
  fields.descriptor = descriptor;
  const auto string_field = [descriptor](const char* name, bool repeated) {
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    return field != nullptr && field->type() == FieldDescriptor::TYPE_STRING &&
                   field->is_repeated() == repeated
               ? field
               : nullptr;
  };
  fields.name = string_field("name", false);
  fields.display_name = string_field("display_name", false);
  fields.aliases = string_field("aliases", true);
  const FieldDescriptor* citations = descriptor->FindFieldByName("citations");
  if (citations != nullptr && citations->is_repeated() &&
      citations->message_type() == v1::Citation::descriptor()) {
    fields.citations = citations;
  }
  return fields;
}

}  // namespace

const ResourceFields& FieldsOf(const Descriptor* descriptor) {
  static const std::vector<ResourceFields>* const all = [] {
    auto* fields = new std::vector<ResourceFields>();
    for (const Collection& collection : AllCollections()) {
      fields->push_back(MakeResourceFields(collection.descriptor));
    }
    return fields;
  }();
  for (const ResourceFields& fields : *all) {
    if (fields.descriptor == descriptor) return fields;
  }
  static const ResourceFields* const none = new ResourceFields();
  return *none;
}

std::string_view StringView(const Message& message,
                            const FieldDescriptor* field) {
  if (field == nullptr) return {};
  std::string scratch;
  const std::string& value =
      message.GetReflection()->GetStringReference(message, field, &scratch);
  // Generated messages return a reference to their own storage, never to
  // `scratch`; anything else would not outlive this call.
  if (&value == &scratch) return {};
  return value;
}

std::string_view NameOf(const Message& message) {
  return StringView(message, FieldsOf(message.GetDescriptor()).name);
}

}  // namespace factgraph::store
