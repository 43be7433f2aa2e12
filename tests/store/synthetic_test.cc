#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/synthetic/synthetic_kb.h"
#include "gtest/gtest.h"
#include "service/query/compiled_snapshot.h"
#include "service/query/search/index_builder.h"
#include "service/store/coverage.h"
#include "service/store/digest.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/store_index_sections.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_path.h"

namespace factgraph::synthetic {
namespace {

TEST(SyntheticTest, IsDeterministicForASeed) {
  SyntheticOptions options;
  options.entities = 500;
  options.seed = 7;
  const std::string first = GenerateKnowledgeBase(options).SerializeAsString();
  EXPECT_EQ(GenerateKnowledgeBase(options).SerializeAsString(), first);
  options.seed = 8;
  EXPECT_NE(GenerateKnowledgeBase(options).SerializeAsString(), first);
}

TEST(SyntheticTest, HasTheShapeOfTheRealKnowledgeBase) {
  SyntheticOptions options;
  options.entities = 1000;
  const v1::KnowledgeBase kb = GenerateKnowledgeBase(options);
  EXPECT_EQ(kb.institutions_size(), 300);
  EXPECT_EQ(kb.people_size(), 250);
  EXPECT_EQ(kb.agreements_size(), 100);
  EXPECT_EQ(kb.projects_size(), 100);
  EXPECT_EQ(kb.fundings_size(), 100);
  EXPECT_EQ(kb.events_size(), 80);
  EXPECT_EQ(kb.statistics_size(), 70);
  EXPECT_EQ(kb.documents_size(), 1);
}

TEST(SyntheticTest, SeedsDirectoryLoadsCleanlyAndMatchesTheGeneratedSnapshot) {
  SyntheticOptions options;
  options.entities = 2000;
  options.entities_per_document = 400;
  const v1::KnowledgeBase kb = GenerateKnowledgeBase(options);
  ASSERT_EQ(kb.documents_size(), 5);
  const test_support::ScopedTempPath dir_file("synthetic_seeds");
  const std::string& dir = dir_file.path();
  ASSERT_TRUE(WriteSeedsDirectory(kb, dir, /*resources_per_file=*/700).ok());
  EXPECT_TRUE(std::filesystem::exists(dir + "/kb/0002.textproto"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/kb/0003.textproto"));

  const auto loaded = store::LoadSeeds(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const store::CoverageReport report = store::ComputeCoverage(**loaded);
  EXPECT_EQ(report.resources, 2005);
  EXPECT_TRUE(report.uncited_fields.empty());
  EXPECT_TRUE(report.uncited_documents.empty());
  // The loader fills the output-only fields exactly as the generator did.
  EXPECT_EQ((*loaded)->id(),
            store::Snapshot::Build(kb, "generated", absl::Now())->id());
}

TEST(SyntheticTest, CompiledSnapshotLoads) {
  SyntheticOptions options;
  options.entities = 3000;
  const v1::KnowledgeBase kb = GenerateKnowledgeBase(options);
  const test_support::ScopedTempPath path_file("synthetic.fgsnap");
  const std::string& path = path_file.path();
  ASSERT_TRUE(store::WriteCompiledKnowledgeBase(kb, path).ok());
  const auto loaded = store::LoadCompiledSnapshot(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->resource_count(), 3003u);
  EXPECT_EQ((*loaded)->id(),
            store::Snapshot::Build(kb, "generated", absl::Now())->id());
  EXPECT_FALSE((*loaded)->LinksTo("institutions/i-00000003").empty());
}

// The streaming writer (docs/snapshot-format.md "Writing") writes the bytes
// the writer before it wrote, which built the whole file in memory.
TEST(SyntheticTest, StreamedCompiledSnapshotHasThePreviousWritersBytes) {
  SyntheticOptions options;
  options.entities = 1000;
  const v1::KnowledgeBase kb = GenerateKnowledgeBase(options);
  const test_support::ScopedTempPath path_file("streamed.fgsnap");
  const std::string& path = path_file.path();
  ASSERT_TRUE(query::WriteCompiledKnowledgeBaseWithIndexes(kb, path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  const std::string streamed = test_support::ReadFileBytes(path);
  // SHA-256 of the file the in-memory writer (commit d5aa450) wrote for
  // `factgraph_synth --entities=1000`.
  EXPECT_EQ(store::Sha256Hex(streamed),
            "56771f922ad215ffff89aac5b8dda0031dc956dca92fe5b1e023b082fa1bf765");

  // And the same bytes as every section assembled in memory.
  const auto snapshot = store::Snapshot::Build(kb, "generated", absl::Now());
  store::SectionCollector collector;
  store::WriteStoreIndexSections(*snapshot, collector);
  ASSERT_EQ(collector.sections.size(), store::kStoreIndexSectionCount);
  auto search = query::search::BuildSearchSections(*snapshot);
  ASSERT_TRUE(search.ok()) << search.status();
  std::vector<store::snapshot_format::IndexSectionBytes> all;
  for (const auto& [kind, bytes] : collector.sections)
    all.push_back({kind, bytes});
  for (const auto& [kind, bytes] : *search) all.push_back({kind, bytes});
  const auto in_memory = store::BuildSnapshotFile(kb, all);
  ASSERT_TRUE(in_memory.ok()) << in_memory.status();
  EXPECT_TRUE(*in_memory == streamed);
}

}  // namespace
}  // namespace factgraph::synthetic
