// Concurrency: reloads under load, shutdown with calls in flight, and
// streams cancelled from other threads. These are the tests the
// ThreadSanitizer pass runs (label "concurrency").
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/query/compiled_snapshot.h"
#include "service/store/collections.h"
#include "service/store/loader.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

using grpc::StatusCode;

constexpr char kExtraInstitution[] = R"pb(
  institutions {
    name: "institutions/concurrency-extra"
    display_name: "Anam-dong"
    kind: INSTITUTION_KIND_DISTRICT
    citations {
      document: "documents/ku-kaist-symposium"
      quote: "Anam-dong"
      field_paths: [ "display_name", "kind" ]
    }
  }
)pb";

// Adds or removes one institution in `seeds`, so that consecutive reloads
// alternate between two different snapshots.
void Toggle(const test_support::SeedsCopy& seeds) {
  const std::string extra = "kb/zz_concurrency.textproto";
  if (seeds.Exists(extra)) {
    seeds.Remove(extra);
  } else {
    seeds.Write(extra, kExtraInstitution);
  }
}

std::unique_ptr<server::Server> StartLoaded(const std::string& seeds) {
  auto started = server::Server::Start(test_support::TestServerOptions(seeds));
  EXPECT_TRUE(started.ok()) << started.status();
  if (!started.ok()) return nullptr;
  EXPECT_TRUE((*started)->Reload().ok());
  return *std::move(started);
}

std::chrono::system_clock::time_point In(std::chrono::seconds seconds) {
  return std::chrono::system_clock::now() + seconds;
}

