// factgraph.v1.FactGraphService on gRPC's callback API. Each method takes one
// snapshot for the whole call, makes one domain call, and converts the
// result; the logic lives in service/query.
#ifndef FACTGRAPH_SERVICE_API_FACTGRAPH_SERVICE_H_
#define FACTGRAPH_SERVICE_API_FACTGRAPH_SERVICE_H_

#include <atomic>
#include <memory>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "service/api/admission.h"
#include "service/api/resource_methods.h"
#include "service/api/status.h"
#include "service/query/graph.h"
#include "service/query/list.h"
#include "service/query/page_token.h"
#include "service/store/resource_table.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::api {

// Response metadata key that carries the id of the snapshot that answered.
inline constexpr char kSnapshotIdMetadataKey[] = "x-factgraph-snapshot-id";

// Whether the handler of `method` ("/factgraph.v1.FactGraphService/
// GetInstitution") takes the request as a grpc::ByteBuffer (the standard
// methods and SearchEntities, FactGraphService below): what an
// interceptor's received message is.
bool TakesRequestBytes(std::string_view method);

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

// The generated callback service with every standard method of the resource
// table taking and returning bytes (WithRawCallbackMethod_...), so that the
// responses can be the stored resource bytes (stored_bytes.h). Clients see
// the same typed API: only the server's handlers change.
#define FACTGRAPH_BYTES_OPEN(Resource, collection, GetMethod, ListMethod, \
                             BatchGetMethod)                              \
  v1::FactGraphService::WithRawCallbackMethod_##GetMethod <               \
      v1::FactGraphService::WithRawCallbackMethod_##ListMethod <          \
      v1::FactGraphService::WithRawCallbackMethod_##BatchGetMethod <
#define FACTGRAPH_BYTES_CLOSE(Resource, collection, GetMethod, ListMethod, \
                              BatchGetMethod)                              \
  >>>
using StandardMethodsAsBytes = FACTGRAPH_RESOURCES(
    FACTGRAPH_BYTES_OPEN) v1::FactGraphService::CallbackService
    FACTGRAPH_RESOURCES(FACTGRAPH_BYTES_CLOSE);
#undef FACTGRAPH_BYTES_OPEN
#undef FACTGRAPH_BYTES_CLOSE

// SearchEntities takes and returns bytes too: its response is written from
// the search page straight into one slice (search/page_wire.h,
// docs/search.md "Serving").
class FactGraphService final
    : public v1::FactGraphService::WithRawCallbackMethod_SearchEntities<
          StandardMethodsAsBytes> {
 public:
  // `holder` and `tokens` must outlive the service.
  FactGraphService(const store::SnapshotHolder* holder,
                   const query::PageTokenCodec* tokens,
                   FactGraphServiceOptions options);

// The three standard methods of each resource of the resource table
// (store/resource_table.h: GetInstitution, ListInstitutions,
// BatchGetInstitutions, ...), each one line over the reflection-based
// implementations in resource_methods.h, on the request's and the
// response's bytes.
#define FACTGRAPH_STANDARD_METHODS(Resource, collection, GetMethod,            \
                                   ListMethod, BatchGetMethod)                 \
  grpc::ServerUnaryReactor* GetMethod(grpc::CallbackServerContext* context,    \
                                      const grpc::ByteBuffer* request,         \
                                      grpc::ByteBuffer* response) override {   \
    return Standard<v1::GetMethod##Request, v1::Resource>(                     \
        StandardMethod::kGet, context, request, response);                     \
  }                                                                            \
  grpc::ServerUnaryReactor* ListMethod(grpc::CallbackServerContext* context,   \
                                       const grpc::ByteBuffer* request,        \
                                       grpc::ByteBuffer* response) override {  \
    return Standard<v1::ListMethod##Request, v1::ListMethod##Response>(        \
        StandardMethod::kList, context, request, response);                    \
  }                                                                            \
  grpc::ServerUnaryReactor* BatchGetMethod(                                    \
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,   \
      grpc::ByteBuffer* response) override {                                   \
    return Standard<v1::BatchGetMethod##Request,                               \
                    v1::BatchGetMethod##Response>(StandardMethod::kBatchGet,   \
                                                  context, request, response); \
  }
  FACTGRAPH_RESOURCES(FACTGRAPH_STANDARD_METHODS)
