// The fields every resource type has (name, display_name, aliases,
// citations), looked up once per type: FindFieldByName is a hash lookup, and
// sorting and indexing a million resources would ask for the same few fields
// tens of millions of times.
#ifndef FACTGRAPH_SERVICE_STORE_RESOURCE_FIELDS_H_
#define FACTGRAPH_SERVICE_STORE_RESOURCE_FIELDS_H_

#include <string_view>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace factgraph::store {

struct ResourceFields {
  const google::protobuf::Descriptor* descriptor = nullptr;
  // Each nullptr when the type has no such field of the expected type.
  const google::protobuf::FieldDescriptor* name = nullptr;
  const google::protobuf::FieldDescriptor* display_name = nullptr;
  const google::protobuf::FieldDescriptor* aliases = nullptr;
  const google::protobuf::FieldDescriptor* citations = nullptr;
};

// The fields of a resource type of AllCollections(); all nullptr for any
// other type.
const ResourceFields& FieldsOf(const google::protobuf::Descriptor* descriptor);

// The value of a singular string field as a view into `message`; empty when
// `field` is nullptr.
std::string_view StringView(const google::protobuf::Message& message,
                            const google::protobuf::FieldDescriptor* field);

// The resource's name (its `name` field), a view into `message`.
std::string_view NameOf(const google::protobuf::Message& message);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_RESOURCE_FIELDS_H_