// Failures seen by client threads, reported once they have joined.
class Failures {
 public:
  void Add(const std::string& what) {
    absl::MutexLock lock(&mu_);
    if (list_.size() < 20) list_.push_back(what);
    ++count_;
  }
  int count() const {
    absl::MutexLock lock(&mu_);
    return count_;
  }
  std::string Describe() const {
    absl::MutexLock lock(&mu_);
    std::string text;
    for (const std::string& item : list_) text += item + "\n";
    return text;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> list_ ABSL_GUARDED_BY(mu_);
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

// Lists every institution on one page. Each answer comes from one snapshot:
// its count must agree with its total and, when `sizes` is given, be one of
// them.
grpc::Status ListWholeCollection(v1::FactGraphService::Stub& stub,
                                 grpc::ClientContext& context,
                                 std::string* problem,
                                 const std::set<size_t>& sizes = {}) {
  v1::ListInstitutionsRequest request;
  request.set_page_size(1000);
  v1::ListInstitutionsResponse response;
  grpc::Status status = stub.ListInstitutions(&context, request, &response);
  const size_t size = static_cast<size_t>(response.institutions_size());
  if (status.ok() && (size != static_cast<size_t>(response.total_size()) ||
                      (!sizes.empty() && sizes.count(size) == 0))) {
    *problem =
        absl::StrCat("List returned ", size, " of ", response.total_size());
  }
  return status;
}

// Client threads, each calling `call` with its number in a loop until
// Stop(); a call fails by its status or by setting `*problem` (an answer
// that is not what it must be). Successful answers' snapshot ids are kept.
class ClientsUnderLoad {
 public:
  using Call = std::function<grpc::Status(
      int thread, v1::FactGraphService::Stub& stub,
      grpc::ClientContext& context, std::string* problem)>;

  ClientsUnderLoad(const std::shared_ptr<grpc::Channel>& channel, int threads,
                   Call call) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t, channel, call] {
        auto stub = v1::FactGraphService::NewStub(channel);
        while (!stop_.load()) {
          grpc::ClientContext context;
          context.set_deadline(In(std::chrono::seconds(60)));
          std::string problem;
          const grpc::Status status = call(t, *stub, context, &problem);
          ++calls_;
          if (!status.ok()) {
            failures_.Add(absl::StrCat(t, ": ", status.error_code(), " ",
                                       status.error_message()));
          } else if (!problem.empty()) {
            failures_.Add(absl::StrCat(t, ": ", problem));
          } else {
            absl::MutexLock lock(&ids_mu_);
            ids_seen_.insert(test_support::SnapshotIdOf(context));
          }
        }
      });
    }
  }
  ~ClientsUnderLoad() { Stop(); }

  void Stop() {
    stop_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  int calls() const { return calls_.load(); }
  const Failures& failures() const { return failures_; }
  std::set<std::string> ids_seen() const {
    absl::MutexLock lock(&ids_mu_);
    return ids_seen_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> calls_{0};
  Failures failures_;
  mutable absl::Mutex ids_mu_;
  std::set<std::string> ids_seen_ ABSL_GUARDED_BY(ids_mu_);
  std::vector<std::thread> threads_;
};

TEST(ConcurrencyTest, ReloadUnderLoadFailsNoCallAndMixesNoSnapshots) {
  test_support::SeedsCopy seeds;
  auto server = StartLoaded(seeds.path());
  ASSERT_NE(server, nullptr);
  ClientsUnderLoad clients(
      test_support::ChannelTo(server->port()), 4,
      [](int thread, v1::FactGraphService::Stub& stub,
         grpc::ClientContext& context, std::string* problem) {
        switch (thread) {
          case 0:
            return ListWholeCollection(stub, context, problem);
          case 1: {
            v1::SearchEntitiesRequest request;
            request.set_query("kaist");
            v1::SearchEntitiesResponse response;
            return stub.SearchEntities(&context, request, &response);
          }
          case 2: {
            v1::QueryFactsRequest request;
            request.set_subject("institutions/kaist");
            auto reader = stub.QueryFacts(&context, request);
            v1::QueryFactsResponse response;
            while (reader->Read(&response)) {
            }
            return reader->Finish();
          }
          default: {
            v1::ListNeighborsRequest request;
            request.set_name("institutions/kaist");
            request.set_depth(2);
            v1::ListNeighborsResponse response;
            return stub.ListNeighbors(&context, request, &response);
          }
        }
      });
  std::set<std::string> ids_served = {server->CurrentSnapshot()->id()};
  for (int i = 0; i < 8; ++i) {
    absl::SleepFor(absl::Milliseconds(150));
    Toggle(seeds);
    auto reloaded = server->Reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.status();
    EXPECT_TRUE(reloaded->changed());
    ids_served.insert(reloaded->snapshot_id());
  }
  absl::SleepFor(absl::Milliseconds(150));
  clients.Stop();

  EXPECT_EQ(clients.failures().count(), 0) << clients.failures().Describe();
  EXPECT_GT(clients.calls(), 8);
  EXPECT_EQ(ids_served.size(), 2u);
  for (const std::string& id : clients.ids_seen()) {
    EXPECT_EQ(ids_served.count(id), 1u) << id;
  }
}

// Compiled snapshot files (docs/snapshot-format.md, "Mapping and retention"):
// Get, BatchGet and List answer with bytes that lie in the file's mapping,
// so replacing the file and reloading while they run must never unmap pages
// under a response in flight. Two files are published alternately (written
// aside, renamed over the live path, as an operator would); after more
// reloads than the holder retains, the oldest mappings (with the search
// index read in place from them) are released while calls are running. Every
// answer must be whole, come from one snapshot, and equal what that snapshot
// holds.
TEST(ConcurrencyTest, ReloadOfCompiledFilesUnderLoadUnmapsNothingInUse) {
  test_support::SeedsCopy seeds;
  const std::filesystem::path dir(seeds.path());
  std::string compiled[2];
  std::string ids[2];
  size_t institutions[2] = {0, 0};
  for (int version = 0; version < 2; ++version) {
    if (version == 1) Toggle(seeds);
    auto snapshot = store::LoadSeeds(seeds.path());
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    compiled[version] = (dir / absl::StrCat("v", version, ".fgsnap")).string();
    ASSERT_TRUE(
        query::WriteCompiledSnapshotWithIndexes(**snapshot, compiled[version])
            .ok());
    ids[version] = (*snapshot)->id();
    institutions[version] =
        (*snapshot)->Resources(*store::CollectionById("institutions")).size();
  }
  ASSERT_NE(ids[0], ids[1]);
  const std::string live = (dir / "live.fgsnap").string();
  const auto publish = [&](int version) {
    std::filesystem::copy_file(
        compiled[version], live + ".tmp",
        std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(live + ".tmp", live);
  };
  publish(0);
  server::ServerOptions options = test_support::TestServerOptions("");
  options.seeds_dir.clear();
  options.snapshot_file = live;
  auto started = server::Server::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<server::Server> server = *std::move(started);
  ASSERT_TRUE(server->Reload().ok());

  // What every Get of KAIST must return, in either version.
  v1::Institution kaist;
  {
    auto stub =
        v1::FactGraphService::NewStub(test_support::ChannelTo(server->port()));
    grpc::ClientContext context;
    v1::GetInstitutionRequest request;
    request.set_name("institutions/kaist");
    ASSERT_TRUE(stub->GetInstitution(&context, request, &kaist).ok());
  }

  ClientsUnderLoad clients(
      test_support::ChannelTo(server->port()), 5,
      [&](int thread, v1::FactGraphService::Stub& stub,
          grpc::ClientContext& context, std::string* problem) {
        switch (thread) {
          case 0: {
            v1::GetInstitutionRequest request;
            request.set_name("institutions/kaist");
            v1::Institution response;
            grpc::Status status =
                stub.GetInstitution(&context, request, &response);
            if (status.ok() &&
                response.SerializeAsString() != kaist.SerializeAsString()) {
              *problem =
                  "Get returned other bytes: " + response.ShortDebugString();
            }
            return status;
          }
          case 1: {
            v1::BatchGetInstitutionsRequest request;
            request.add_names("institutions/kaist");
            request.add_names("institutions/korea-university");
            request.add_names("institutions/aacr");
            v1::BatchGetInstitutionsResponse response;
            grpc::Status status =
                stub.BatchGetInstitutions(&context, request, &response);
            if (status.ok() &&
                (response.institutions_size() != 3 ||
                 response.institutions(0).SerializeAsString() !=
                     kaist.SerializeAsString() ||
                 response.institutions(1).name() !=
                     "institutions/korea-university" ||
                 response.institutions(2).name() != "institutions/aacr")) {
              *problem = "BatchGet returned " + response.ShortDebugString();
            }
            return status;
          }
          case 2:
            return ListWholeCollection(stub, context, problem,
                                       {institutions[0], institutions[1]});
          case 3: {
            // Answered from the search index read in place from the mapping.
            v1::SearchEntitiesRequest request;
            request.set_query("KAIST");
            v1::SearchEntitiesResponse response;
            grpc::Status status =
                stub.SearchEntities(&context, request, &response);
            if (status.ok() &&
                (response.results_size() == 0 ||
                 response.results(0).entity().name() != "institutions/kaist")) {
              *problem = "search returned " + response.ShortDebugString();
            }
            return status;
          }
          default: {
            // A page token outlives reloads: its snapshot is retained.
            v1::ListInstitutionsRequest first;
            first.set_page_size(3);
            v1::ListInstitutionsResponse page;
            grpc::Status status = stub.ListInstitutions(&context, first, &page);
            if (!status.ok()) return status;
            const std::string first_id = test_support::SnapshotIdOf(context);
            absl::SleepFor(absl::Milliseconds(20));
            grpc::ClientContext next_context;
            next_context.set_deadline(In(std::chrono::seconds(60)));
            v1::ListInstitutionsRequest next;
            next.set_page_size(3);
            next.set_page_token(page.next_page_token());
            v1::ListInstitutionsResponse next_page;
            status = stub.ListInstitutions(&next_context, next, &next_page);
            if (status.ok() &&
                (test_support::SnapshotIdOf(next_context) != first_id ||
                 next_page.institutions_size() != 3 ||
                 next_page.institutions(0).name() <=
                     page.institutions(2).name())) {
              *problem = "the second page left the first page's snapshot";
            }
            return status;
          }
        }
      });
  // More reloads than the holder retains, so mappings are released under
  // load.
  for (int i = 1; i <= 12; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    publish(i % 2);
    auto reloaded = server->Reload();
    ASSERT_TRUE(reloaded.ok()) << reloaded.status();
    EXPECT_EQ(reloaded->snapshot_id(), ids[i % 2]);
  }
  absl::SleepFor(absl::Milliseconds(100));
  clients.Stop();

  EXPECT_EQ(clients.failures().count(), 0) << clients.failures().Describe();
  EXPECT_GT(clients.calls(), 12);
  EXPECT_EQ(clients.ids_seen(), (std::set<std::string>{ids[0], ids[1]}));
}

TEST(ConcurrencyTest, ConcurrentReloadsAreSerialised) {
  test_support::SeedsCopy seeds;
  auto server = StartLoaded(seeds.path());
  ASSERT_NE(server, nullptr);
  const std::string id = server->CurrentSnapshot()->id();
  std::vector<std::thread> reloaders;
  Failures failures;
  for (int i = 0; i < 4; ++i) {
    reloaders.emplace_back([&] {
      auto reloaded = server->Reload();
      if (!reloaded.ok()) {
        failures.Add(std::string(reloaded.status().message()));
      } else if (reloaded->changed() || reloaded->snapshot_id() != id) {
        failures.Add("an unchanged knowledge base gave a new snapshot");
      }
    });
  }
  for (std::thread& reloader : reloaders) reloader.join();
  EXPECT_EQ(failures.count(), 0) << failures.Describe();
  EXPECT_EQ(server->CurrentSnapshot()->id(), id);
}

TEST(ConcurrencyTest, ShutdownLetsCallsInFlightEndAndRefusesNewOnes) {
  auto server = StartLoaded(test_support::RealSeedsDir());
  ASSERT_NE(server, nullptr);
  auto channel = test_support::ChannelTo(server->port());
  std::atomic<bool> stop{false};
  std::atomic<int> ok_calls{0};
  Failures failures;
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto stub = v1::FactGraphService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext context;
        context.set_deadline(In(std::chrono::seconds(30)));
        grpc::Status status;
        if (t % 2 == 0) {
          // A slow reader: the stream is in flight when shutdown starts.
          auto reader = stub->QueryFacts(&context, v1::QueryFactsRequest());
          v1::QueryFactsResponse response;
          while (reader->Read(&response)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
          status = reader->Finish();
        } else {
          v1::GetKnowledgeBaseInfoResponse response;
          status = stub->GetKnowledgeBaseInfo(&context, {}, &response);
        }
        // Allowed: served, cut at the end of the grace period, or refused
        // because the server is going away.
        if (status.ok()) {
          ++ok_calls;
        } else if (status.error_code() != StatusCode::UNAVAILABLE &&
                   status.error_code() != StatusCode::CANCELLED) {
          failures.Add(std::to_string(status.error_code()) + " " +
                       status.error_message());
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));
  const absl::Time before = absl::Now();
  server->Shutdown(absl::Seconds(1));
  server->Wait();
  const absl::Duration took = absl::Now() - before;
  EXPECT_LT(took, absl::Seconds(10));

  // New calls after shutdown are refused, not hung.
  {
    auto stub = v1::FactGraphService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(In(std::chrono::seconds(5)));
    v1::GetKnowledgeBaseInfoResponse response;
    EXPECT_EQ(stub->GetKnowledgeBaseInfo(&context, {}, &response).error_code(),
              StatusCode::UNAVAILABLE);
  }
  stop = true;
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(failures.count(), 0) << failures.Describe();
  EXPECT_GT(ok_calls.load(), 0);
  server.reset();
}

TEST(ConcurrencyTest, StreamsCancelledFromOtherThreadsWhileReading) {
  auto server = StartLoaded(test_support::RealSeedsDir());
  ASSERT_NE(server, nullptr);
  auto channel = test_support::ChannelTo(server->port());
  Failures failures;
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      auto stub = v1::FactGraphService::NewStub(channel);
      for (int i = 0; i < 10; ++i) {
        grpc::ClientContext context;
        context.set_deadline(In(std::chrono::seconds(60)));
        auto reader = stub->QueryFacts(&context, v1::QueryFactsRequest());
        // Another thread cancels after a delay that varies per call, so
        // cancellation lands before, during and between writes.
        std::thread canceller([&context, delay = (t * 10 + i) % 7] {
          std::this_thread::sleep_for(std::chrono::milliseconds(delay));
          context.TryCancel();
        });
        v1::QueryFactsResponse response;
        while (reader->Read(&response)) {
        }
        const grpc::Status status = reader->Finish();
        canceller.join();
        if (!status.ok() && status.error_code() != StatusCode::CANCELLED) {
          failures.Add(std::to_string(status.error_code()) + " " +
                       status.error_message());
        }
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(failures.count(), 0) << failures.Describe();

  auto stub = v1::FactGraphService::NewStub(channel);
  grpc::ClientContext context;
  v1::GetKnowledgeBaseInfoResponse info;
  EXPECT_TRUE(stub->GetKnowledgeBaseInfo(&context, {}, &info).ok());
}

}  // namespace
}  // namespace factgraph
