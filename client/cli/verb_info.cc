// factgraph info: what the server is serving.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/render.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/verbs.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "google/protobuf/util/time_util.h"

namespace factgraph::cli {

namespace {

absl::Status PrintInfo(const std::string& server,
                       const v1::GetKnowledgeBaseInfoResponse& response) {
  std::cout << "server:    " << server << "\n"
            << "snapshot:  " << response.snapshot_id() << "\n"
            << "loaded:    "
            << google::protobuf::util::TimeUtil::ToString(response.load_time())
            << "\n"
            << "source:    " << response.source() << "\n"
            << "facts:     " << response.fact_count() << "\n\n";
  Table counts({"COLLECTION", "RESOURCES"});
  // In the API's order rather than the map's.
  for (const CollectionMethods& collection : AllCollectionMethods()) {
    auto it = response.counts().find(collection.id);
    counts.AddRow(
        {collection.id,
         absl::StrCat(it == response.counts().end() ? 0 : it->second)});
  }
  counts.Print(std::cout);
  std::cout << "\n";
  Table documents({"DOCUMENT", "TITLE", "PUBLISHED", "LANGUAGE"});
  for (const v1::Document& document : response.documents()) {
    documents.AddRow({document.name(), document.display_name(),
                      document.has_published_date()
                          ? FormatDate(document.published_date())
                          : "",
                      document.language()});
  }
  documents.Print(std::cout);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunInfo(const Invocation& invocation) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();
  return CallAndPrint(**connection, invocation,
                      &v1::FactGraphService::Stub::GetKnowledgeBaseInfo,
                      v1::GetKnowledgeBaseInfoRequest(),
                      [&](const v1::GetKnowledgeBaseInfoResponse& response) {
                        return PrintInfo((*connection)->options().server,
                                         response);
                      });
}

}  // namespace factgraph::cli
