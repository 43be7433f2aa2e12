#include "service/api/factgraph_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/api/lending.h"
#include "service/api/parse_bytes.h"
#include "service/api/status.h"
#include "service/api/stored_bytes.h"
#include "service/query/error_details.h"
#include "service/query/facts_query.h"
#include "service/query/graph.h"
#include "service/query/knowledge_base_info.h"
#include "service/query/search.h"
#include "service/query/search/page.h"
#include "service/query/search/page_wire.h"

namespace factgraph::api {
namespace {

// Facts per stream message are also bounded in bytes, far below the message
// size limit, and small enough that streams held open by callers who do not
// read pin little memory each (see max_open_fact_streams).
constexpr size_t kMaxBatchBytes = 64 << 10;

// ServerContext::AddInitialMetadata takes std::strings: made once, the key
// is not built again (on the heap: it is longer than the inline capacity)
// for every call.
const std::string& SnapshotIdKey() {
  static const auto* const key = new std::string(kSnapshotIdMetadataKey);
  return *key;
}

// Holds one of the open-stream slots counted by `counter` until destroyed.
class StreamSlot {
 public:
  explicit StreamSlot(std::atomic<int>* counter) : counter_(counter) {
    counter_->fetch_add(1);
  }
  StreamSlot(StreamSlot&& other) noexcept : counter_(other.counter_) {
    other.counter_ = nullptr;
  }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;
  StreamSlot& operator=(StreamSlot&&) = delete;
  ~StreamSlot() {
    if (counter_ != nullptr) counter_->fetch_sub(1);
  }
  // Slots taken, this one included.
  int taken() const { return counter_->load(); }

 private:
  std::atomic<int>* counter_;
};

}  // namespace

// Streams the matching facts of one snapshot in batches, one write in flight
// at a time, so a slow reader holds back the server instead of filling its
// memory.
class FactGraphService::QueryFactsReactor final
    : public grpc::ServerWriteReactor<v1::QueryFactsResponse> {
 public:
  QueryFactsReactor(StreamSlot slot,
                    std::shared_ptr<const store::Snapshot> snapshot,
                    std::vector<store::FactIndex> facts, int batch_size)
      : slot_(std::move(slot)),
        snapshot_(std::move(snapshot)),
        facts_(std::move(facts)),
        batch_size_(batch_size) {
    absl::MutexLock lock(&mu_);
    WriteNextLocked();
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                          "the stream was cancelled"));
      return;
    }
    WriteNextLocked();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (next_ == facts_.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    // The previous batch's facts are overwritten in place rather than
    // cleared (Fact::Clear() frees the object): their strings and citations
    // keep their buffers, so a batch costs copies but no allocations.
    google::protobuf::RepeatedPtrField<v1::Fact>& batch =
        *response_.mutable_facts();
    int size = 0;
    size_t bytes = 0;
    while (next_ < facts_.size() && size < batch_size_ &&
           bytes < kMaxBatchBytes) {
      v1::Fact* fact = size < batch.size() ? batch.Mutable(size) : batch.Add();
      snapshot_->GetFact(facts_[next_++], fact);
      bytes += fact->ByteSizeLong();
      ++size;
    }
    if (batch.size() > size) batch.DeleteSubrange(size, batch.size() - size);
    StartWrite(&response_);
  }

  const StreamSlot slot_;
  const std::shared_ptr<const store::Snapshot> snapshot_;
  const std::vector<store::FactIndex> facts_;
  const int batch_size_;
  absl::Mutex mu_;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
  v1::QueryFactsResponse response_ ABSL_GUARDED_BY(mu_);
};

bool TakesRequestBytes(std::string_view method) {
  static const auto* const methods = [] {
    auto* paths = new absl::flat_hash_set<std::string>();
    const std::string prefix =
        absl::StrCat("/", v1::FactGraphService::service_full_name(), "/");
#define FACTGRAPH_METHOD_PATHS(Resource, collection, GetMethod, ListMethod, \
                               BatchGetMethod)                              \
  for (const char* name : {#GetMethod, #ListMethod, #BatchGetMethod}) {     \
    paths->insert(absl::StrCat(prefix, name));                              \
  }
    FACTGRAPH_RESOURCES(FACTGRAPH_METHOD_PATHS)
#undef FACTGRAPH_METHOD_PATHS
    paths->insert(absl::StrCat(prefix, "SearchEntities"));
    return paths;
  }();
  return methods->contains(absl::string_view(method.data(), method.size()));
}

