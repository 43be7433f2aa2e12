// The collections of the knowledge base, one per row of the resource table
// (resource_table.h): the collection id ("institutions") is the name of its
// repeated field of factgraph.v1.KnowledgeBase. Everything generic in
// factgraph (loading, facts, filters, standard methods) iterates over these
// instead of naming resource types.
#ifndef FACTGRAPH_SERVICE_STORE_COLLECTIONS_H_
#define FACTGRAPH_SERVICE_STORE_COLLECTIONS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"

namespace factgraph::store {

struct Collection {
  // Collection id and resource-name prefix, e.g. "institutions".
  std::string_view id;
  // The resource message, e.g. factgraph.v1.Institution.
  const google::protobuf::Descriptor* descriptor;
  // The repeated field of factgraph.v1.KnowledgeBase that holds it.
  const google::protobuf::FieldDescriptor* kb_field;
};

// All collections, in KnowledgeBase field order. Aborts with the message of
// CheckCollectionTable when the table and the schema disagree.
const std::vector<Collection>& AllCollections();

// OK when every row of the resource table names a repeated field of
// KnowledgeBase of its resource type and every repeated message field of
// KnowledgeBase has a row; otherwise an error naming the first mismatch.
absl::Status CheckCollectionTable();

// The collection with this id, or nullptr.
const Collection* CollectionById(std::string_view id);

// The collection whose resource message is `descriptor`, or nullptr.
const Collection* CollectionByDescriptor(
    const google::protobuf::Descriptor* descriptor);

// The position in AllCollections() of the collection held by the
// KnowledgeBase field numbered `field_number` (as a compiled snapshot stores
// each resource's collection), or -1 when no collection is.
int CollectionIndexOfField(uint32_t field_number);

// The collection a resource name belongs to ("people/x" -> people), or
// nullptr when the prefix is not a collection or the id part is empty.
const Collection* CollectionOfName(std::string_view resource_name);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_COLLECTIONS_H_
