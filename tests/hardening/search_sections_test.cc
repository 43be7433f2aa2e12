// The search index persisted in a compiled snapshot (docs/snapshot-format.md,
// "Search index sections"): the real seeds compiled with their index give
// the very sections the seeds build in memory and byte-for-byte the same
// SearchEntities responses, for every query of the relevance set, while the
// index owns nothing but itself; files resealed over inconsistent search
// sections (what a buggy or hostile writer makes) are refused at load, by
// the query layer's loader and by the server's, naming the file, the section
// and the file offset.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/query/compiled_snapshot.h"
#include "service/query/search.h"
#include "service/query/search/index_builder.h"
#include "service/server/server.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_format.h"
#include "service/store/snapshot_holder.h"
#include "tests/support/file_bytes.h"
#include "tests/support/query_set.h"

namespace factgraph::query {
namespace {

using test_support::ReadFileBytes;
using test_support::SectionExtent;
using test_support::StoreU32;
using test_support::WriteFileBytes;
namespace format = store::snapshot_format;
using search::SearchSection;

std::string Source(const std::string& path) {
  return std::string(FACTGRAPH_SOURCE_DIR) + "/" + path;
}

// The queries of the relevance set, and a few more that page, filter and
// fix typos.
std::vector<std::string> Queries() {
  std::vector<std::string> queries = {"kaist",    "universty",
                                      "moder",    "cooperation agreement",
                                      "카이스트", "research"};
  absl::StatusOr<std::vector<std::string>> relevance_set =
      test_support::ReadQuerySet(Source("tests/relevance/queries.tsv"));
  EXPECT_TRUE(relevance_set.ok()) << relevance_set.status();
  if (relevance_set.ok()) {
    queries.insert(queries.end(), relevance_set->begin(), relevance_set->end());
  }
  return queries;
}

class SearchSectionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto seeds = store::LoadSeeds(Source("seeds"));
    ASSERT_TRUE(seeds.ok()) << seeds.status();
    seeds_ = new std::shared_ptr<const store::Snapshot>(*seeds);
    dir_ = new std::string(
        (std::filesystem::temp_directory_path() /
         ("factgraph-search-sections-" + std::to_string(::getpid())))
            .string());
    std::filesystem::create_directories(*dir_);
    const std::string path = *dir_ + "/good.fgsnap";
    ASSERT_TRUE(WriteCompiledSnapshotWithIndexes(**seeds, path).ok());
    good_ = new std::string(ReadFileBytes(path));
    auto compiled = LoadCompiledSnapshotWithIndexes(path);
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    compiled_ = new std::shared_ptr<const store::Snapshot>(*compiled);
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(*dir_); }

  static std::string Candidate() { return *dir_ + "/candidate.fgsnap"; }

  // The message of loading `bytes`, resealed, with the search index.
  static std::string Refusal(std::string bytes) {
    store::ResealSnapshotFile(&bytes);
    WriteFileBytes(Candidate(), bytes);
    // The store alone verifies only the sections' frame.
    EXPECT_TRUE(store::LoadCompiledSnapshot(Candidate()).ok());
    auto loaded = LoadCompiledSnapshotWithIndexes(Candidate());
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
    // The server's load (and so a reload, which keeps the old snapshot).
    server::ServerOptions options;
    options.snapshot_file = Candidate();
    auto served = server::LoadSnapshot(options);
    EXPECT_EQ(served.status(), loaded.status());
    return std::string(loaded.status().message());
  }

  static std::string Prefix(SearchSection kind, uint64_t offset) {
    return absl::StrCat(Candidate(), ": section ",
                        search::SearchSectionName(kind), " (file offset ",
                        offset, "): ");
  }

  static std::shared_ptr<const store::Snapshot>* seeds_;
  static std::shared_ptr<const store::Snapshot>* compiled_;
  static std::string* dir_;
  static std::string* good_;
};

std::shared_ptr<const store::Snapshot>* SearchSectionsTest::seeds_ = nullptr;
std::shared_ptr<const store::Snapshot>* SearchSectionsTest::compiled_ = nullptr;
std::string* SearchSectionsTest::dir_ = nullptr;
std::string* SearchSectionsTest::good_ = nullptr;

