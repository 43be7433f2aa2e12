#include "client/cli/resource_catalog.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/store/resource_table.h"

namespace factgraph::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

std::vector<CollectionMethods> BuildCatalog() {
  const google::protobuf::ServiceDescriptor* service =
      v1::GetInstitutionRequest::descriptor()->file()->FindServiceByName(
          "FactGraphService");
  std::vector<CollectionMethods> collections;
  // The server checks the table against the schema at start
  // (api::CheckStandardMethodSchema), so every lookup here succeeds.
#define FACTGRAPH_CATALOG_ROW(Resource, collection, GetMethod, ListMethod, \
                              BatchGetMethod)                              \
  {                                                                        \
    const MethodDescriptor* list = service->FindMethodByName(#ListMethod); \
    collections.push_back(                                                 \
        {#collection, v1::Resource::descriptor(),                          \
         service->FindMethodByName(#GetMethod), list,                      \
         list->output_type()->FindFieldByName(#collection)});              \
  }
  FACTGRAPH_RESOURCES(FACTGRAPH_CATALOG_ROW)
#undef FACTGRAPH_CATALOG_ROW
  return collections;
}

grpc::ByteBuffer Serialize(const google::protobuf::Message& message) {
  std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool Parse(const grpc::ByteBuffer& buffer, google::protobuf::Message* message) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return message->ParseFromString(bytes);
}

}  // namespace

const std::vector<CollectionMethods>& AllCollectionMethods() {
  static const auto* const catalog =
      new std::vector<CollectionMethods>(BuildCatalog());
  return *catalog;
}

const CollectionMethods* FindCollection(absl::string_view id) {
  for (const CollectionMethods& collection : AllCollectionMethods()) {
    if (collection.id == id) return &collection;
  }
  return nullptr;
}

std::string CollectionIds() {
  std::vector<std::string> ids;
  for (const CollectionMethods& collection : AllCollectionMethods()) {
    ids.push_back(collection.id);
  }
  return absl::StrJoin(ids, ", ");
}

absl::StatusOr<const CollectionMethods*> FindCollectionOrUsageError(
    absl::string_view id) {
  const CollectionMethods* collection = FindCollection(id);
  if (collection == nullptr) {
    return UsageError(absl::StrCat(
        "\"", id, "\" is not a collection; collections: ", CollectionIds()));
  }
  return collection;
}

std::unique_ptr<google::protobuf::Message> NewMessage(const Descriptor* type) {
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
}

absl::Status CallUnary(const Connection& connection,
                       const MethodDescriptor& method,
                       const google::protobuf::Message& request,
                       google::protobuf::Message* response,
                       std::string* snapshot_id) {
  grpc::GenericStub stub(connection.channel());
  grpc::ClientContext context;
  connection.Prepare(&context);
  const grpc::ByteBuffer request_bytes = Serialize(request);
  grpc::ByteBuffer response_bytes;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(
      &context,
      absl::StrCat("/", method.service()->full_name(), "/", method.name()),
      grpc::StubOptions(), &request_bytes, &response_bytes,
      [&](grpc::Status result) {
        status = std::move(result);
        done.Notify();
      });
  done.WaitForNotification();
  if (!status.ok()) return connection.Failed(status);
  if (!Parse(response_bytes, response)) {
    return absl::DataLossError(
        absl::StrCat(method.full_name(), ": the response is not a valid ",
                     response->GetDescriptor()->full_name()));
  }
  if (snapshot_id != nullptr) {
    const auto& metadata = context.GetServerInitialMetadata();
    auto it = metadata.find("x-factgraph-snapshot-id");
    if (it != metadata.end()) {
      *snapshot_id = std::string(it->second.data(), it->second.size());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ListResources(
    const Connection& connection, const CollectionMethods& collection,
    const ListOptions& options) {
  auto request = NewMessage(collection.list->input_type());
  const Descriptor* request_type = request->GetDescriptor();
  const auto* request_reflection = request->GetReflection();
  request_reflection->SetInt32(request.get(),
                               request_type->FindFieldByName("page_size"),
                               options.page_size);
  request_reflection->SetString(
      request.get(), request_type->FindFieldByName("filter"), options.filter);
  request_reflection->SetString(request.get(),
                                request_type->FindFieldByName("order_by"),
                                options.order_by);
  const FieldDescriptor* token_field =
      request_type->FindFieldByName("page_token");
  request_reflection->SetString(request.get(), token_field, options.page_token);

  auto merged = NewMessage(collection.list->output_type());
  const FieldDescriptor* next_token_field =
      merged->GetDescriptor()->FindFieldByName("next_page_token");
  while (true) {
    auto page = NewMessage(collection.list->output_type());
    if (absl::Status status =
            CallUnary(connection, *collection.list, *request, page.get());
        !status.ok()) {
      return status;
    }
    merged->MergeFrom(*page);
    const std::string next =
        page->GetReflection()->GetString(*page, next_token_field);
    merged->GetReflection()->SetString(merged.get(), next_token_field, next);
    if (!options.all_pages || next.empty()) break;
    request_reflection->SetString(request.get(), token_field, next);
  }
  return merged;
}

}  // namespace factgraph::cli
