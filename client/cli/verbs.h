// The verbs of the factgraph command, one file each; those that need no
// server are declared in offline_verbs.h. Each file
// holds the function that runs its verb; their specs are one table
// (AllVerbs).
#ifndef FACTGRAPH_CLIENT_CLI_VERBS_H_
#define FACTGRAPH_CLIENT_CLI_VERBS_H_

#include <initializer_list>
#include <iostream>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/cli/command_line.h"
#include "client/cli/connection.h"
#include "client/cli/offline_verbs.h"  // IWYU pragma: export
#include "client/cli/render.h"
#include "google/protobuf/message.h"

namespace factgraph::cli {

absl::Status RunGet(const Invocation& invocation);
absl::Status RunBatchGet(const Invocation& invocation);
absl::Status RunList(const Invocation& invocation);
absl::Status RunSearch(const Invocation& invocation);
absl::Status RunFacts(const Invocation& invocation);
absl::Status RunNeighbors(const Invocation& invocation);
absl::Status RunPaths(const Invocation& invocation);
absl::Status RunGraph(const Invocation& invocation);
absl::Status RunInfo(const Invocation& invocation);
absl::Status RunReload(const Invocation& invocation);
absl::Status RunDescribe(const Invocation& invocation);

// Every verb with its name, arguments, summary and options (the one table
// of them, verbs.cc and offline_verbs.cc), in the order `factgraph help`
// lists them.
const std::vector<VerbSpec>& AllVerbs();

// The connection the global options describe.
absl::StatusOr<std::unique_ptr<Connection>> Connect(
    const Invocation& invocation);

// A generated stub's blocking unary method.
template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&,
                                           Response*);

// Makes one unary call of `method` (e.g.
// &v1::FactGraphService::Stub::ListNeighbors) on `connection` with the
// deadline and token set; a failed call comes back through
// Connection::Failed.
template <typename Stub, typename Request, typename Response>
absl::Status CallUnaryRpc(const Connection& connection,
                          UnaryMethod<Stub, Request, Response> method,
                          const Request& request, Response* response) {
  Stub stub(connection.channel());
  grpc::ClientContext context;
  connection.Prepare(&context);
  const grpc::Status status = (stub.*method)(&context, request, response);
  if (!status.ok()) return connection.Failed(status);
  return absl::OkStatus();
}

// The same on the connection the global options describe.
template <typename Stub, typename Request, typename Response>
absl::Status CallUnaryRpc(const Invocation& invocation,
                          UnaryMethod<Stub, Request, Response> method,
                          const Request& request, Response* response) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();
  return CallUnaryRpc(**connection, method, request, response);
}

// The verbs' one way of calling: one unary call of `method` with `request`,
// its response printed as JSON with --json, else by `render` (a callable
// taking the response and returning an absl::Status).
template <typename Stub, typename Request, typename Response, typename Render>
absl::Status CallAndPrint(const Connection& connection,
                          const Invocation& invocation,
                          UnaryMethod<Stub, Request, Response> method,
                          const Request& request, Render render) {
  Response response;
  if (absl::Status called =
          CallUnaryRpc(connection, method, request, &response);
      !called.ok()) {
    return called;
  }
  if (invocation.Bool("json")) return PrintJson(response, std::cout);
  return render(response);
}

// The same on the connection the global options describe.
template <typename Stub, typename Request, typename Response, typename Render>
absl::Status CallAndPrint(const Invocation& invocation,
                          UnaryMethod<Stub, Request, Response> method,
                          const Request& request, Render render) {
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();
  return CallAndPrint(**connection, invocation, method, request, render);
}

// Sets each int32 field of `request` named in `options` from the integer
// option of the same name (0, the server's default, when it is not given).
absl::Status SetIntFieldsFromOptions(const Invocation& invocation,
                                     std::initializer_list<const char*> options,
                                     google::protobuf::Message* request);

// Splits a comma-separated option value, dropping empty parts.
std::vector<std::string> SplitList(const std::string& value);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_VERBS_H_
