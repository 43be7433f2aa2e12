// The verbs that need no server: they read seeds from disk with the store
// library. They live in factgraph_cli_offline, which links factgraph_messages
// and factgraph_store but not gRPC (client/cli/CMakeLists.txt).
#ifndef FACTGRAPH_CLIENT_CLI_OFFLINE_VERBS_H_
#define FACTGRAPH_CLIENT_CLI_OFFLINE_VERBS_H_

#include <vector>

#include "absl/status/status.h"
#include "client/cli/command_line.h"

namespace factgraph::cli {

absl::Status RunValidate(const Invocation& invocation);
absl::Status RunCompile(const Invocation& invocation);

// validate and compile, in the order `factgraph help` lists them.
const std::vector<VerbSpec>& OfflineVerbs();

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_OFFLINE_VERBS_H_
