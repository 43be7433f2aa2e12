#include "service/api/resource_methods.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "google/protobuf/reflection.h"
#include "service/query/list.h"
#include "service/store/resource_table.h"

namespace factgraph::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The field `name` of `message` with the given type, or an error saying what
// the standard methods need.
absl::StatusOr<const FieldDescriptor*> RequireField(
    const Descriptor& message, const std::string& name,
    FieldDescriptor::Type type, bool repeated,
    const Descriptor* message_type = nullptr) {
  const FieldDescriptor* field = message.FindFieldByName(name);
  if (field == nullptr || field->type() != type ||
      field->is_repeated() != repeated ||
      (message_type != nullptr && field->message_type() != message_type)) {
    const std::string type_name =
        message_type != nullptr ? std::string(message_type->name())
                                : std::string(FieldDescriptor::TypeName(type));
    return absl::InternalError(
        absl::StrCat(message.full_name(), " needs a field `",
                     repeated ? "repeated " : "", type_name, " ", name,
                     "` (the standard methods read it; see the convention in "
                     "factgraph_service.proto)"));
  }
  return field;
}

std::vector<StandardMethodMessages> TableMessages() {
#define FACTGRAPH_STANDARD_MESSAGES(Resource, collection, GetMethod, \
                                    ListMethod, BatchGetMethod)      \
  StandardMethodMessages{v1::Resource::descriptor(),                 \
                         v1::GetMethod##Request::descriptor(),       \
                         v1::ListMethod##Request::descriptor(),      \
                         v1::ListMethod##Response::descriptor(),     \
                         v1::BatchGetMethod##Request::descriptor(),  \
                         v1::BatchGetMethod##Response::descriptor()},
  return {FACTGRAPH_RESOURCES(FACTGRAPH_STANDARD_MESSAGES)};
#undef FACTGRAPH_STANDARD_MESSAGES
}

absl::StatusOr<std::vector<StandardMethodFields>> ResolveTable() {
  if (absl::Status table = store::CheckCollectionTable(); !table.ok()) {
    return table;
  }
  std::vector<StandardMethodFields> all;
  for (const StandardMethodMessages& messages : TableMessages()) {
    const store::Collection* collection =
        store::CollectionByDescriptor(messages.resource);
    if (collection == nullptr) {
      return absl::InternalError(
          absl::StrCat(messages.resource->full_name(), " is not a collection"));
    }
    absl::StatusOr<StandardMethodFields> fields =
        ResolveStandardMethodFields(*collection, messages);
    if (!fields.ok()) return fields.status();
    all.push_back(*fields);
  }
  return all;
}

const absl::StatusOr<std::vector<StandardMethodFields>>& AllFields() {
  static const auto* const fields =
      new absl::StatusOr<std::vector<StandardMethodFields>>(ResolveTable());
  return *fields;
}

// The fields of the resource whose Get, List or BatchGet has `response`
// (which `member` of StandardMethodMessages names).
absl::StatusOr<const StandardMethodFields*> FieldsOf(
    const Descriptor* response,
    const Descriptor* StandardMethodMessages::*member) {
  const absl::StatusOr<std::vector<StandardMethodFields>>& all = AllFields();
  if (!all.ok()) return all.status();
  for (const StandardMethodFields& fields : *all) {
    if (fields.messages.*member == response) return &fields;
  }
  return absl::InternalError(absl::StrCat(
      response->full_name(), " is not a response of a standard method"));
}

// The fields were resolved on `expected`: reflection on another message
// would be a fatal usage error.
absl::Status CheckRequest(const Message& request, const Descriptor* expected) {
  if (request.GetDescriptor() == expected) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(request.GetDescriptor()->full_name(),
                                          " is not a ", expected->full_name()));
}

void AddResources(const std::vector<const Message*>& resources,
                  const FieldDescriptor* field, ResourceTransfer transfer,
                  Message* response) {
  const auto* reflection = response->GetReflection();
  for (const Message* resource : resources) {
    if (transfer == ResourceTransfer::kLend) {
      LendResource(*resource, field, response);
    } else {
      reflection->AddMessage(response, field)->CopyFrom(*resource);
    }
  }
}

}  // namespace

