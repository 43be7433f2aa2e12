#include "service/query/knowledge_base_info.h"

#include <cstdint>
#include <string>

#include "google/protobuf/util/time_util.h"
#include "service/store/collections.h"

namespace factgraph::query {

absl::StatusOr<v1::GetKnowledgeBaseInfoResponse> GetKnowledgeBaseInfo(
    const store::Snapshot& snapshot,
    const v1::GetKnowledgeBaseInfoRequest& /*request*/) {
  v1::GetKnowledgeBaseInfoResponse response;
  response.set_snapshot_id(snapshot.id());
  *response.mutable_load_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(snapshot.load_time()));
  for (const store::Collection& collection : store::AllCollections()) {
    (*response.mutable_counts())[std::string(collection.id)] =
        static_cast<int32_t>(snapshot.Resources(collection).size());
  }
  // Each document read (and so parsed) alone: a compiled snapshot does not
  // keep its knowledge base parsed.
  for (const google::protobuf::Message* document : snapshot.Resources(
           *store::CollectionByDescriptor(v1::Document::descriptor()))) {
    v1::Document* summary = response.add_documents();
    summary->CopyFrom(*document);
    summary->clear_content();
  }
  response.set_fact_count(static_cast<int64_t>(snapshot.fact_count()));
  response.set_source(snapshot.source());
  return response;
}

}  // namespace factgraph::query
