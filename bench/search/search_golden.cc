// factgraph_search_golden: prints the SearchEntities responses of several
// thousand requests, as JSON, one per line, so that a change to how search
// computes its answers (docs/search.md, "Ranking cost") is checked to leave
// every answer byte-identical: run it before and after, and compare.
//
//   factgraph_search_golden [--seeds=DIR] [--synthetic_entities=N]
//                           [--compiled=FILE] [--snapshot=FILE]
//                           [--bench_seconds=S] > answers.jsonl
//
// The requests: every query of tests/relevance/queries.tsv; the words,
// first words, prefixes, one-letter typos and pairs of words of a sample of
// display names (every resource's, on the seeds); each at page sizes 1, 3,
// 10 and 50, some with a `collections` filter, and the second page of each
// through its page token. With --compiled=FILE the synthetic knowledge base
// is written as a compiled snapshot and searched from the file (the search
// index read from its sections), else built in memory.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/synthetic/synthetic_kb.h"
#include "google/protobuf/util/json_util.h"
#include "service/query/compiled_snapshot.h"
#include "service/query/search.h"
#include "service/query/search/page.h"
#include "service/query/search/page_wire.h"
#include "service/store/collections.h"
#include "service/store/loader.h"
#include "service/store/snapshot_holder.h"
#include "tests/support/display_names.h"
#include "tests/support/query_set.h"

ABSL_FLAG(std::string, seeds, FACTGRAPH_DEFAULT_SEEDS_DIR,
          "seeds directory (empty: none)");
ABSL_FLAG(std::string, queries, FACTGRAPH_DEFAULT_QUERIES,
          "relevance queries (TSV: query, TAB, resource)");
ABSL_FLAG(int64_t, synthetic_entities, 0,
          "also a synthetic knowledge base of this many entities");
ABSL_FLAG(int, synthetic_sample, 400,
          "display names of the synthetic knowledge base to take words from");
ABSL_FLAG(double, bench_seconds, 0,
          "instead of printing answers, time the load generator's search "
          "requests (the first word of each institution's display name, page "
          "size 10) for this long per knowledge base, each answered and "
          "written as the server does, and print the mean cost");
ABSL_FLAG(bool, typed_response, false,
          "with --bench_seconds: answer into a typed response and serialize "
          "it (the HTTP gateway's and the CLI's path), instead of the "
          "server's: a reused page written as wire bytes");
ABSL_FLAG(std::string, snapshot, "",
          "also a compiled snapshot file (e.g. one --compiled wrote)");
ABSL_FLAG(std::string, compiled, "",
          "write the synthetic knowledge base to this compiled snapshot file "
          "and search it from there");

