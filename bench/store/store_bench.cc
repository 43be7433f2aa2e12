// factgraph_store_bench: the store and query engine against SQLite on the same
// synthetic knowledge bases. Each query is registered twice per size,
// "<query>/factgraph/<entities>" and "<query>/sqlite/<entities>"; the SQLite
// side answers the same question (the page and the total count where the
// factgraph call returns both) and is checked to find as many rows.
//
//   factgraph_store_bench [--sizes=10000,100000,1000000] [benchmark flags]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/store/bench_data.h"
#include "service/query/facts_query.h"
#include "service/query/graph.h"
#include "service/query/list.h"
#include "service/query/search.h"
#include "service/store/collections.h"
#include "service/store/text_normalizer.h"

namespace factgraph::bench {
namespace {

using benchmark::State;

constexpr int kPageSize = 50;
constexpr char kUnindexedWord[] = "genome";
constexpr char kInstitutionColumns[] =
    "name, display_name, kind, parent, location";

const store::Collection& Institutions() {
  return *store::CollectionById("institutions");
}

const query::PageTokenCodec& Tokens() {
  static const query::PageTokenCodec codec;
  return codec;
}

// Fails the benchmark when the two sides disagree on a result's size.
bool SameCount(State& state, int64_t ours, int64_t sqlite,
               const std::string& what) {
  if (ours == sqlite) return true;
  state.SkipWithError(
      absl::StrCat(what, ": factgraph finds ", ours, ", SQLite ", sqlite)
          .c_str());
  return false;
}

query::ListResult List(const BenchData& data,
                       const query::ListRequest& request) {
  // One set of memos for the whole run, as a server keeps one.
  static auto* const memos = new query::ListMemos();
  absl::StatusOr<query::ListResult> result =
      query::ListPage(data.holder, data.snapshot, Institutions(), request,
                      query::ListLimits(), Tokens(), memos);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    std::abort();
  }
  return *std::move(result);
}

// ---- Get and BatchGet -----------------------------------------------------

void GetFactgraph(State& state, const BenchData& data) {
  size_t i = 0;
  for (auto _ : state) {
    auto resource = query::Get(*data.snapshot, Institutions(),
                               data.institutions[i++ % kSamples]);
    benchmark::DoNotOptimize(resource);
  }
}

void GetSqlite(State& state, const BenchData& data) {
  Statement get = data.sqlite->Prepare(absl::StrCat(
      "SELECT ", kInstitutionColumns, " FROM institutions WHERE name = ?1"));
  size_t i = 0;
  for (auto _ : state) {
    get.BindText(1, data.institutions[i++ % kSamples]);
    benchmark::DoNotOptimize(get.ReadAll());
  }
}

constexpr size_t kBatch = 100;

std::vector<std::string> Batch(const BenchData& data, size_t i) {
  std::vector<std::string> names;
  for (size_t k = 0; k < kBatch; ++k) {
    names.push_back(data.institutions[(i * kBatch + k) % kSamples]);
  }
  return names;
}

void BatchGetFactgraph(State& state, const BenchData& data) {
  const std::vector<std::vector<std::string>> batches = {
      Batch(data, 0), Batch(data, 1), Batch(data, 2), Batch(data, 3)};
  size_t i = 0;
  for (auto _ : state) {
    auto resources = query::BatchGet(*data.snapshot, Institutions(),
                                     batches[i++ % batches.size()], 1000);
    benchmark::DoNotOptimize(resources);
  }
}

void BatchGetSqlite(State& state, const BenchData& data) {
  const std::vector<std::vector<std::string>> batches = {
      Batch(data, 0), Batch(data, 1), Batch(data, 2), Batch(data, 3)};
  Statement get = data.sqlite->Prepare(absl::StrCat(
      "SELECT ", kInstitutionColumns, " FROM institutions WHERE name = ?1"));
  size_t i = 0;
  for (auto _ : state) {
    int64_t rows = 0;
    for (const std::string& name : batches[i++ % batches.size()]) {
      get.BindText(1, name);
      rows += get.ReadAll();
    }
    benchmark::DoNotOptimize(rows);
  }
}

// ---- Filters and ordering ---------------------------------------------------

std::string LocationFilter(const std::string& city) {
  return absl::StrCat("location = \"", city, "\"");
}

void IndexedFilterFactgraph(State& state, const BenchData& data) {
  std::vector<query::ListRequest> requests;
  for (const std::string& city : data.cities) {
    requests.push_back({LocationFilter(city), "", "", kPageSize});
  }
  size_t i = 0;
  int64_t matches = 0;
  for (auto _ : state) {
    query::ListResult result = List(data, requests[i++ % kSamples]);
    matches += result.total_size;
    benchmark::DoNotOptimize(result);
  }
  state.counters["matches"] = benchmark::Counter(
      static_cast<double>(matches), benchmark::Counter::kAvgIterations);
}

// One page of institutions as the List RPC returns it, with the total size
// computed by `total` in every row; `clauses` are WHERE and ORDER BY.
Statement PrepareInstitutionPage(const BenchData& data, absl::string_view total,
                                 absl::string_view clauses) {
  return data.sqlite->Prepare(absl::StrCat("SELECT ", kInstitutionColumns, ", ",
                                           total, " FROM institutions ",
                                           clauses, " LIMIT ", kPageSize));
}

void IndexedFilterSqlite(State& state, const BenchData& data) {
  Statement page = PrepareInstitutionPage(data, "COUNT(*) OVER ()",
                                          "WHERE location = ?1 ORDER BY name");
  Statement count = data.sqlite->Prepare(
      "SELECT COUNT(*) FROM institutions WHERE location = ?1");
  count.BindText(1, data.cities[0]);
  if (!SameCount(
          state,
          List(data, {LocationFilter(data.cities[0]), "", "", 1}).total_size,
          count.ReadInt(), "indexed filter total")) {
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    page.BindText(1, data.cities[i++ % kSamples]);
    benchmark::DoNotOptimize(page.ReadAll());
  }
}

void UnindexedFilterFactgraph(State& state, const BenchData& data) {
  const query::ListRequest request{
      absl::StrCat("display_name:\"", kUnindexedWord, "\""), "", "", kPageSize};
  for (auto _ : state) benchmark::DoNotOptimize(List(data, request));
}

void UnindexedFilterSqlite(State& state, const BenchData& data) {
  const std::string where =
      absl::StrCat("display_name LIKE '%", kUnindexedWord, "%'");
  Statement page =
      PrepareInstitutionPage(data, "COUNT(*) OVER ()",
                             absl::StrCat("WHERE ", where, " ORDER BY name"));
  Statement count = data.sqlite->Prepare(
      absl::StrCat("SELECT COUNT(*) FROM institutions WHERE ", where));
  const query::ListRequest request{
      absl::StrCat("display_name:\"", kUnindexedWord, "\""), "", "", 1};
  if (!SameCount(state, List(data, request).total_size, count.ReadInt(),
                 "unindexed filter total")) {
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(page.ReadAll());
}

void OrderPageFactgraph(State& state, const BenchData& data) {
  const query::ListRequest request{"", "display_name", "", kPageSize};
  for (auto _ : state) benchmark::DoNotOptimize(List(data, request));
}

void OrderPageSqlite(State& state, const BenchData& data) {
  Statement page =
      PrepareInstitutionPage(data, "(SELECT COUNT(*) FROM institutions)",
                             "ORDER BY display_name, name");
  for (auto _ : state) benchmark::DoNotOptimize(page.ReadAll());
}

// ---- Search -----------------------------------------------------------------

// The search index is built on a snapshot's first search (once per
// snapshot, like the server's first call): outside the timed loop, and
// reported with its size. Per-call latencies give the median.
void SearchFactgraph(State& state, const BenchData& data) {
  std::vector<v1::SearchEntitiesRequest> requests(kSamples);
  for (size_t i = 0; i < kSamples; ++i) {
    requests[i].set_query(data.search_words[i]);
    requests[i].set_page_size(10);
  }
  // Google Benchmark calls this more than once per size; the index is built
  // on the first call only.
  static auto* const build_seconds = new std::map<const void*, double>();
  const absl::Time build_start = absl::Now();
  const auto index = query::SearchIndexFor(data.snapshot);
  build_seconds->try_emplace(data.snapshot.get(),
                             absl::ToDoubleSeconds(absl::Now() - build_start));
  std::vector<double> latencies;
  size_t i = 0;
  for (auto _ : state) {
    const absl::Time start = absl::Now();
    auto result = query::SearchEntities(data.holder, data.snapshot,
                                        requests[i++ % kSamples],
                                        query::SearchLimits(), Tokens());
    benchmark::DoNotOptimize(result);
    latencies.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
  }
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    state.counters["p50_us"] = latencies[latencies.size() / 2];
    state.counters["p99_us"] = latencies[latencies.size() * 99 / 100];
  }
  state.counters["index_bytes_per_entity"] =
      static_cast<double>(index->MemoryBytes()) /
      static_cast<double>(data.snapshot->resource_count());
  state.counters["index_build_s"] = build_seconds->at(data.snapshot.get());
}

void SearchSqlite(State& state, const BenchData& data) {
  // Exact and prefix matches through the index on the normalised text; the
  // token matches factgraph also finds are not asked for.
  Statement search = data.sqlite->Prepare(
      "SELECT resource, text, COUNT(*) OVER () FROM names WHERE normalized >= "
      "?1 AND normalized < ?2 ORDER BY normalized, resource LIMIT 10");
  std::vector<std::string> prefixes;
  for (const std::string& word : data.search_words) {
    prefixes.push_back(store::NormalizeForSearch(word));
  }
  size_t i = 0;
  for (auto _ : state) {
    const std::string& prefix = prefixes[i++ % kSamples];
    search.BindText(1, prefix);
    search.BindText(2, prefix + "\xff");
    benchmark::DoNotOptimize(search.ReadAll());
  }
}

// ---- Facts ------------------------------------------------------------------

// Materialises every matching fact as a v1::Fact with its citations: into
// `reused`, one fact after the other, as QueryFacts does with the messages
// of its batches (which keep their buffers from one fact to the next); or,
// with `reused` null, into a new message per fact.
int64_t VisitAndMaterialise(const BenchData& data,
                            const query::FactPattern& pattern,
                            v1::Fact* reused) {
  int64_t facts = 0;
  absl::Status status =
      query::VisitFacts(*data.snapshot, pattern, [&](store::FactIndex index) {
        if (reused != nullptr) {
          data.snapshot->GetFact(index, reused);
          benchmark::DoNotOptimize(*reused);
        } else {
          v1::Fact fact = data.snapshot->GetFact(index);
          benchmark::DoNotOptimize(fact);
        }
        ++facts;
        return true;
      });
  if (!status.ok()) std::abort();
  return facts;
}

constexpr char kFactsSelect[] =
    "SELECT f.subject, f.path, f.predicate, f.object, c.document, c.quote "
    "FROM facts f LEFT JOIN citations c ON c.id = f.citation WHERE ";

// The pattern of sample `i`: by subject (an institution) or by object (a
// city others are located in).
using PatternOf = query::FactPattern (*)(const BenchData& data, size_t i);

query::FactPattern SubjectPattern(const BenchData& data, size_t i) {
  query::FactPattern pattern;
  pattern.subject = data.institutions[i % kSamples];
  return pattern;
}

query::FactPattern ObjectPattern(const BenchData& data, size_t i) {
  query::FactPattern pattern;
  pattern.object = data.cities[i % kSamples];
  return pattern;
}

void FactsFactgraph(State& state, const BenchData& data, PatternOf pattern_of,
                    v1::Fact* reused) {
  size_t i = 0;
  int64_t facts = 0;
  for (auto _ : state) {
    facts += VisitAndMaterialise(data, pattern_of(data, i++), reused);
  }
  state.counters["facts"] = benchmark::Counter(
      static_cast<double>(facts), benchmark::Counter::kAvgIterations);
}

// The same facts from SQLite, `column` (f.subject, f.object) bound to the
// sample keys; skipped when the two disagree on the first sample's count.
void FactsSqlite(State& state, const BenchData& data, PatternOf pattern_of,
                 const char* column, const std::vector<std::string>& keys,
                 const std::string& what) {
  Statement facts =
      data.sqlite->Prepare(absl::StrCat(kFactsSelect, column, " = ?1"));
  facts.BindText(1, keys[0]);
  if (!SameCount(state, VisitAndMaterialise(data, pattern_of(data, 0), nullptr),
                 facts.ReadAll(), what)) {
    return;
  }
  size_t i = 0;
  for (auto _ : state) {
    facts.BindText(1, keys[i++ % kSamples]);
    benchmark::DoNotOptimize(facts.ReadAll());
  }
}

void FactsBySubject(State& state, const BenchData& data, v1::Fact* reused) {
  FactsFactgraph(state, data, SubjectPattern, reused);
}

void FactsBySubjectFactgraph(State& state, const BenchData& data) {
  v1::Fact reused;
  FactsBySubject(state, data, &reused);
}

// A new message per fact: what a caller that keeps the facts pays.
void FactsBySubjectNewMessagesFactgraph(State& state, const BenchData& data) {
  FactsBySubject(state, data, nullptr);
}

// The index walk alone: the facts found and their cheap views (subject,
// path, object key), without building v1::Fact messages; separates the cost
// of finding facts from that of materialising them.
void FactsBySubjectIndexFactgraph(State& state, const BenchData& data) {
  size_t i = 0;
  int64_t facts = 0;
  std::string object_key;
  for (auto _ : state) {
    absl::Status status = query::VisitFacts(
        *data.snapshot, SubjectPattern(data, i++), [&](store::FactIndex index) {
          benchmark::DoNotOptimize(data.snapshot->FactPath(index));
          benchmark::DoNotOptimize(
              data.snapshot->FactObjectKey(index, &object_key));
          ++facts;
          return true;
        });
    if (!status.ok()) std::abort();
  }
  state.counters["facts"] = benchmark::Counter(
      static_cast<double>(facts), benchmark::Counter::kAvgIterations);
}

void FactsBySubjectSqlite(State& state, const BenchData& data) {
  FactsSqlite(state, data, SubjectPattern, "f.subject", data.institutions,
              "facts by subject");
}

void FactsByObjectFactgraph(State& state, const BenchData& data) {
  v1::Fact reused;
  FactsFactgraph(state, data, ObjectPattern, &reused);
}

void FactsByObjectSqlite(State& state, const BenchData& data) {
  FactsSqlite(state, data, ObjectPattern, "f.object", data.cities,
              "facts by object");
}

// ---- Index lookups ----------------------------------------------------------

// Each index's own lookup, without reading the facts it finds: the cost of
// finding a key's list among all keys (docs/design.md "Building and reading
// the indexes"). Keys are those of facts spread over the whole snapshot, so
// that the lookups touch the whole table as a server's do.
struct LookupKeys {
  std::vector<std::string> predicates, objects, documents, link_targets;
};

const LookupKeys& KeysFor(const BenchData& data) {
  // By size: a snapshot of another size may reuse a freed one's address.
  static std::map<int64_t, LookupKeys>* const keys =
      new std::map<int64_t, LookupKeys>();
  LookupKeys& found = (*keys)[data.entities];
  if (!found.predicates.empty()) return found;
  const store::Snapshot& snapshot = *data.snapshot;
  // A large prime stride visits facts in a scattered but fixed order.
  constexpr uint64_t kStride = 1000003;
  v1::Fact fact;
  for (uint64_t i = 0;
       i < 100 * kSamples && (found.link_targets.size() < kSamples ||
                              found.documents.size() < kSamples);
       ++i) {
    const auto index =
        static_cast<store::FactIndex>(i * kStride % snapshot.fact_count());
    snapshot.GetFact(index, &fact);
    if (found.predicates.size() < kSamples) {
      found.predicates.push_back(fact.predicate());
      found.objects.push_back(snapshot.FactObjectKey(index));
    }
    if (found.documents.size() < kSamples && fact.citations_size() > 0) {
      found.documents.push_back(fact.citations(0).document());
    }
    if (found.link_targets.size() < kSamples &&
        fact.object().has_entity_value()) {
      found.link_targets.push_back(fact.object().entity_value().name());
    }
  }
  return found;
}

template <absl::Span<const store::FactIndex> (store::Snapshot::*kLookup)(
              std::string_view) const,
          std::vector<std::string> LookupKeys::*kKeys>
void LookupFactgraph(State& state, const BenchData& data) {
  const std::vector<std::string>& keys = KeysFor(data).*kKeys;
  if (keys.size() < kSamples) {
    state.SkipWithError("too few keys to sample");
    return;
  }
  size_t i = 0;
  benchmark::IterationCount found = 0;
  for (auto _ : state) {
    const auto list = (data.snapshot.get()->*kLookup)(keys[i++ % kSamples]);
    found += !list.empty();
    benchmark::DoNotOptimize(list);
  }
  if (found != state.iterations()) state.SkipWithError("a key was not found");
}

// ---- Graph ------------------------------------------------------------------

void NeighborsFactgraph(State& state, const BenchData& data) {
  size_t i = 0;
  for (auto _ : state) {
    query::NeighborsRequest request;
    request.name = data.organisations[i++ % kSamples];
    request.depth = 1;
    request.max_results = 1000;
    auto result = query::ListNeighbors(*data.snapshot, request);
    if (!result.ok()) std::abort();
    benchmark::DoNotOptimize(result);
  }
}

void NeighborsSqlite(State& state, const BenchData& data) {
  // Both directions of the links, with the linking fact's citation, ordered
  // by neighbour.
  Statement neighbors = data.sqlite->Prepare(
      "SELECT f.object AS neighbor, f.subject, f.path, c.quote FROM facts f "
      "LEFT JOIN citations c ON c.id = f.citation WHERE f.subject = ?1 AND "
      "f.is_link = 1 UNION ALL SELECT f.subject AS neighbor, f.subject, "
      "f.path, c.quote FROM facts f LEFT JOIN citations c ON c.id = "
      "f.citation WHERE f.object = ?1 AND f.is_link = 1 ORDER BY neighbor");
  size_t i = 0;
  for (auto _ : state) {
    neighbors.BindText(1, data.organisations[i++ % kSamples]);
    benchmark::DoNotOptimize(neighbors.ReadAll());
  }
}

void PathsFactgraph(State& state, const BenchData& data) {
  size_t i = 0;
  int64_t paths = 0;
  for (auto _ : state) {
    query::PathsRequest request;
    request.from = data.organisations[i % kSamples];
    request.to = data.organisations[(i + kSamples / 2) % kSamples];
    ++i;
    request.max_length = 4;
    request.max_paths = 10;
    auto result = query::FindPaths(*data.snapshot, request);
    if (!result.ok()) std::abort();
    paths += result->paths_size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["paths"] = benchmark::Counter(
      static_cast<double>(paths), benchmark::Counter::kAvgIterations);
}

using BenchFunction = void (*)(State&, const BenchData&);
struct Query {
  const char* name;
  BenchFunction factgraph;
  // Left out (null) when SQLite has no reasonable equivalent.
  BenchFunction sqlite = nullptr;
};

constexpr Query kQueries[] = {
    {"Get", GetFactgraph, GetSqlite},
    {"BatchGet100", BatchGetFactgraph, BatchGetSqlite},
    {"IndexedFilter", IndexedFilterFactgraph, IndexedFilterSqlite},
    {"UnindexedFilter", UnindexedFilterFactgraph, UnindexedFilterSqlite},
    {"OrderPage", OrderPageFactgraph, OrderPageSqlite},
    {"Search", SearchFactgraph, SearchSqlite},
    {"FactsBySubject", FactsBySubjectFactgraph, FactsBySubjectSqlite},
    {"FactsBySubjectNewMessages", FactsBySubjectNewMessagesFactgraph},
    {"FactsBySubjectIndexOnly", FactsBySubjectIndexFactgraph},
    {"FactsByObject", FactsByObjectFactgraph, FactsByObjectSqlite},
    {"LookupFactsByPredicate",
     LookupFactgraph<&store::Snapshot::FactsByPredicate,
                     &LookupKeys::predicates>},
    {"LookupFactsByObject",
     LookupFactgraph<&store::Snapshot::FactsByObject, &LookupKeys::objects>},
    {"LookupFactsByDocument", LookupFactgraph<&store::Snapshot::FactsByDocument,
                                              &LookupKeys::documents>},
    {"LookupLinksTo",
     LookupFactgraph<&store::Snapshot::LinksTo, &LookupKeys::link_targets>},
    {"Neighbors", NeighborsFactgraph, NeighborsSqlite},
    {"Paths", PathsFactgraph},
};

void Register(const std::string& name, BenchFunction function,
              int64_t entities) {
  benchmark::RegisterBenchmark(name.c_str(), [function,
                                              entities](State& state) {
    function(state, DataFor(entities));
  })->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace factgraph::bench

int main(int argc, char** argv) {
  std::vector<int64_t> sizes = {10000, 100000, 1000000};
  // --sizes is ours; the rest goes to Google Benchmark.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    constexpr char kSizes[] = "--sizes=";
    if (std::strncmp(argv[i], kSizes, std::strlen(kSizes)) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    sizes.clear();
    for (absl::string_view size :
         absl::StrSplit(argv[i] + std::strlen(kSizes), ',')) {
      int64_t entities = 0;
      if (!absl::SimpleAtoi(size, &entities) || entities < 10) {
        std::fprintf(stderr, "--sizes: \"%s\" is not a size >= 10\n",
                     std::string(size).c_str());
        return 2;
      }
      sizes.push_back(entities);
    }
  }
  argc = kept;
  for (int64_t entities : sizes) {
    for (const auto& query : factgraph::bench::kQueries) {
      factgraph::bench::Register(
          absl::StrCat(query.name, "/factgraph/", entities), query.factgraph,
          entities);
      if (query.sqlite != nullptr) {
        factgraph::bench::Register(
            absl::StrCat(query.name, "/sqlite/", entities), query.sqlite,
            entities);
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
