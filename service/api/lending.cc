#include "service/api/lending.h"

#include "service/api/resource_methods.h"

namespace factgraph::api {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

void LendResource(const Message& resource, const FieldDescriptor* field,
                  Message* response) {
  // The only const_cast of a stored resource: the response reads it and
  // TakeBackLentResources removes it before the response could free it.
  response->GetReflection()->UnsafeArenaAddAllocatedMessage(
      response, field, const_cast<Message*>(&resource));
}

void TakeBackLentResources(Message* response) {
  const FieldDescriptor* items =
      ResourceFieldOfResponse(response->GetDescriptor());
  if (items == nullptr) return;
  const auto* reflection = response->GetReflection();
  for (int i = reflection->FieldSize(*response, items); i > 0; --i) {
    reflection->UnsafeArenaReleaseLast(response, items);
  }
}

}  // namespace factgraph::api
