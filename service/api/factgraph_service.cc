#include "service/api/factgraph_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/support/message_allocator.h"
#include "service/api/status.h"
#include "service/query/error_details.h"
#include "service/query/facts_query.h"
#include "service/query/graph.h"
#include "service/query/search.h"
#include "service/store/collections.h"

namespace factgraph::api {
namespace {

// Facts per stream message are also bounded in bytes, far below the message
// size limit, and small enough that streams held open by callers who do not
// read pin little memory each (see max_open_fact_streams).
constexpr size_t kMaxBatchBytes = 64 << 10;

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

// The messages of one call of a standard method whose response borrows the
// snapshot's resources (ResourceTransfer::kLend): holds that snapshot until
// gRPC has sent the response, then takes the resources back out of it before
// it is destroyed. The request and response live in the holder itself, one
// allocation per call instead of two.
class LendingMessages {
 public:
  virtual ~LendingMessages() = default;

  void KeepAlive(std::shared_ptr<const store::Snapshot> snapshot) {
    snapshot_ = std::move(snapshot);
  }

  // Sends `resource`, a stored resource of the kept-alive snapshot, as the
  // whole response of a Get (which returns the resource itself): gRPC reads
  // the holder's response pointer when the call finishes.
  virtual void LendWholeResponse(const google::protobuf::Message& resource) = 0;

 private:
  std::shared_ptr<const store::Snapshot> snapshot_;
};

// The lending holder of this call's messages, or null when its method has no
// LendingAllocator (then the resources are copied).
LendingMessages* LendingOf(grpc::CallbackServerContext* context) {
  return dynamic_cast<LendingMessages*>(context->GetRpcAllocatorState());
}

ResourceTransfer TransferFor(const LendingMessages* lending) {
  return lending == nullptr ? ResourceTransfer::kCopy : ResourceTransfer::kLend;
}

template <typename Request, typename Response>
class LendingMessageHolder final
    : public grpc::MessageHolder<Request, Response>,
      public LendingMessages {
 public:
  LendingMessageHolder() {
    this->set_request(&request_);
    this->set_response(&response_);
  }

  void LendWholeResponse(const google::protobuf::Message& resource) override {
    // Only Get lends a whole response, and its Response is the resource type.
    this->set_response(static_cast<Response*>(
        const_cast<google::protobuf::Message*>(&resource)));
  }

  // Every resource in a response of this holder was lent (the handlers lend
  // whenever they find a LendingMessages), so all are taken back. A whole
  // lent response is not ours: response_ is left as it was.
  void Release() override {
    TakeBackLentResources(&response_);
    delete this;
  }

 private:
  Request request_;
  Response response_;
};

template <typename Request, typename Response>
class LendingAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new LendingMessageHolder<Request, Response>();
  }
};

// One stateless allocator per method type, never destroyed, so that it
// outlives every server that uses it.
template <typename Request, typename Response>
grpc::MessageAllocator<Request, Response>* LendingAllocatorFor() {
  static auto* const allocator = new LendingAllocator<Request, Response>();
  return allocator;
}

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

query::CancelCheck FactGraphService::CancelCheck(
    grpc::CallbackServerContext* context) {
  return [context] {
    return context->IsCancelled() ||
           context->deadline() <= std::chrono::system_clock::now();
  };
}

