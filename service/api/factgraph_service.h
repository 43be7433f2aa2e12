// factgraph.v1.FactGraphService on gRPC's callback API. Each method takes one
// snapshot for the whole call, makes one domain call, and converts the
// result; the logic lives in service/query.
#ifndef FACTGRAPH_SERVICE_API_FACTGRAPH_SERVICE_H_
#define FACTGRAPH_SERVICE_API_FACTGRAPH_SERVICE_H_

#include <atomic>
#include <memory>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "service/api/admission.h"
#include "service/api/resource_methods.h"
#include "service/query/graph.h"
#include "service/query/page_token.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::api {

// Response metadata key that carries the id of the snapshot that answered.
inline constexpr char kSnapshotIdMetadataKey[] = "x-factgraph-snapshot-id";

struct FactGraphServiceOptions {
  ResourceMethodLimits resources;
  // Facts per QueryFacts stream message.
  int facts_batch_size = 512;
  // Most facts one QueryFacts call streams.
  int max_facts_per_call = 10'000'000;
  // Most QueryFacts streams open at once, over all callers; more are
  // RESOURCE_EXHAUSTED. A stream whose caller does not read holds one batch
  // (at most 64 KiB of facts) until it is cancelled, so this bounds the
  // memory such callers can pin.
  int max_open_fact_streams = 256;
  // Most neighbours / paths a graph call returns.
  int max_graph_results = 1000;
  // Most search results per page.
  int max_search_page_size = 100;
  // Asked before every unary call; may refuse it (not owned; may be null).
  const Admission* admission = nullptr;
};

class FactGraphService final : public v1::FactGraphService::CallbackService {
 public:
  // `holder` and `tokens` must outlive the service.
  FactGraphService(const store::SnapshotHolder* holder,
                   const query::PageTokenCodec* tokens,
                   FactGraphServiceOptions options);

// The three standard methods of one resource, each one line over the
// reflection-based implementations in resource_methods.h.
#define FACTGRAPH_STANDARD_METHODS(Resource, Resources)                  \
  grpc::ServerUnaryReactor* Get##Resource(                               \
      grpc::CallbackServerContext* context,                              \
      const v1::Get##Resource##Request* request, v1::Resource* response) \
      override {                                                         \
    return Get(context, *request, response);                             \
  }                                                                      \
  grpc::ServerUnaryReactor* List##Resources(                             \
      grpc::CallbackServerContext* context,                              \
      const v1::List##Resources##Request* request,                       \
      v1::List##Resources##Response* response) override {                \
    return List(context, *request, response);                            \
  }                                                                      \
  grpc::ServerUnaryReactor* BatchGet##Resources(                         \
      grpc::CallbackServerContext* context,                              \
      const v1::BatchGet##Resources##Request* request,                   \
      v1::BatchGet##Resources##Response* response) override {            \
    return BatchGet(context, *request, response);                        \
  }

  FACTGRAPH_STANDARD_METHODS(Institution, Institutions)
  FACTGRAPH_STANDARD_METHODS(Person, People)
  FACTGRAPH_STANDARD_METHODS(Agreement, Agreements)
  FACTGRAPH_STANDARD_METHODS(Project, Projects)
  FACTGRAPH_STANDARD_METHODS(Funding, Fundings)
  FACTGRAPH_STANDARD_METHODS(Event, Events)
  FACTGRAPH_STANDARD_METHODS(Statistic, Statistics)
  FACTGRAPH_STANDARD_METHODS(Document, Documents)
  FACTGRAPH_STANDARD_METHODS(Statement, Statements)
#undef FACTGRAPH_STANDARD_METHODS

  grpc::ServerUnaryReactor* SearchEntities(
      grpc::CallbackServerContext* context,
      const v1::SearchEntitiesRequest* request,
      v1::SearchEntitiesResponse* response) override;

  grpc::ServerWriteReactor<v1::QueryFactsResponse>* QueryFacts(
      grpc::CallbackServerContext* context,
      const v1::QueryFactsRequest* request) override;

  grpc::ServerUnaryReactor* ListNeighbors(
      grpc::CallbackServerContext* context,
      const v1::ListNeighborsRequest* request,
      v1::ListNeighborsResponse* response) override;

  grpc::ServerUnaryReactor* FindPaths(grpc::CallbackServerContext* context,
                                      const v1::FindPathsRequest* request,
                                      v1::FindPathsResponse* response) override;

  grpc::ServerUnaryReactor* GetKnowledgeBaseInfo(
      grpc::CallbackServerContext* context,
      const v1::GetKnowledgeBaseInfoRequest* request,
      v1::GetKnowledgeBaseInfoResponse* response) override;

 private:
  class QueryFactsReactor;

  grpc::ServerUnaryReactor* Get(grpc::CallbackServerContext* context,
                                const google::protobuf::Message& request,
                                google::protobuf::Message* response);
  grpc::ServerUnaryReactor* List(grpc::CallbackServerContext* context,
                                 const google::protobuf::Message& request,
                                 google::protobuf::Message* response);
  grpc::ServerUnaryReactor* BatchGet(grpc::CallbackServerContext* context,
                                     const google::protobuf::Message& request,
                                     google::protobuf::Message* response);

  // Runs `call` on the current snapshot and finishes the call with its
  // status, the snapshot id in the metadata. `call` returns the snapshot it
  // read (List may read a pinned older one) or an error.
  using SnapshotOrError =
      absl::StatusOr<std::shared_ptr<const store::Snapshot>>;
  // FunctionRef, not std::function: the calls run before Unary returns, and
  // a std::function of a lambda capturing more than two references would
  // allocate on every call.
  using SnapshotCall = absl::FunctionRef<SnapshotOrError(
      std::shared_ptr<const store::Snapshot>)>;
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context,
                                  SnapshotCall call);

  // For calls that always read the current snapshot (only List and Search
  // may read a snapshot pinned by a page token).
  using CurrentSnapshotCall =
      absl::FunctionRef<absl::Status(const store::Snapshot& snapshot)>;
  grpc::ServerUnaryReactor* OnCurrent(grpc::CallbackServerContext* context,
                                      CurrentSnapshotCall call);

  // OnCurrent for Get and BatchGet, whose responses may borrow the current
  // snapshot's resources: `call` is told how to transfer them.
  using LendingCall = absl::FunctionRef<absl::Status(
      const store::Snapshot& snapshot, ResourceTransfer transfer)>;
  grpc::ServerUnaryReactor* OnCurrentLending(
      grpc::CallbackServerContext* context, LendingCall call);

  // Runs a graph query on the current snapshot, stopping it when the caller
  // cancels or the deadline passes.
  template <typename Response, typename Query>
  grpc::ServerUnaryReactor* Graph(grpc::CallbackServerContext* context,
                                  Response* response, Query query) {
    return OnCurrent(context, [&](const store::Snapshot& snapshot) {
      absl::StatusOr<Response> result = query(snapshot, CancelCheck(context));
      if (!result.ok()) return result.status();
      *response = *std::move(result);
      return absl::OkStatus();
    });
  }

  // Stops work once the caller is gone or its deadline has passed.
  static query::CancelCheck CancelCheck(grpc::CallbackServerContext* context);

  // The snapshot to serve, or UNAVAILABLE before the first load.
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> CurrentSnapshot()
      const;

  const store::SnapshotHolder* const holder_;
  const query::PageTokenCodec* const tokens_;
  const FactGraphServiceOptions options_;
  // QueryFacts streams started and not yet done.
  std::atomic<int> open_fact_streams_{0};
};

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_FACTGRAPH_SERVICE_H_