#undef FACTGRAPH_STANDARD_METHODS

  grpc::ServerUnaryReactor* SearchEntities(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

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

  enum class StandardMethod { kGet, kList, kBatchGet };
  // Every standard method of every resource, with its typed messages.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Standard(StandardMethod method,
                                     grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request_bytes,
                                     grpc::ByteBuffer* response_bytes) {
    Request request;
    Response response;
    return Standard(method, context, *request_bytes, &request, &response,
                    response_bytes);
  }
  // Parses `request_bytes` into `*request` (refusing them as gRPC's typed
  // handler would), then Serve: the resources are lent into `*response`
  // (a scratch message of the response type, for a Get only its type) and
  // written from their stored bytes into `*response_bytes`.
  grpc::ServerUnaryReactor* Standard(StandardMethod method,
                                     grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer& request_bytes,
                                     google::protobuf::Message* request,
                                     google::protobuf::Message* response,
                                     grpc::ByteBuffer* response_bytes);

  // Parses `request_bytes` into `*request`; false when there are none (the
  // caller cancelled before sending them) or they do not parse, after
  // finishing the call as gRPC's typed handler (CallbackUnaryHandler) does:
  // UNIMPLEMENTED with no message, before any of our code runs (the call
  // observer tells a cancelled call apart at its close). `*refused` is the
  // reactor to return then.
  static bool ParseRequest(grpc::CallbackServerContext* context,
                           const grpc::ByteBuffer& request_bytes,
                           google::protobuf::Message* request,
                           grpc::ServerUnaryReactor** refused);

  // The one dispatch of every unary method: asks the admission, takes the
  // current snapshot (UNAVAILABLE before the first load), runs `call` on it,
  // and finishes the call with `call`'s status, the id of the snapshot that
  // answered in the metadata. `call` returns that snapshot: the current one,
  // or for List and SearchEntities an older one pinned by a page token.
  using AnsweringSnapshot =
      absl::StatusOr<std::shared_ptr<const store::Snapshot>>;
  // FunctionRef, not std::function: the calls run before Serve returns, and
  // a std::function of a lambda capturing more than two references would
  // allocate on every call.
  using SnapshotCall = absl::FunctionRef<AnsweringSnapshot(
      std::shared_ptr<const store::Snapshot> current)>;
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  SnapshotCall call);

  // Serve for a query entry point that reads the current snapshot and
  // returns the whole response: query(snapshot, cancel_check).
  template <typename Response, typename Query>
  grpc::ServerUnaryReactor* ServeQuery(grpc::CallbackServerContext* context,
                                       Response* response, Query query) {
    return Serve(context,
                 [&](std::shared_ptr<const store::Snapshot> snapshot)
                     -> AnsweringSnapshot {
                   absl::StatusOr<Response> result =
                       query(*snapshot, CancelCheck(context));
                   if (!result.ok()) {
                     return StoppedQueryStatus(result.status(),
                                               DeadlinePassed(context));
                   }
                   *response = *std::move(result);
                   return snapshot;
                 });
  }

  // ServeQuery for a graph query, within options_.max_graph_results.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* ServeGraph(
      grpc::CallbackServerContext* context, const Request& request,
      Response* response,
      absl::StatusOr<Response> (*graph_query)(const store::Snapshot&,
                                              const Request&,
                                              const query::GraphLimits&,
                                              const query::CancelCheck&)) {
    return ServeQuery(context, response,
                      [&](const store::Snapshot& snapshot,
                          const query::CancelCheck& cancelled) {
                        return graph_query(
                            snapshot, request,
                            query::GraphLimits{options_.max_graph_results},
                            cancelled);
                      });
  }

  // Stops work once the caller is gone or its deadline has passed.
  static query::CancelCheck CancelCheck(grpc::CallbackServerContext* context);
  static bool DeadlinePassed(grpc::CallbackServerContext* context);

  // The snapshot to serve, or UNAVAILABLE before the first load.
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> CurrentSnapshot()
      const;

  const store::SnapshotHolder* const holder_;
  const query::PageTokenCodec* const tokens_;
  const FactGraphServiceOptions options_;
  // What List derives from each snapshot, shared by this service's calls.
  query::ListMemos list_memos_;
  // QueryFacts streams started and not yet done.
  std::atomic<int> open_fact_streams_{0};
};

}  // namespace factgraph::api

#endif  // FACTGRAPH_SERVICE_API_FACTGRAPH_SERVICE_H_