namespace factgraph {
namespace {

using google::protobuf::Message;

using test_support::DisplayNames;

// Queries made of a display name: the name, its words, its first word and a
// prefix of it, a typo of its longest word, and two of its words.
void AddNameQueries(const std::string& name, std::vector<std::string>* out) {
  out->push_back(name);
  const std::vector<std::string> words =
      absl::StrSplit(name, ' ', absl::SkipEmpty());
  if (words.empty()) return;
  for (const std::string& w : words) out->push_back(w);
  std::string longest = words[0];
  for (const std::string& w : words) {
    if (w.size() > longest.size()) longest = w;
  }
  const auto ascii = [](const std::string& w) {
    return std::all_of(w.begin(), w.end(),
                       [](char c) { return absl::ascii_isascii(c); });
  };
  if (longest.size() >= 5 && ascii(longest)) {
    std::string typo = longest;
    typo.erase(typo.size() / 2, 1);
    out->push_back(typo);
    std::string swapped = longest;
    std::swap(swapped[1], swapped[2]);
    out->push_back(swapped);
  }
  if (name.size() > 4) {
    // Cut at a code point.
    size_t cut = name.size() * 2 / 3;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out->push_back(name.substr(0, cut));
  }
  if (words.size() >= 2) {
    out->push_back(words[0] + " " + words.back());
    out->push_back(words.back() + " " + words[0]);
  }
}

void PrintAnswers(const std::string& label, const store::SnapshotHolder& holder,
                  const std::vector<std::string>& queries) {
  const query::PageTokenCodec tokens("golden secret");
  const query::SearchLimits limits;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  size_t count = 0;
  v1::SearchEntitiesResponse reused;
  absl::flat_hash_set<std::string> seen;
  const std::vector<std::vector<std::string>> filters = {
      {}, {"institutions"}, {"people", "agreements", "projects"}};
  for (size_t q = 0; q < queries.size(); ++q) {
    if (!seen.insert(queries[q]).second) continue;
    for (const int page_size : {1, 3, 10, 50}) {
      const std::vector<std::string>& filter = filters[(q + page_size) % 3];
      v1::SearchEntitiesRequest request;
      request.set_query(queries[q]);
      request.set_page_size(page_size);
      for (const std::string& c : filter) request.add_collections(c);
      for (int page = 0; page < 2; ++page) {
        std::string line;
        // Into one response, reused: a reused response answers as a new
        // one would.
        absl::StatusOr<std::shared_ptr<const store::Snapshot>> searched =
            query::SearchEntities(holder, holder.Current(), request, limits,
                                  tokens, &reused);
        if (!searched.ok()) {
          line = searched.status().ToString();
        } else {
          (void)google::protobuf::util::MessageToJsonString(reused, &line,
                                                            options);
        }
        std::string request_json;
        (void)google::protobuf::util::MessageToJsonString(
            request, &request_json, options);
        std::printf("%s\t%s\t%s\n", label.c_str(), request_json.c_str(),
                    line.c_str());
        ++count;
        if (!searched.ok() || reused.next_page_token().empty()) break;
        request.set_page_token(reused.next_page_token());
      }
    }
  }
  std::fprintf(stderr, "%s: %zu answers\n", label.c_str(), count);
}

// Queries from a sample of the display names of a knowledge base.
std::vector<std::string> SampleQueries(const store::Snapshot& snapshot) {
  const size_t sample =
      static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_synthetic_sample)));
  std::vector<std::string> queries;
  for (const std::string& name : DisplayNames(
           snapshot, std::max<size_t>(1, snapshot.resource_count() / sample))) {
    AddNameQueries(name, &queries);
  }
  return queries;
}

// The load generator's SearchEntities workload (bench/loadgen/workloads.cc),
// without gRPC: the search's own cost per call.
void TimeSearches(const std::string& label,
                  const store::SnapshotHolder& holder) {
  std::vector<v1::SearchEntitiesRequest> requests;
  absl::flat_hash_set<std::string> words;
  for (const Message* message :
       holder.Current()->Resources(*store::CollectionById("institutions"))) {
    const auto* institution = static_cast<const v1::Institution*>(message);
    const std::string word(
        *absl::StrSplit(institution->display_name(), ' ').begin());
    if (requests.size() < 1000 && word.size() >= 2 &&
        words.insert(word).second) {
      requests.emplace_back().set_query(word);
      requests.back().set_page_size(10);
    }
  }
  const query::PageTokenCodec tokens("bench secret");
  const query::SearchLimits limits;
  const absl::Duration wanted =
      absl::Seconds(absl::GetFlag(FLAGS_bench_seconds));
  // The server's: one page, reused, written as wire bytes into a buffer
  // (docs/search.md "Serving"); or a typed response, serialized.
  const bool typed = absl::GetFlag(FLAGS_typed_response);
  query::search::Page page;
  v1::SearchEntitiesResponse response;
  std::string wire;
  size_t calls = 0;
  size_t bytes = 0;
  const absl::Time start = absl::Now();
  const std::clock_t cpu_start = std::clock();
  absl::Duration elapsed;
  while ((elapsed = absl::Now() - start) < wanted) {
    for (const v1::SearchEntitiesRequest& request : requests) {
      absl::StatusOr<std::shared_ptr<const store::Snapshot>> searched =
          typed ? query::SearchEntities(holder, holder.Current(), request,
                                        limits, tokens, &response)
                : query::SearchEntities(holder, holder.Current(), request,
                                        limits, tokens, &page);
      if (!searched.ok()) {
        std::fprintf(stderr, "%s\n", searched.status().ToString().c_str());
        std::exit(1);
      }
      if (typed) {
        response.SerializeToString(&wire);
        bytes += wire.size();
      } else {
        const size_t size = query::search::MeasurePageWire(&page);
        if (wire.size() < size) wire.resize(size);
        query::search::WritePageWire(page,
                                     reinterpret_cast<uint8_t*>(wire.data()));
        bytes += size;
        page.Clear();
      }
      ++calls;
    }
  }
  const double cpu_us =
      1e6 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf(
      "%s: %zu queries, %zu calls, %.2f us/call wall, %.2f us/call "
      "CPU, %zu B/response\n",
      label.c_str(), requests.size(), calls,
      absl::ToDoubleMicroseconds(elapsed) / calls, cpu_us / calls,
      bytes / calls);
}

