// The verbs that need no server: they read seeds from disk with the store
// library. They live in factgraph_cli_offline, which links factgraph_messages
// and factgraph_store but not gRPC (client/cli/CMakeLists.txt).
#ifndef FACTGRAPH_CLIENT_CLI_OFFLINE_VERBS_H_
#define FACTGRAPH_CLIENT_CLI_OFFLINE_VERBS_H_

#include "client/cli/command_line.h"

namespace factgraph::cli {

VerbSpec ValidateVerb();
VerbSpec CompileVerb();

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_OFFLINE_VERBS_H_
