// RankDocs' shortcuts against exhaustive ranking (docs/search.md, "Ranking
// cost"): over a synthetic knowledge base and thousands of queries (names,
// their words, prefixes, typos, pairs of words, with and without a
// collections filter), the best `keep` hits that the fast path keeps in its
// bounded heap must be, to the bit, the first `keep` of every hit ranked by
// the general path, and the hit counts must agree. A shortcut that drops or
// mis-scores a hit fails here.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/synthetic/synthetic_kb.h"
#include "gtest/gtest.h"
#include "service/query/search.h"
#include "service/query/search/scorer.h"
#include "service/store/collections.h"

namespace factgraph::query::search {
namespace {

class RankingPathsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    synthetic::SyntheticOptions options;
    options.entities = 3000;
    options.entities_per_document = 200;
    snapshot_ = new std::shared_ptr<const store::Snapshot>(
        store::Snapshot::Build(synthetic::GenerateKnowledgeBase(options),
                               "synthetic", absl::UnixEpoch()));
    index_ = new std::shared_ptr<const SearchIndex>(SearchIndexFor(*snapshot_));
    ASSERT_NE(*index_, nullptr);
  }

  // Queries from every 7th display name: the name, each word, a prefix, a
  // one-letter typo of each long word, the first and last words together.
  static std::vector<std::string> Queries() {
    std::vector<std::string> queries = {"data", "Data Kim", "university",
                                        "hospital seoul", "zzzzzz"};
    size_t i = 0;
    for (const store::Collection& collection : store::AllCollections()) {
      for (const google::protobuf::Message* message :
           (*snapshot_)->Resources(collection)) {
        if (i++ % 7 != 0) continue;
        const auto* field =
            message->GetDescriptor()->FindFieldByName("display_name");
        if (field == nullptr) continue;
        const std::string name =
            message->GetReflection()->GetString(*message, field);
        const std::vector<std::string> words =
            absl::StrSplit(name, ' ', absl::SkipEmpty());
        if (words.empty()) continue;
        queries.push_back(name);
        queries.push_back(name.substr(0, name.size() / 2));
        for (const std::string& w : words) {
          queries.push_back(w);
          if (w.size() >= 5) {
            std::string typo = w;
            typo.erase(2, 1);
            queries.push_back(typo);
          }
        }
        if (words.size() > 1) queries.push_back(words[0] + " " + words.back());
      }
    }
    return queries;
  }

  static std::shared_ptr<const store::Snapshot>* snapshot_;
  static std::shared_ptr<const SearchIndex>* index_;
};

std::shared_ptr<const store::Snapshot>* RankingPathsTest::snapshot_ = nullptr;
std::shared_ptr<const SearchIndex>* RankingPathsTest::index_ = nullptr;