void Answer(const std::string& label, const store::SnapshotHolder& holder,
            const std::vector<std::string>& queries) {
  if (absl::GetFlag(FLAGS_bench_seconds) > 0) {
    TimeSearches(label, holder);
  } else {
    PrintAnswers(label, holder, queries);
  }
}

// The snapshot, or exits after printing why there is none.
std::shared_ptr<const store::Snapshot> OrExit(
    absl::StatusOr<std::shared_ptr<const store::Snapshot>> loaded) {
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(loaded);
}

int Run() {
  if (const std::string seeds = absl::GetFlag(FLAGS_seeds); !seeds.empty()) {
    const std::shared_ptr<const store::Snapshot> loaded =
        OrExit(store::LoadSeeds(seeds));
    absl::StatusOr<std::vector<std::string>> read =
        test_support::ReadQuerySet(absl::GetFlag(FLAGS_queries));
    if (!read.ok()) {
      std::fprintf(stderr, "%s\n", read.status().ToString().c_str());
      return 1;
    }
    std::vector<std::string> queries = *std::move(read);
    for (const std::string& name : DisplayNames(*loaded, 1)) {
      AddNameQueries(name, &queries);
    }
    for (const char* extra : {"the", "of the", "a", "Korea Univ", "ka", "kai",
                              "연구", "서울대학교의", "zzzzzz", "2023"}) {
      queries.push_back(extra);
    }
    store::SnapshotHolder holder;
    holder.Swap(loaded);
    Answer("seeds", holder, queries);
  }
  if (const std::string file = absl::GetFlag(FLAGS_snapshot); !file.empty()) {
    const std::shared_ptr<const store::Snapshot> loaded =
        OrExit(query::LoadCompiledSnapshotWithIndexes(file));
    store::SnapshotHolder holder;
    holder.Swap(loaded);
    Answer("snapshot", holder, SampleQueries(*loaded));
  }
  if (const int64_t entities = absl::GetFlag(FLAGS_synthetic_entities);
      entities > 0) {
    synthetic::SyntheticOptions options;
    options.entities = entities;
    std::shared_ptr<const store::Snapshot> snapshot;
    if (const std::string file = absl::GetFlag(FLAGS_compiled); !file.empty()) {
      if (absl::Status written = query::WriteCompiledKnowledgeBaseWithIndexes(
              synthetic::GenerateKnowledgeBase(options), file);
          !written.ok()) {
        std::fprintf(stderr, "%s\n", written.ToString().c_str());
        return 1;
      }
      snapshot = OrExit(query::LoadCompiledSnapshotWithIndexes(file));
    } else {
      snapshot =
          store::Snapshot::Build(synthetic::GenerateKnowledgeBase(options),
                                 "synthetic", absl::UnixEpoch());
    }
    const size_t sample =
        static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_synthetic_sample)));
    std::vector<std::string> queries;
    for (const std::string& name : DisplayNames(
             *snapshot,
             std::max<size_t>(1, snapshot->resource_count() / sample))) {
      AddNameQueries(name, &queries);
    }
    store::SnapshotHolder holder;
    holder.Swap(snapshot);
    Answer("synthetic", holder, queries);
  }
  return 0;
}

}  // namespace
}  // namespace factgraph

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return factgraph::Run();
}