absl::StatusOr<StandardMethodFields> ResolveStandardMethodFields(
    const store::Collection& collection,
    const StandardMethodMessages& messages) {
  constexpr FieldDescriptor::Type kString = FieldDescriptor::TYPE_STRING;
  constexpr FieldDescriptor::Type kInt32 = FieldDescriptor::TYPE_INT32;
  constexpr FieldDescriptor::Type kMessage = FieldDescriptor::TYPE_MESSAGE;
  const std::string items(collection.id);
  StandardMethodFields fields{messages, &collection};
  struct Wanted {
    const FieldDescriptor** out;
    const Descriptor* message;
    const char* name;
    FieldDescriptor::Type type;
    bool repeated = false;
    const Descriptor* message_type = nullptr;
  };
  const Wanted wanted[] = {
      {&fields.get_name, messages.get_request, "name", kString},
      {&fields.list_filter, messages.list_request, "filter", kString},
      {&fields.list_order_by, messages.list_request, "order_by", kString},
      {&fields.list_page_token, messages.list_request, "page_token", kString},
      {&fields.list_page_size, messages.list_request, "page_size", kInt32},
      {&fields.list_items, messages.list_response, items.c_str(), kMessage,
       true, collection.descriptor},
      {&fields.next_page_token, messages.list_response, "next_page_token",
       kString},
      {&fields.total_size, messages.list_response, "total_size", kInt32},
      {&fields.batch_get_names, messages.batch_get_request, "names", kString,
       true},
      {&fields.batch_get_items, messages.batch_get_response, items.c_str(),
       kMessage, true, collection.descriptor},
  };
  if (messages.resource != collection.descriptor) {
    return absl::InternalError(
        absl::StrCat("the Get of collection ", std::string(collection.id),
                     " returns ", messages.resource->full_name(), ", not ",
                     collection.descriptor->full_name()));
  }
  for (const Wanted& field : wanted) {
    absl::StatusOr<const FieldDescriptor*> found =
        RequireField(*field.message, field.name, field.type, field.repeated,
                     field.message_type);
    if (!found.ok()) return found.status();
    *field.out = *found;
  }
  // The responses are written resources first (stored_bytes.h), which is
  // the typed serialisation's order only if their field comes first.
  for (const FieldDescriptor* items :
       {fields.list_items, fields.batch_get_items}) {
    const Descriptor& response = *items->containing_type();
    for (int i = 0; i < response.field_count(); ++i) {
      if (response.field(i)->number() < items->number()) {
        return absl::InternalError(absl::StrCat(
            response.full_name(), ": the field `", items->name(),
            "` needs the lowest field number (the response is written "
            "with the resources first)"));
      }
    }
  }
  return fields;
}

absl::Status CheckStandardMethodSchema() { return AllFields().status(); }

const FieldDescriptor* ResourceFieldOfResponse(const Descriptor* response) {
  if (auto list = FieldsOf(response, &StandardMethodMessages::list_response);
      list.ok()) {
    return (*list)->list_items;
  }
  if (auto batch =
          FieldsOf(response, &StandardMethodMessages::batch_get_response);
      batch.ok()) {
    return (*batch)->batch_get_items;
  }
  return nullptr;
}

absl::StatusOr<const Message*> GetResource(const store::Snapshot& snapshot,
                                           const Message& request,
                                           Message* response,
                                           ResourceTransfer transfer) {
  absl::StatusOr<const StandardMethodFields*> fields =
      FieldsOf(response->GetDescriptor(), &StandardMethodMessages::resource);
  if (!fields.ok()) return fields.status();
  if (absl::Status status =
          CheckRequest(request, (*fields)->messages.get_request);
      !status.ok()) {
    return status;
  }
  std::string scratch;
  // By reference: a resource name is too long for the small-string buffer,
  // so a copy would cost an allocation per call.
  absl::StatusOr<const Message*> resource =
      query::Get(snapshot, *(*fields)->collection,
                 request.GetReflection()->GetStringReference(
                     request, (*fields)->get_name, &scratch));
  if (!resource.ok()) return resource.status();
  if (transfer == ResourceTransfer::kCopy) response->CopyFrom(**resource);
  return *resource;
}

absl::Status BatchGetResources(const store::Snapshot& snapshot,
                               const Message& request,
                               const ResourceMethodLimits& limits,
                               Message* response, ResourceTransfer transfer) {
  absl::StatusOr<const StandardMethodFields*> fields = FieldsOf(
      response->GetDescriptor(), &StandardMethodMessages::batch_get_response);
  if (!fields.ok()) return fields.status();
  if (absl::Status status =
          CheckRequest(request, (*fields)->messages.batch_get_request);
      !status.ok()) {
    return status;
  }
  const auto names = request.GetReflection()->GetRepeatedFieldRef<std::string>(
      request, (*fields)->batch_get_names);
  std::vector<std::string> name_list(names.begin(), names.end());
  absl::StatusOr<std::vector<const Message*>> resources = query::BatchGet(
      snapshot, *(*fields)->collection, name_list, limits.max_batch_size);
  if (!resources.ok()) return resources.status();
  AddResources(*resources, (*fields)->batch_get_items, transfer, response);
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const store::Snapshot>> ListResources(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const query::PageTokenCodec& tokens, query::ListMemos* memos,
    const Message& request, const ResourceMethodLimits& limits,
    Message* response, ResourceTransfer transfer) {
  absl::StatusOr<const StandardMethodFields*> fields = FieldsOf(
      response->GetDescriptor(), &StandardMethodMessages::list_response);
  if (!fields.ok()) return fields.status();
  const StandardMethodFields& f = **fields;
  if (absl::Status status = CheckRequest(request, f.messages.list_request);
      !status.ok()) {
    return status;
  }
  const auto* in = request.GetReflection();
  query::ListRequest list_request;
  list_request.filter = in->GetString(request, f.list_filter);
  list_request.order_by = in->GetString(request, f.list_order_by);
  list_request.page_token = in->GetString(request, f.list_page_token);
  list_request.page_size = in->GetInt32(request, f.list_page_size);
  absl::StatusOr<query::ListResult> result =
      query::ListPage(holder, std::move(current), *f.collection, list_request,
                      limits.list, tokens, memos);
  if (!result.ok()) return result.status();
  AddResources(result->resources, f.list_items, transfer, response);
  const auto* out = response->GetReflection();
  out->SetString(response, f.next_page_token, result->next_page_token);
  out->SetInt32(response, f.total_size, result->total_size);
  return result->snapshot;
}

}  // namespace factgraph::api
