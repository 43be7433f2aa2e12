#include "service/api/factgraph_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "service/api/status.h"
#include "service/store/collections.h"

namespace factgraph::api {

FactGraphService::FactGraphService(const store::SnapshotHolder* holder,
                                   const query::PageTokenCodec* tokens,
                                   FactGraphServiceOptions options)
    : holder_(holder), tokens_(tokens), options_(std::move(options)) {}

absl::StatusOr<std::shared_ptr<const store::Snapshot>>
FactGraphService::CurrentSnapshot() const {
  std::shared_ptr<const store::Snapshot> snapshot = holder_->Current();
  if (snapshot == nullptr) {
    return absl::UnavailableError("the knowledge base is not loaded yet");
  }
  return snapshot;
}

grpc::ServerUnaryReactor* FactGraphService::Unary(
    grpc::CallbackServerContext* context, const SnapshotCall& call) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> current =
      CurrentSnapshot();
  if (!current.ok()) {
    reactor->Finish(ToGrpcStatus(current.status()));
    return reactor;
  }
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> used = call(*current);
  context->AddInitialMetadata(kSnapshotIdMetadataKey,
                              used.ok() ? (*used)->id() : (*current)->id());
  reactor->Finish(ToGrpcStatus(used.status()));
  return reactor;
}

grpc::ServerUnaryReactor* FactGraphService::Get(
    grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  return Unary(context, [&](std::shared_ptr<const store::Snapshot> snapshot)
                   -> absl::StatusOr<std::shared_ptr<const store::Snapshot>> {
    absl::Status status = GetResource(*snapshot, request, response);
    if (!status.ok()) return status;
    return snapshot;
  });
}

grpc::ServerUnaryReactor* FactGraphService::BatchGet(
    grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  return Unary(context, [&](std::shared_ptr<const store::Snapshot> snapshot)
                   -> absl::StatusOr<std::shared_ptr<const store::Snapshot>> {
    absl::Status status =
        BatchGetResources(*snapshot, request, options_.resources, response);
    if (!status.ok()) return status;
    return snapshot;
  });
}

grpc::ServerUnaryReactor* FactGraphService::List(
    grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  return Unary(context, [&](std::shared_ptr<const store::Snapshot> snapshot) {
    return ListResources(*holder_, std::move(snapshot), *tokens_, request,
                         options_.resources, response);
  });
}

grpc::ServerUnaryReactor* FactGraphService::GetKnowledgeBaseInfo(
    grpc::CallbackServerContext* context,
    const v1::GetKnowledgeBaseInfoRequest* request,
    v1::GetKnowledgeBaseInfoResponse* response) {
  return Unary(context, [&](std::shared_ptr<const store::Snapshot> snapshot)
                   -> absl::StatusOr<std::shared_ptr<const store::Snapshot>> {
    response->set_snapshot_id(snapshot->id());
    *response->mutable_load_time() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
            absl::ToUnixNanos(snapshot->load_time()));
    for (const store::Collection& collection : store::AllCollections()) {
      (*response->mutable_counts())[std::string(collection.id)] =
          static_cast<int32_t>(snapshot->Resources(collection).size());
    }
    for (const v1::Document& document :
         snapshot->knowledge_base().documents()) {
      v1::Document* summary = response->add_documents();
      *summary = document;
      summary->clear_content();
    }
    response->set_fact_count(static_cast<int64_t>(snapshot->fact_count()));
    response->set_source(snapshot->source());
    return snapshot;
  });
}

}  // namespace factgraph::api