query::CancelCheck FactGraphService::CancelCheck(
    grpc::CallbackServerContext* context) {
  return
      [context] { return context->IsCancelled() || DeadlinePassed(context); };
}

bool FactGraphService::DeadlinePassed(grpc::CallbackServerContext* context) {
  return context->deadline() <= std::chrono::system_clock::now();
}

FactGraphService::FactGraphService(const store::SnapshotHolder* holder,
                                   const query::PageTokenCodec* tokens,
                                   FactGraphServiceOptions options)
    : holder_(holder), tokens_(tokens), options_(std::move(options)) {}

absl::StatusOr<std::shared_ptr<const store::Snapshot>>
FactGraphService::CurrentSnapshot() const {
  std::shared_ptr<const store::Snapshot> snapshot = holder_->Current();
  if (snapshot == nullptr) {
    return query::WithReason(
        absl::UnavailableError("the knowledge base is not loaded yet"),
        v1::KNOWLEDGE_BASE_NOT_LOADED, absl::Seconds(1));
  }
  return snapshot;
}

grpc::ServerUnaryReactor* FactGraphService::Serve(
    grpc::CallbackServerContext* context, SnapshotCall call) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (options_.admission != nullptr) {
    if (absl::Status admitted = options_.admission->Admit(*context);
        !admitted.ok()) {
      reactor->Finish(ToGrpcStatus(admitted));
      return reactor;
    }
  }
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> current =
      CurrentSnapshot();
  if (!current.ok()) {
    reactor->Finish(ToGrpcStatus(current.status()));
    return reactor;
  }
  AnsweringSnapshot used = call(*current);
  context->AddInitialMetadata(SnapshotIdKey(),
                              used.ok() ? (*used)->id() : (*current)->id());
  reactor->Finish(ToGrpcStatus(used.status()));
  return reactor;
}

bool FactGraphService::ParseRequest(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer& request_bytes,
                                    google::protobuf::Message* request,
                                    grpc::ServerUnaryReactor** refused) {
  if (request_bytes.Valid() && ParseFromBytes(request_bytes, request)) {
    return true;
  }
  *refused = context->DefaultReactor();
  (*refused)->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""));
  return false;
}

grpc::ServerUnaryReactor* FactGraphService::Standard(
    StandardMethod method, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer& request_bytes, google::protobuf::Message* request,
    google::protobuf::Message* response, grpc::ByteBuffer* response_bytes) {
  grpc::ServerUnaryReactor* refused = nullptr;
  if (!ParseRequest(context, request_bytes, request, &refused)) return refused;
  return Serve(
      context,
      [&](std::shared_ptr<const store::Snapshot> snapshot)
          -> AnsweringSnapshot {
        switch (method) {
          case StandardMethod::kGet: {
            absl::StatusOr<const google::protobuf::Message*> resource =
                GetResource(*snapshot, *request, response,
                            ResourceTransfer::kLend);
            if (!resource.ok()) return resource.status();
            SetResponse(ResourceAsBytes(snapshot, **resource), response_bytes);
            return snapshot;
          }
          case StandardMethod::kBatchGet: {
            absl::Status status =
                BatchGetResources(*snapshot, *request, options_.resources,
                                  response, ResourceTransfer::kLend);
            if (!status.ok()) {
              TakeBackLentResources(response);
              return status;
            }
            SetResponse(ResponseAsBytes(*snapshot, response), response_bytes);
            return snapshot;
          }
          case StandardMethod::kList: {
            // The page may come from an older snapshot pinned by its token:
            // the one returned is the one whose resources were lent.
            AnsweringSnapshot used = ListResources(
                *holder_, std::move(snapshot), *tokens_, &list_memos_, *request,
                options_.resources, response, ResourceTransfer::kLend);
            if (!used.ok()) {
              TakeBackLentResources(response);
              return used;
            }
            SetResponse(ResponseAsBytes(**used, response), response_bytes);
            return used;
          }
        }
        return absl::InternalError("unknown standard method");
      });
}