FactGraphService::FactGraphService(const store::SnapshotHolder* holder,
                                   const query::PageTokenCodec* tokens,
                                   FactGraphServiceOptions options)
    : holder_(holder), tokens_(tokens), options_(std::move(options)) {
#define FACTGRAPH_LEND_STANDARD_METHODS(Resource, Resources)            \
  SetMessageAllocatorFor_Get##Resource(                                 \
      LendingAllocatorFor<v1::Get##Resource##Request, v1::Resource>()); \
  SetMessageAllocatorFor_List##Resources(                               \
      LendingAllocatorFor<v1::List##Resources##Request,                 \
                          v1::List##Resources##Response>());            \
  SetMessageAllocatorFor_BatchGet##Resources(                           \
      LendingAllocatorFor<v1::BatchGet##Resources##Request,             \
                          v1::BatchGet##Resources##Response>());
  FACTGRAPH_LEND_STANDARD_METHODS(Institution, Institutions)
  FACTGRAPH_LEND_STANDARD_METHODS(Person, People)
  FACTGRAPH_LEND_STANDARD_METHODS(Agreement, Agreements)
  FACTGRAPH_LEND_STANDARD_METHODS(Project, Projects)
  FACTGRAPH_LEND_STANDARD_METHODS(Funding, Fundings)
  FACTGRAPH_LEND_STANDARD_METHODS(Event, Events)
  FACTGRAPH_LEND_STANDARD_METHODS(Statistic, Statistics)
  FACTGRAPH_LEND_STANDARD_METHODS(Document, Documents)
  FACTGRAPH_LEND_STANDARD_METHODS(Statement, Statements)
#undef FACTGRAPH_LEND_STANDARD_METHODS
}

absl::StatusOr<std::shared_ptr<const store::Snapshot>>
FactGraphService::CurrentSnapshot() const {
  std::shared_ptr<const store::Snapshot> snapshot = holder_->Current();
  if (snapshot == nullptr) {
    return query::WithReason(
        absl::UnavailableError("the knowledge base is not loaded yet"),
        query::reason::kNotLoaded, absl::Seconds(1));
  }
  return snapshot;
}

grpc::ServerUnaryReactor* FactGraphService::Unary(
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
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> used = call(*current);
  context->AddInitialMetadata(kSnapshotIdMetadataKey,
                              used.ok() ? (*used)->id() : (*current)->id());
  reactor->Finish(ToGrpcStatus(used.status()));
  return reactor;
}

grpc::ServerUnaryReactor* FactGraphService::OnCurrent(
    grpc::CallbackServerContext* context, CurrentSnapshotCall call) {
  return Unary(context,
               [&](std::shared_ptr<const store::Snapshot> snapshot)
                   -> absl::StatusOr<std::shared_ptr<const store::Snapshot>> {
                 absl::Status status = call(*snapshot);
                 if (!status.ok()) return status;
                 return snapshot;
               });
}

grpc::ServerUnaryReactor* FactGraphService::OnCurrentLending(
    grpc::CallbackServerContext* context, LendingCall call) {
  LendingMessages* lending = LendingOf(context);
  return Unary(
      context,
      [&](std::shared_ptr<const store::Snapshot> snapshot) -> SnapshotOrError {
        if (lending != nullptr) lending->KeepAlive(snapshot);
        absl::Status status = call(*snapshot, TransferFor(lending));
        if (!status.ok()) return status;
        return snapshot;
      });
}

