// factgraph facts: the fact view, streamed, filtered by any of subject,
// predicate, object and document.
#include <iostream>
#include <set>

#include "absl/strings/str_join.h"
#include "client/cli/render.h"
#include "client/cli/verbs.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"

namespace factgraph::cli {

absl::Status RunFacts(const Invocation& invocation) {
  v1::QueryFactsRequest request;
  request.set_subject(invocation.String("subject"));
  request.set_predicate(invocation.String("predicate"));
  request.set_object(invocation.String("object"));
  request.set_document(invocation.String("document"));
  if (absl::Status set =
          SetIntFieldsFromOptions(invocation, {"limit"}, &request);
      !set.ok()) {
    return set;
  }
  request.set_stated_only(invocation.Bool("stated-only"));
  absl::StatusOr<std::unique_ptr<Connection>> connection = Connect(invocation);
  if (!connection.ok()) return connection.status();

  auto stub = v1::FactGraphService::NewStub((*connection)->channel());
  grpc::ClientContext context;
  (*connection)->Prepare(&context);
  // All batches in one response, so that --json prints one message.
  v1::QueryFactsResponse all;
  std::unique_ptr<grpc::ClientReader<v1::QueryFactsResponse>> reader =
      stub->QueryFacts(&context, request);
  v1::QueryFactsResponse batch;
  while (reader->Read(&batch)) all.MergeFrom(batch);
  if (grpc::Status status = reader->Finish(); !status.ok()) {
    return (*connection)->Failed(status);
  }
  if (invocation.Bool("json")) return PrintJson(all, std::cout);

  Table table({"SUBJECT", "PATH", "OBJECT", "KIND", "SOURCES", "QUOTE"});
  for (const v1::Fact& fact : all.facts()) {
    std::set<std::string> documents;
    for (const v1::Citation& citation : fact.citations()) {
      documents.insert(citation.document());
    }
    // The first citation's sentence: what the source says.
    const std::string quote =
        fact.citations().empty() ? "" : fact.citations(0).quote();
    table.AddRow({fact.subject(), fact.path(), FormatFactValue(fact.object()),
                  FormatFactKind(fact.kind()), absl::StrJoin(documents, ","),
                  quote});
  }
  table.Print(std::cout);
  std::cout << all.facts_size() << " facts\n";
  return absl::OkStatus();
}

}  // namespace factgraph::cli
