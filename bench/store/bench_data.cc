#include "bench/store/bench_data.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/synthetic/synthetic_kb.h"
#include "factgraph/v1/institution.pb.h"
#include "service/store/collections.h"

namespace factgraph::bench {
namespace {

// The same sample on every run: a multiplicative walk over the indexes.
template <typename T, typename Name>
std::vector<std::string> Sample(const std::vector<T>& items, Name name) {
  std::vector<std::string> sample;
  if (items.empty()) return sample;
  uint64_t position = 0;
  for (size_t i = 0; i < kSamples; ++i) {
    position = (position + 2654435761u) % items.size();
    sample.push_back(name(items[position]));
  }
  return sample;
}

std::unique_ptr<BenchData> Build(int64_t entities) {
  auto data = std::make_unique<BenchData>();
  data->entities = entities;
  const absl::Time start = absl::Now();
  synthetic::SyntheticOptions options;
  options.entities = entities;
  data->snapshot =
      store::Snapshot::Build(synthetic::GenerateKnowledgeBase(options),
                             absl::StrCat("synthetic:", entities), absl::Now());
  data->holder.Swap(data->snapshot);
  const absl::Time built = absl::Now();
  absl::StatusOr<std::unique_ptr<SqliteMirror>> sqlite =
      SqliteMirror::Build(*data->snapshot);
  if (!sqlite.ok()) {
    std::fprintf(stderr, "%s\n", sqlite.status().ToString().c_str());
    std::exit(1);
  }
  data->sqlite = *std::move(sqlite);
  std::fprintf(stderr,
               "[%lld entities: %zu facts; snapshot built in %s, SQLite "
               "mirror in %s]\n",
               static_cast<long long>(entities), data->snapshot->fact_count(),
               absl::FormatDuration(built - start).c_str(),
               absl::FormatDuration(absl::Now() - built).c_str());

  std::vector<const v1::Institution*> all, organisations, cities;
  for (const google::protobuf::Message* message :
       data->snapshot->Resources(*store::CollectionById("institutions"))) {
    const auto* institution = static_cast<const v1::Institution*>(message);
    all.push_back(institution);
    (institution->kind() == v1::INSTITUTION_KIND_CITY ? cities : organisations)
        .push_back(institution);
  }
  auto name = [](const v1::Institution* i) { return i->name(); };
  data->institutions = Sample(all, name);
  data->organisations = Sample(organisations, name);
  data->cities = Sample(cities, name);
  data->search_words = Sample(organisations, [](const v1::Institution* i) {
    return std::string(*absl::StrSplit(i->display_name(), ' ').begin());
  });
  return data;
}

}  // namespace

const BenchData& DataFor(int64_t entities) {
  static std::unique_ptr<BenchData> current;
  if (current == nullptr || current->entities != entities) {
    current.reset();
    current = Build(entities);
  }
  return *current;
}

}  // namespace factgraph::bench