grpc::ServerUnaryReactor* FactGraphService::Get(
    grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  LendingMessages* lending = LendingOf(context);
  return OnCurrentLending(
      context, [&](const store::Snapshot& snapshot, ResourceTransfer transfer) {
        absl::StatusOr<const google::protobuf::Message*> resource =
            GetResource(snapshot, request, response, transfer);
        if (!resource.ok()) return resource.status();
        if (transfer == ResourceTransfer::kLend) {
          lending->LendWholeResponse(**resource);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* FactGraphService::BatchGet(
    grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  return OnCurrentLending(
      context, [&](const store::Snapshot& snapshot, ResourceTransfer transfer) {
        return BatchGetResources(snapshot, request, options_.resources,
                                 response, transfer);
      });
}

grpc::ServerUnaryReactor* FactGraphService::List(
    grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response) {
  LendingMessages* lending = LendingOf(context);
  return Unary(
      context,
      [&](std::shared_ptr<const store::Snapshot> snapshot) -> SnapshotOrError {
        // The page may come from an older snapshot pinned by its token: the one
        // returned is the one whose resources were lent.
        SnapshotOrError used =
            ListResources(*holder_, std::move(snapshot), *tokens_, request,
                          options_.resources, response, TransferFor(lending));
        if (lending != nullptr && used.ok()) lending->KeepAlive(*used);
        return used;
      });
}

grpc::ServerUnaryReactor* FactGraphService::SearchEntities(
    grpc::CallbackServerContext* context,
    const v1::SearchEntitiesRequest* request,
    v1::SearchEntitiesResponse* response) {
  return Unary(context,
               [&](std::shared_ptr<const store::Snapshot> snapshot)
                   -> absl::StatusOr<std::shared_ptr<const store::Snapshot>> {
                 query::SearchLimits limits;
                 limits.max_page_size = options_.max_search_page_size;
                 absl::StatusOr<query::SearchOutcome> outcome =
                     query::SearchEntities(*holder_, std::move(snapshot),
                                           *request, limits, *tokens_);
                 if (!outcome.ok()) return outcome.status();
                 *response = std::move(outcome->response);
                 return outcome->snapshot;
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
                          query::reason::kTooManyStreams, absl::Seconds(1)));
  }
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      CurrentSnapshot();
  if (!snapshot.ok()) return refuse(snapshot.status());
  context->AddInitialMetadata(kSnapshotIdMetadataKey, (*snapshot)->id());

  const query::FactPattern pattern(*request);
  // Matching collects indexes only (4 bytes a fact); the facts themselves
  // are built batch by batch as the client reads.
  const size_t max_facts = static_cast<size_t>(options_.max_facts_per_call);
  const query::CancelCheck cancelled = CancelCheck(context);
  std::vector<store::FactIndex> matches;
  bool over_limit = false;
  absl::Status status =
      query::VisitFacts(**snapshot, pattern, [&](store::FactIndex fact) {
        if (matches.size() == max_facts) {
          over_limit = true;
          return false;
        }
        matches.push_back(fact);
        return (matches.size() & 1023) != 0 || !cancelled();
      });
  if (over_limit) {
    return refuse(query::FieldError(
        absl::StatusCode::kOutOfRange, "limit", query::reason::kLimitExceeded,
        absl::StrCat("the pattern matches more than ", max_facts,
                     " facts; narrow it or set limit")));
  }
  if (!status.ok()) return refuse(status);
  return new QueryFactsReactor(std::move(slot), *std::move(snapshot),
                               std::move(matches), options_.facts_batch_size);
}

grpc::ServerUnaryReactor* FactGraphService::ListNeighbors(
    grpc::CallbackServerContext* context,
    const v1::ListNeighborsRequest* request,
    v1::ListNeighborsResponse* response) {
  query::NeighborsRequest neighbors(*request);
  neighbors.max_results =
      std::min(neighbors.max_results, options_.max_graph_results);
  return Graph(context, response,
               [neighbors](const store::Snapshot& snapshot,
                           const query::CancelCheck& stop) {
                 return query::ListNeighbors(snapshot, neighbors, stop);
               });
}

grpc::ServerUnaryReactor* FactGraphService::FindPaths(
    grpc::CallbackServerContext* context, const v1::FindPathsRequest* request,
    v1::FindPathsResponse* response) {
  query::PathsRequest paths(*request);
  paths.max_paths = std::min(paths.max_paths, options_.max_graph_results);
  return Graph(
      context, response,
      [paths](const store::Snapshot& snapshot, const query::CancelCheck& stop) {
        return query::FindPaths(snapshot, paths, stop);
      });
}

grpc::ServerUnaryReactor* FactGraphService::GetKnowledgeBaseInfo(
    grpc::CallbackServerContext* context,
    const v1::GetKnowledgeBaseInfoRequest* request,
    v1::GetKnowledgeBaseInfoResponse* response) {
  return OnCurrent(context, [&](const store::Snapshot& snapshot) {
    response->set_snapshot_id(snapshot.id());
    *response->mutable_load_time() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
            absl::ToUnixNanos(snapshot.load_time()));
    for (const store::Collection& collection : store::AllCollections()) {
      (*response->mutable_counts())[std::string(collection.id)] =
          static_cast<int32_t>(snapshot.Resources(collection).size());
    }
    for (const v1::Document& document : snapshot.knowledge_base().documents()) {
      v1::Document* summary = response->add_documents();
      *summary = document;
      summary->clear_content();
    }
    response->set_fact_count(static_cast<int64_t>(snapshot.fact_count()));
    response->set_source(snapshot.source());
    return absl::OkStatus();
  });
}

}  // namespace factgraph::api