grpc::ServerUnaryReactor* FactGraphService::SearchEntities(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request_bytes,
    grpc::ByteBuffer* response_bytes) {
  // One request and one page per thread, reused from call to call: parsed
  // and filled into the capacity the last call left (docs/search.md
  // "Serving"). The call runs to its end on this thread, and the page is
  // cleared before it returns, so that no idle page pins a snapshot.
  // A request larger than kMaxReusedRequestBytes (which only a list of
  // collections far beyond the real ones makes) is parsed into a message of
  // its own, so that the reused ones stay small.
  constexpr size_t kMaxReusedRequestBytes = 16 << 10;
  thread_local v1::SearchEntitiesRequest reused_request;
  thread_local query::search::Page page;
  v1::SearchEntitiesRequest large_request;
  v1::SearchEntitiesRequest& request =
      request_bytes->Length() > kMaxReusedRequestBytes ? large_request
                                                       : reused_request;
  grpc::ServerUnaryReactor* refused = nullptr;
  if (!ParseRequest(context, *request_bytes, &request, &refused)) {
    return refused;
  }
  return Serve(
      context,
      [&](std::shared_ptr<const store::Snapshot> snapshot)
          -> AnsweringSnapshot {
        query::SearchLimits limits;
        limits.max_page_size = options_.max_search_page_size;
        AnsweringSnapshot used = query::SearchEntities(
            *holder_, std::move(snapshot), request, limits, *tokens_, &page);
        if (used.ok()) {
          SetResponse(WrittenAsBytes(query::search::MeasurePageWire(&page),
                                     [](uint8_t* out) {
                                       query::search::WritePageWire(page, out);
                                     }),
                      response_bytes);
        }
        page.Clear();
        return used;
      });
}

grpc::ServerWriteReactor<v1::QueryFactsResponse>* FactGraphService::QueryFacts(
    grpc::CallbackServerContext* context,
    const v1::QueryFactsRequest* request) {
  auto refuse = [](const absl::Status& status) {
    // A reactor that only reports an error.
    class Refusal final
        : public grpc::ServerWriteReactor<v1::QueryFactsResponse> {
     public:
      explicit Refusal(grpc::Status status) { Finish(std::move(status)); }
      void OnDone() override { delete this; }
    };
    return new Refusal(ToGrpcStatus(status));
  };
  StreamSlot slot(&open_fact_streams_);
  if (slot.taken() > options_.max_open_fact_streams) {
    return refuse(
        query::WithReason(absl::ResourceExhaustedError(absl::StrCat(
                              "more than ", options_.max_open_fact_streams,
                              " QueryFacts streams are open; retry later")),
                          v1::TOO_MANY_STREAMS, absl::Seconds(1)));
  }
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      CurrentSnapshot();
  if (!snapshot.ok()) return refuse(snapshot.status());
  context->AddInitialMetadata(SnapshotIdKey(), (*snapshot)->id());

  absl::StatusOr<std::vector<store::FactIndex>> matches = query::MatchFacts(
      **snapshot, *request, static_cast<size_t>(options_.max_facts_per_call),
      CancelCheck(context));
  if (!matches.ok()) {
    return refuse(
        StoppedQueryStatus(matches.status(), DeadlinePassed(context)));
  }
  return new QueryFactsReactor(std::move(slot), *std::move(snapshot),
                               *std::move(matches), options_.facts_batch_size);
}

grpc::ServerUnaryReactor* FactGraphService::ListNeighbors(
    grpc::CallbackServerContext* context,
    const v1::ListNeighborsRequest* request,
    v1::ListNeighborsResponse* response) {
  return ServeGraph(context, *request, response, query::ListNeighbors);
}

grpc::ServerUnaryReactor* FactGraphService::FindPaths(
    grpc::CallbackServerContext* context, const v1::FindPathsRequest* request,
    v1::FindPathsResponse* response) {
  return ServeGraph(context, *request, response, query::FindPaths);
}

grpc::ServerUnaryReactor* FactGraphService::GetKnowledgeBaseInfo(
    grpc::CallbackServerContext* context,
    const v1::GetKnowledgeBaseInfoRequest* request,
    v1::GetKnowledgeBaseInfoResponse* response) {
  return ServeQuery(
      context, response,
      [&](const store::Snapshot& snapshot, const query::CancelCheck&) {
        return query::GetKnowledgeBaseInfo(snapshot, *request);
      });
}

}  // namespace factgraph::api