// The sampled searches (index.h, SampledKeys) give what a binary search of
// the whole sorted run gives: for every name and term, for texts between
// them, and for texts that share their first 8 bytes with many others
// (which the samples cannot tell apart).
TEST_F(RankingPathsTest, SampledSearchesAgreeWithAFullBinarySearch) {
  const SearchIndex& index = **index_;
  const size_t names = (*snapshot_)->NameEntries().size();
  ASSERT_GT(names, 1000u);
  std::vector<std::string> probes = {"",          "a",          "zzzzzzzzzzzz",
                                     "\xff",      "university", "universitx",
                                     "universit", "hospital s"};
  for (size_t e = 0; e < names; ++e) {
    const std::string name(index.NormalizedName(e));
    probes.push_back(name);
    probes.push_back(name + '\x01');
    probes.push_back(name.substr(0, name.size() / 2));
    probes.push_back(name.substr(0, 8));
    if (!name.empty()) probes.push_back(name.substr(0, name.size() - 1));
  }
  for (const std::string& probe : probes) {
    size_t low = 0;
    size_t high = names;
    while (low < high) {
      const size_t middle = low + (high - low) / 2;
      if (index.NormalizedName(middle) < probe) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    ASSERT_EQ(index.FirstNameAtLeast(probe), low) << probe;
  }
  std::vector<std::string> terms;
  for (TermId t = 0; t < index.term_count(); ++t) {
    terms.emplace_back(index.term(t));
  }
  std::vector<std::string> sorted = terms;
  std::sort(sorted.begin(), sorted.end());
  for (TermId t = 0; t < index.term_count(); ++t) {
    ASSERT_EQ(index.FindTerm(terms[t]), std::optional<TermId>(t)) << terms[t];
    ASSERT_FALSE(index.FindTerm(terms[t] + '\x01').has_value()) << terms[t];
    // Every term that starts with it, and only those.
    const auto begin = std::lower_bound(sorted.begin(), sorted.end(), terms[t]);
    auto end = begin;
    while (end != sorted.end() &&
           end->compare(0, terms[t].size(), terms[t]) == 0) {
      ++end;
    }
    std::vector<std::string> found;
    for (TermId f : index.TermsWithPrefix(terms[t], sorted.size())) {
      found.emplace_back(index.term(f));
    }
    ASSERT_EQ(found, std::vector<std::string>(begin, end)) << terms[t];
  }
}

TEST_F(RankingPathsTest, BoundedFastRankingIsThePrefixOfExhaustiveRanking) {
  const SearchIndex& index = **index_;
  const store::Snapshot& snapshot = **snapshot_;
  const uint8_t institutions = static_cast<uint8_t>(
      store::CollectionById("institutions") - store::AllCollections().data());
  const uint8_t people = static_cast<uint8_t>(store::CollectionById("people") -
                                              store::AllCollections().data());
  const std::vector<std::string> queries = Queries();
  ASSERT_GT(queries.size(), 2000u);
  size_t compared = 0;
  size_t one_variant = 0;
  size_t many_hits = 0;
  for (const std::string& text : queries) {
    absl::StatusOr<ParsedQuery> query = ParseQuery(text, 32);
    ASSERT_TRUE(query.ok()) << text;
    const Variants variants = ExpandQuery(index, *query);
    one_variant += variants.size() == 1 ? 1 : 0;
    for (int filter = 0; filter < 3; ++filter) {
      auto wanted = [&](uint8_t collection) {
        return filter == 0 || (filter == 1 && collection == institutions) ||
               (filter == 2 && collection != people);
      };
      const Ranking all = RankDocs(index, snapshot, *query, variants, wanted,
                                   SIZE_MAX, RankingPath::kGeneral);
      many_hits += all.total > 50 ? 1 : 0;
      ASSERT_EQ(all.top.size(), all.total) << text;
      for (const size_t keep : {size_t{1}, size_t{3}, size_t{10}, size_t{50}}) {
        const Ranking fast = RankDocs(index, snapshot, *query, variants, wanted,
                                      keep, RankingPath::kFastest);
        ASSERT_EQ(fast.total, all.total) << text << " filter " << filter;
        ASSERT_EQ(fast.top.size(), std::min(keep, all.total)) << text;
        for (size_t i = 0; i < fast.top.size(); ++i) {
          ASSERT_EQ(fast.top[i].doc, all.top[i].doc)
              << text << " filter " << filter << " keep " << keep << " #" << i;
          // Bit for bit: the page's scores are part of the answer.
          ASSERT_EQ(fast.top[i].score, all.top[i].score) << text << " #" << i;
          ASSERT_EQ(fast.top[i].tier, all.top[i].tier) << text << " #" << i;
        }
        ++compared;
      }
    }
  }
  // The shortcuts were exercised: most queries have one variant, and many
  // have more hits than the largest page.
  EXPECT_GT(one_variant, queries.size() / 2);
  EXPECT_GT(many_hits, 100u);
  EXPECT_EQ(compared, queries.size() * 3 * 4);
}

}  // namespace
}  // namespace factgraph::query::search
