// GetKnowledgeBaseInfo: what one snapshot holds.
#ifndef FACTGRAPH_SERVICE_QUERY_KNOWLEDGE_BASE_INFO_H_
#define FACTGRAPH_SERVICE_QUERY_KNOWLEDGE_BASE_INFO_H_

#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "service/store/snapshot.h"

namespace factgraph::query {

// The snapshot's id, load time and source, the size of every collection,
// the fact count, and the documents without their content.
absl::StatusOr<v1::GetKnowledgeBaseInfoResponse> GetKnowledgeBaseInfo(
    const store::Snapshot& snapshot,
    const v1::GetKnowledgeBaseInfoRequest& request);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_KNOWLEDGE_BASE_INFO_H_