TEST_F(SearchSectionsTest, TheFileHoldsTheSectionsTheSeedsBuild) {
  auto built = search::BuildSearchSections(**seeds_);
  ASSERT_TRUE(built.ok()) << built.status();
  ASSERT_EQ(built->size(), search::kSearchSectionCount);
  for (const auto& [kind, bytes] : *built) {
    const std::optional<store::Snapshot::StoredSection> stored =
        (*compiled_)->IndexSection(kind);
    ASSERT_TRUE(stored.has_value()) << kind;
    EXPECT_TRUE(stored->bytes == bytes)
        << search::SearchSectionName(static_cast<SearchSection>(kind));
    EXPECT_EQ(stored->file_offset % 8, 0u);
  }
}

TEST_F(SearchSectionsTest, CompiledAndSeedsAnswerByteForByteAlike) {
  const PageTokenCodec tokens;
  store::SnapshotHolder seeds_holder, compiled_holder;
  seeds_holder.Swap(*seeds_);
  compiled_holder.Swap(*compiled_);
  int compared = 0;
  for (const std::string& query : Queries()) {
    for (const std::vector<std::string>& collections :
         {std::vector<std::string>{},
          std::vector<std::string>{"institutions", "agreements"}}) {
      v1::SearchEntitiesRequest request;
      request.set_query(query);
      request.set_page_size(7);
      for (const std::string& c : collections) request.add_collections(c);
      auto from_seeds = SearchEntities(seeds_holder, *seeds_, request,
                                       SearchLimits(), tokens);
      auto from_file = SearchEntities(compiled_holder, *compiled_, request,
                                      SearchLimits(), tokens);
      ASSERT_EQ(from_seeds.ok(), from_file.ok()) << query;
      if (!from_seeds.ok()) continue;
      EXPECT_EQ(from_seeds->response.SerializeAsString(),
                from_file->response.SerializeAsString())
          << query;
      compared += from_seeds->response.results_size() > 0;
    }
  }
  EXPECT_GT(compared, 200);
}

TEST_F(SearchSectionsTest, AMappedIndexOwnsOnlyItself) {
  auto mapped = OpenSearchIndex(*compiled_);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  // Itself and the in-memory samples of its names and terms: 8 bytes per
  // 16 of each (index.h, SampledKeys).
  const auto samples = [](size_t count) { return 8 * ((count + 15) / 16); };
  EXPECT_EQ((*mapped)->MemoryBytes(),
            sizeof(search::SearchIndex) +
                samples((*compiled_)->NameEntries().size()) +
                samples((*mapped)->term_count()));
  auto built = OpenSearchIndex(*seeds_);
  ASSERT_TRUE(built.ok()) << built.status();
  size_t section_bytes = 0;
  for (uint32_t i = 0; i < search::kSearchSectionCount; ++i) {
    section_bytes += (*compiled_)
                         ->IndexSection(search::kFirstSearchSection + i)
                         ->bytes.size();
  }
  EXPECT_GE((*built)->MemoryBytes(), section_bytes);
}

