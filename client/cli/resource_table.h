// Resources of a List or BatchGet response as the CLI prints them: a table of
// the columns a reader wants (or every field), JSON, or one name a line.
#ifndef FACTGRAPH_CLIENT_CLI_RESOURCE_TABLE_H_
#define FACTGRAPH_CLIENT_CLI_RESOURCE_TABLE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/cli/command_line.h"
#include "google/protobuf/message.h"

namespace factgraph::cli {

// --output=table|wide|json|name.
OptionSpec OutputOption();

// --output's value, "json" with --json; a usage error for anything else.
absl::StatusOr<std::string> OutputFormat(const Invocation& invocation);

// Prints the repeated resource field `items` of `response` in the `output`
// format.
absl::Status PrintResources(const google::protobuf::Message& response,
                            const google::protobuf::FieldDescriptor& items,
                            const std::string& output);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_RESOURCE_TABLE_H_
