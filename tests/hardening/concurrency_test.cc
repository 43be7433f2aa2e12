// Concurrency: reloads under load, shutdown with calls in flight, and
// streams cancelled from other threads. These are the tests the
// ThreadSanitizer pass runs (label "concurrency").
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gtest/gtest.h"
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

TEST(ConcurrencyTest, ReloadUnderLoadFailsNoCallAndMixesNoSnapshots) {
  test_support::SeedsCopy seeds;
  auto server = StartLoaded(seeds.path());
  ASSERT_NE(server, nullptr);
  auto channel = test_support::ChannelTo(server->port());
  std::atomic<bool> stop{false};
  std::atomic<int> calls{0};
  Failures failures;
  absl::Mutex ids_mu;
  std::set<std::string> ids_seen;

  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto stub = v1::FactGraphService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext context;
        context.set_deadline(In(std::chrono::seconds(60)));
        grpc::Status status;
        switch (t) {
          case 0: {
            v1::ListInstitutionsRequest request;
            request.set_page_size(1000);
            v1::ListInstitutionsResponse response;
            status = stub->ListInstitutions(&context, request, &response);
            // Each answer comes from one snapshot: with or without the
            // extra institution, and its count agrees with its total.
            if (status.ok() &&
                response.institutions_size() != response.total_size()) {
              failures.Add("list page does not hold the whole collection");
            }
            break;
          }
          case 1: {
            v1::SearchEntitiesRequest request;
            request.set_query("kaist");
            v1::SearchEntitiesResponse response;
            status = stub->SearchEntities(&context, request, &response);
            break;
          }
          case 2: {
            v1::QueryFactsRequest request;
            request.set_subject("institutions/kaist");
            auto reader = stub->QueryFacts(&context, request);
            v1::QueryFactsResponse response;
            while (reader->Read(&response)) {
            }
            status = reader->Finish();
            break;
          }
          default: {
            v1::ListNeighborsRequest request;
            request.set_name("institutions/kaist");
            request.set_depth(2);
            v1::ListNeighborsResponse response;
            status = stub->ListNeighbors(&context, request, &response);
            break;
          }
        }
        ++calls;
        if (!status.ok()) {
          failures.Add(std::to_string(status.error_code()) + " " +
                       status.error_message());
        } else {
          const std::string id = test_support::SnapshotIdOf(context);
          absl::MutexLock lock(&ids_mu);
          ids_seen.insert(id);
        }
      }
    });
  }
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
  stop = true;
  for (std::thread& client : clients) client.join();

  EXPECT_EQ(failures.count(), 0) << failures.Describe();
  EXPECT_GT(calls.load(), 8);
  EXPECT_EQ(ids_served.size(), 2u);
  for (const std::string& id : ids_seen) {
    EXPECT_EQ(ids_served.count(id), 1u) << id;
  }
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
