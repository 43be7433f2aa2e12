// factgraph reload: asks the server to load its knowledge base again.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/cli/render.h"
#include "client/cli/verbs.h"
#include "factgraph/v1/admin_service.grpc.pb.h"

namespace factgraph::cli {

absl::Status RunReload(const Invocation& invocation) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();
  absl::Status status = CallAndPrint(
      **connection, invocation, &v1::AdminService::Stub::ReloadKnowledgeBase,
      v1::ReloadKnowledgeBaseRequest(),
      [](const v1::ReloadKnowledgeBaseResponse& response) {
        if (response.changed()) {
          std::cout << "reloaded: snapshot " << response.snapshot_id()
                    << " (was " << response.previous_snapshot_id() << ")\n";
        } else {
          std::cout << "reloaded: snapshot " << response.snapshot_id()
                    << " (unchanged)\n";
        }
        return absl::OkStatus();
      });
  if (absl::IsUnimplemented(status)) {
    return absl::UnimplementedError(absl::StrCat(
        (*connection)->options().server,
        " does not serve factgraph.v1.AdminService: its operator started "
        "factgraphd without --admin_token_file, so the knowledge base can "
        "only be reloaded by SIGHUP"));
  }
  return status;
}

}  // namespace factgraph::cli