TEST_F(SearchSectionsTest, ResealedInconsistentSectionsAreRefusedAtLoad) {
  {
    const auto [at, length] = SectionExtent(*good_, SearchSection::kPostings);
    ASSERT_GT(length, 0u);
    std::string bad = *good_;
    StoreU32(0xFFFFFFFF, &bad, at + 16 * 3);  // Posting 3's doc.
    const auto field_class = static_cast<int>(bad[at + 16 * 3 + 4] & 0xF);
    const auto collection = static_cast<int>((bad[at + 16 * 3 + 4] >> 4) & 0xF);
    EXPECT_EQ(Refusal(bad),
              Prefix(SearchSection::kPostings, at + 16 * 3) +
                  absl::StrCat("posting 3: resource 4294967295 of ",
                               (*seeds_)->resource_count(), ", field class ",
                               field_class, ", collection ", collection));
  }
  {
    const auto [at, length] =
        SectionExtent(*good_, SearchSection::kTermOffsets);
    const uint64_t terms_bytes =
        SectionExtent(*good_, SearchSection::kTermBytes).second;
    std::string bad = *good_;
    StoreU32(4000000000u, &bad, at + 4 * 2);
    EXPECT_EQ(Refusal(bad),
              Prefix(SearchSection::kTermOffsets, at + 4 * 2) +
                  absl::StrCat("offset 2 is 4000000000, not within ",
                               format::LoadU32(good_->data() + at + 4), "..",
                               terms_bytes));
  }
  {
    const auto [at, length] =
        SectionExtent(*good_, SearchSection::kSortedTerms);
    std::string bad = *good_;
    const uint32_t first = format::LoadU32(good_->data() + at);
    const uint32_t second = format::LoadU32(good_->data() + at + 4);
    StoreU32(second, &bad, at);
    StoreU32(first, &bad, at + 4);
    EXPECT_EQ(
        Refusal(bad),
        Prefix(SearchSection::kSortedTerms, at + 4) +
            absl::StrCat("entry 1 is ", first, ", not a term (of ", length / 4,
                         ") after the previous one in byte order"));
  }
  {
    // Text 0 of resource 0 (its type name, pooled) made longer than the
    // pool.
    const auto [at, length] = SectionExtent(*good_, SearchSection::kTexts);
    const uint64_t pool =
        SectionExtent(*good_, SearchSection::kPooledTextBytes).second;
    std::string bad = *good_;
    StoreU32(1u << 30, &bad, at + 4);
    const uint32_t offset = format::LoadU32(good_->data() + at);
    const uint32_t path = format::LoadU32(good_->data() + at + 8) >> 8;
    EXPECT_EQ(
        Refusal(bad),
        Prefix(SearchSection::kTexts, at) +
            absl::StrCat(
                "text 0 of resource 0: bytes ", offset, "+", 1u << 30, " of ",
                pool, " pooled, path ", path, " of ",
                SectionExtent(*good_, SearchSection::kPathOffsets).second / 4 -
                    1,
                ", field class 5"));
  }
  {
    // An occurrence in a text its resource does not have.
    const auto [at, length] =
        SectionExtent(*good_, SearchSection::kOccurrences);
    std::string bad = *good_;
    bad[at + 8] = static_cast<char>(0xFF);
    bad[at + 9] = static_cast<char>(0xFF);
    const std::string message = Refusal(bad);
    EXPECT_EQ(message.find(Prefix(SearchSection::kOccurrences, at) +
                           "occurrence 0 of resource 0: text 65535 of "),
              0u)
        << message;
  }
  {
    // The deletion neighbourhood out of order: binary searches would miss.
    const auto [at, length] = SectionExtent(*good_, SearchSection::kDeletions);
    ASSERT_GT(length, 32u);
    std::string bad = *good_;
    bad.replace(at, 8, std::string(8, '\xFF'));
    const uint32_t word = format::LoadU32(good_->data() + at + 16 + 8);
    EXPECT_EQ(
        Refusal(bad),
        Prefix(SearchSection::kDeletions, at + 16) +
            absl::StrCat(
                "deletion 1: word ", word, " of ",
                SectionExtent(*good_, SearchSection::kWordOffsets).second / 4 -
                    1,
                ", padding 0, hash not in increasing order"));
  }
  {
    // A docs section of the wrong size: the resource count disagrees.
    const auto [at, length] = SectionExtent(*good_, SearchSection::kDocs);
    std::string bad = *good_;
    // Resource 0's collection beyond every collection.
    bad[at + 18] = 100;
    EXPECT_EQ(Refusal(bad),
              Prefix(SearchSection::kDocs, at) +
                  absl::StrCat("resource 0: collection 100 (of ",
                               store::AllCollections().size(), "), padding 0"));
  }
}

TEST_F(SearchSectionsTest, AFileWithOnlySomeSearchSectionsIsRefused) {
  // Rewritten with the core sections and one search section only.
  auto built = search::BuildSearchSections(**seeds_);
  ASSERT_TRUE(built.ok());
  const std::vector<format::IndexSectionBytes> one = {
      {(*built)[0].first, (*built)[0].second}};
  ASSERT_TRUE(store::WriteCompiledSnapshot(**seeds_, Candidate(), one).ok());
  EXPECT_EQ(LoadCompiledSnapshotWithIndexes(Candidate()).status().message(),
            Candidate() +
                ": section SEARCH_DOC_EXTENTS is missing (the file has 1 of "
                "the 23 search index sections)");
  // Without any, the index is built at load, as for seeds.
  ASSERT_TRUE(store::WriteCompiledSnapshot(**seeds_, Candidate()).ok());
  EXPECT_TRUE(LoadCompiledSnapshotWithIndexes(Candidate()).ok());
}

}  // namespace
}  // namespace factgraph::query
