#include "service/api/resource_methods.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/reflection.h"
#include "service/query/list.h"
#include "service/store/collections.h"

namespace factgraph::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The resource field of a List or BatchGet response: the first field, whose
// message type is a resource. Fixed by the schema, so a mismatch is a
// programming error.
const FieldDescriptor* ResourceField(const Descriptor* response) {
  return response->field(0);
}

// Get returns the resource itself (AIP-131): its response is a resource.
bool IsResource(const Descriptor* message) {
  return store::CollectionByDescriptor(message) != nullptr;
}

absl::StatusOr<const store::Collection*> CollectionOfResponse(
    const Message& response) {
  const FieldDescriptor* field = ResourceField(response.GetDescriptor());
  const store::Collection* collection =
      field->message_type() == nullptr
          ? nullptr
          : store::CollectionByDescriptor(field->message_type());
  if (collection == nullptr) {
    return absl::InternalError(absl::StrCat(
        response.GetDescriptor()->full_name(), " has no resource field"));
  }
  return collection;
}

std::string StringField(const Message& message, const char* name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  return field == nullptr ? std::string()
                          : message.GetReflection()->GetString(message, field);
}

// Like StringField, without copying the string (a resource name is too long
// for the small-string buffer, so a copy costs an allocation per call).
const std::string& StringFieldReference(const Message& message,
                                        const char* name,
                                        std::string* scratch) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  if (field == nullptr) {
    scratch->clear();
    return *scratch;
  }
  return message.GetReflection()->GetStringReference(message, field, scratch);
}

int32_t Int32Field(const Message& message, const char* name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  return field == nullptr ? 0
                          : message.GetReflection()->GetInt32(message, field);
}

// Lending hands the snapshot's const messages to a response that only reads
// them (serialisation is a const operation; its cached sizes are atomics), and
// TakeBackLentResources removes them before the response could free them.
Message* Lendable(const Message* resource) {
  return const_cast<Message*>(resource);
}

void AddResources(const std::vector<const Message*>& resources,
                  ResourceTransfer transfer, Message* response) {
  const FieldDescriptor* field = ResourceField(response->GetDescriptor());
  const auto* reflection = response->GetReflection();
  for (const Message* resource : resources) {
    if (transfer == ResourceTransfer::kLend) {
      reflection->UnsafeArenaAddAllocatedMessage(response, field,
                                                 Lendable(resource));
    } else {
      reflection->AddMessage(response, field)->CopyFrom(*resource);
    }
  }
}

}  // namespace

void TakeBackLentResources(Message* response) {
  // A Get response is never lent into: the whole response is swapped instead.
  if (IsResource(response->GetDescriptor())) return;
  const FieldDescriptor* field = ResourceField(response->GetDescriptor());
  const auto* reflection = response->GetReflection();
  if (field->is_repeated()) {
    for (int i = reflection->FieldSize(*response, field); i > 0; --i) {
      reflection->UnsafeArenaReleaseLast(response, field);
    }
  }
}

absl::StatusOr<const Message*> GetResource(const store::Snapshot& snapshot,
                                           const Message& request,
                                           Message* response,
                                           ResourceTransfer transfer) {
  const store::Collection* collection =
      store::CollectionByDescriptor(response->GetDescriptor());
  if (collection == nullptr) {
    return absl::InternalError(absl::StrCat(
        response->GetDescriptor()->full_name(), " is not a resource"));
  }
  std::string scratch;
  absl::StatusOr<const Message*> resource = query::Get(
      snapshot, *collection, StringFieldReference(request, "name", &scratch));
  if (!resource.ok()) return resource.status();
  if (transfer == ResourceTransfer::kCopy) response->CopyFrom(**resource);
  return *resource;
}

absl::Status BatchGetResources(const store::Snapshot& snapshot,
                               const Message& request,
                               const ResourceMethodLimits& limits,
                               Message* response, ResourceTransfer transfer) {
  absl::StatusOr<const store::Collection*> collection =
      CollectionOfResponse(*response);
  if (!collection.ok()) return collection.status();
  const FieldDescriptor* names_field =
      request.GetDescriptor()->FindFieldByName("names");
  const auto names = request.GetReflection()->GetRepeatedFieldRef<std::string>(
      request, names_field);
  std::vector<std::string> name_list(names.begin(), names.end());
  absl::StatusOr<std::vector<const Message*>> resources =
      query::BatchGet(snapshot, **collection, name_list, limits.max_batch_size);
  if (!resources.ok()) return resources.status();
  AddResources(*resources, transfer, response);
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const store::Snapshot>> ListResources(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const query::PageTokenCodec& tokens, const Message& request,
    const ResourceMethodLimits& limits, Message* response,
    ResourceTransfer transfer) {
  absl::StatusOr<const store::Collection*> collection =
      CollectionOfResponse(*response);
  if (!collection.ok()) return collection.status();
  query::ListRequest list_request;
  list_request.filter = StringField(request, "filter");
  list_request.order_by = StringField(request, "order_by");
  list_request.page_token = StringField(request, "page_token");
  list_request.page_size = Int32Field(request, "page_size");
  absl::StatusOr<query::ListResult> result =
      query::ListResources(holder, std::move(current), **collection,
                           list_request, limits.list, tokens);
  if (!result.ok()) return result.status();
  AddResources(result->resources, transfer, response);
  const Descriptor* descriptor = response->GetDescriptor();
  const auto* reflection = response->GetReflection();
  reflection->SetString(response,
                        descriptor->FindFieldByName("next_page_token"),
                        result->next_page_token);
  reflection->SetInt32(response, descriptor->FindFieldByName("total_size"),
                       result->total_size);
  return result->snapshot;
}

}  // namespace factgraph::api
