// The store's indexes persisted in a compiled snapshot (docs/snapshot-format.md
// "Store index sections"): a file with them answers every index query as the
// seeds do, and so does one without them (the indexes are built then); files
// resealed over inconsistent store sections are refused at load with
// INVALID_ARGUMENT naming the file, the section and the file offset.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/query/compiled_snapshot.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_format.h"
#include "service/store/store_index_sections.h"
#include "tests/support/file_bytes.h"

namespace factgraph::store {
namespace {

using test_support::ReadFileBytes;
using test_support::SectionExtent;
using test_support::StoreU32;
using test_support::WriteFileBytes;
namespace format = snapshot_format;

std::string Source(const std::string& path) {
  return std::string(FACTGRAPH_SOURCE_DIR) + "/" + path;
}

class StoreSectionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto seeds = LoadSeeds(Source("seeds"));
    ASSERT_TRUE(seeds.ok()) << seeds.status();
    seeds_ = new std::shared_ptr<const Snapshot>(*seeds);
    dir_ = new std::string(
        (std::filesystem::temp_directory_path() /
         ("factgraph-store-sections-" + std::to_string(::getpid())))
            .string());
    std::filesystem::create_directories(*dir_);
    const std::string path = *dir_ + "/good.fgsnap";
    ASSERT_TRUE(WriteCompiledSnapshot(**seeds, path).ok());
    good_ = new std::string(ReadFileBytes(path));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(*dir_); }

  static std::string Candidate() { return *dir_ + "/candidate.fgsnap"; }

  // The message of loading `bytes`, resealed.
  static std::string Refusal(std::string bytes) {
    ResealSnapshotFile(&bytes);
    WriteFileBytes(Candidate(), bytes);
    auto loaded = LoadCompiledSnapshot(Candidate());
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
    auto with_indexes = query::LoadCompiledSnapshotWithIndexes(Candidate());
    EXPECT_EQ(with_indexes.status(), loaded.status());
    return std::string(loaded.status().message());
  }

  static std::string Prefix(uint32_t kind, uint64_t offset) {
    return absl::StrCat(Candidate(), ": section ", StoreIndexSectionName(kind),
                        " (file offset ", offset, "): ");
  }

  // Every index query of `a` and `b` over every name, predicate and
  // document of the seeds gives the same facts.
  static void ExpectSameAnswers(const Snapshot& a, const Snapshot& b) {
    ASSERT_EQ(a.fact_count(), b.fact_count());
    ASSERT_EQ(a.resource_count(), b.resource_count());
    const auto same = [](absl::Span<const FactIndex> x,
                         absl::Span<const FactIndex> y) {
      return std::vector<FactIndex>(x.begin(), x.end()) ==
             std::vector<FactIndex>(y.begin(), y.end());
    };
    for (size_t r = 0; r < a.resource_count(); ++r) {
      const std::string_view name = a.ResourceNameAt(r);
      EXPECT_TRUE(same(a.FactsBySubject(name), b.FactsBySubject(name)));
      EXPECT_TRUE(same(a.LinksFrom(name), b.LinksFrom(name)));
      EXPECT_TRUE(same(a.LinksTo(name), b.LinksTo(name)));
    }
    for (FactIndex i = 0; i < a.fact_count(); ++i) {
      const v1::Fact fact = a.GetFact(i);
      EXPECT_EQ(fact.SerializeAsString(), b.GetFact(i).SerializeAsString());
      const std::string predicate(a.FactPredicate(i));
      EXPECT_TRUE(
          same(a.FactsByPredicate(predicate), b.FactsByPredicate(predicate)));
      const std::string object = a.FactObjectKey(i);
      EXPECT_TRUE(same(a.FactsByObject(object), b.FactsByObject(object)));
      for (const v1::Citation& citation : fact.citations()) {
        EXPECT_TRUE(same(a.FactsByDocument(citation.document()),
                         b.FactsByDocument(citation.document())));
      }
    }
    ASSERT_EQ(a.NameEntries().size(), b.NameEntries().size());
    for (size_t e = 0; e < a.NameEntries().size(); ++e) {
      const NameEntry& x = a.NameEntries()[e];
      const NameEntry& y = b.NameEntries()[e];
      EXPECT_EQ(x.resource_name, y.resource_name);
      EXPECT_EQ(x.text, y.text);
      EXPECT_EQ(x.normalized, y.normalized);
      EXPECT_EQ(x.is_display_name, y.is_display_name);
      EXPECT_EQ(std::string(x.resource->GetDescriptor()->full_name()),
                std::string(y.resource->GetDescriptor()->full_name()));
      EXPECT_EQ(a.NameEntriesWithToken(x.normalized).size(),
                b.NameEntriesWithToken(x.normalized).size());
    }
    EXPECT_EQ(a.integrity_problems(), b.integrity_problems());
  }

  static std::shared_ptr<const Snapshot>* seeds_;
  static std::string* dir_;
  static std::string* good_;
};

std::shared_ptr<const Snapshot>* StoreSectionsTest::seeds_ = nullptr;
std::string* StoreSectionsTest::dir_ = nullptr;
std::string* StoreSectionsTest::good_ = nullptr;

TEST_F(StoreSectionsTest, TheFileHoldsEveryStoreSectionInPlace) {
  WriteFileBytes(Candidate(), *good_);
  auto compiled = LoadCompiledSnapshot(Candidate());
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  for (uint32_t kind = format::kStoreIndexKinds.first;
       kind < kStoreIndexSectionEnd; ++kind) {
    EXPECT_TRUE((*compiled)->IndexSection(kind).has_value()) << kind;
  }
  // The fact records are read where they lie in the mapping.
  const std::optional<Snapshot::StoredSection> records =
      (*compiled)->IndexSection(kFactRecords);
  ASSERT_TRUE(records.has_value());
  EXPECT_EQ(records->bytes.size(), 8 * (*seeds_)->fact_count());
  EXPECT_EQ(
      static_cast<const void*>(records->bytes.data()),
      static_cast<const void*>((*compiled)->store_index_views().facts.data()));
  ExpectSameAnswers(**seeds_, **compiled);
}

TEST_F(StoreSectionsTest, AFileWithoutStoreSectionsBuildsThem) {
  ASSERT_TRUE(
      WriteCompiledKnowledgeBase((*seeds_)->knowledge_base(), Candidate())
          .ok());
  auto compiled = LoadCompiledSnapshot(Candidate());
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_FALSE((*compiled)->IndexSection(kFactRecords).has_value());
  ExpectSameAnswers(**seeds_, **compiled);
}

TEST_F(StoreSectionsTest, AFactRecordOutOfRangeIsRefused) {
  std::string bytes = *good_;
  const auto [offset, length] = SectionExtent(bytes, kFactRecords);
  ASSERT_GT(length, 8u);
  StoreU32(0xFFFFFF, &bytes, offset + 8 + 4);  // Fact 1's path.
  EXPECT_EQ(Refusal(bytes).substr(0, Prefix(kFactRecords, offset + 8).size()),
            Prefix(kFactRecords, offset + 8));
}

TEST_F(StoreSectionsTest, AnOffsetTableGoingBackIsRefused) {
  std::string bytes = *good_;
  const auto [offset, length] = SectionExtent(bytes, kFactPathOffsets);
  ASSERT_GE(length, 12u);
  StoreU32(0, &bytes, offset + 8);  // Entry 2 below entry 1.
  EXPECT_EQ(Refusal(bytes),
            Prefix(kFactPathOffsets, offset + 8) +
                absl::StrCat("entry 2 is 0, not within ",
                             format::LoadU32(good_->data() + offset + 4), "..",
                             SectionExtent(bytes, kFactPathBytes).second));
}

TEST_F(StoreSectionsTest, ASlotPointingOutsideTheKeysIsRefused) {
  std::string bytes = *good_;
  const auto [offset, length] = SectionExtent(bytes, kObjectKeySlots);
  // The first occupied slot gets a key that begins past the key bytes.
  size_t slot = 0;
  while (format::LoadU32(bytes.data() + offset + 16 * slot + 4) == UINT32_MAX) {
    ++slot;
  }
  ASSERT_LT(16 * slot, length);
  StoreU32(0x7FFFFFFF, &bytes, offset + 16 * slot + 8);
  const std::string message = Refusal(bytes);
  EXPECT_EQ(
      message.substr(0, Prefix(kObjectKeySlots, offset + 16 * slot).size()),
      Prefix(kObjectKeySlots, offset + 16 * slot))
      << message;
}

TEST_F(StoreSectionsTest, APostingPastTheFactsIsRefused) {
  std::string bytes = *good_;
  const auto [offset, length] = SectionExtent(bytes, kFactsByPredicateValues);
  ASSERT_GT(length, 0u);
  StoreU32(static_cast<uint32_t>((*seeds_)->fact_count()), &bytes, offset);
  EXPECT_EQ(Refusal(bytes),
            Prefix(kFactsByPredicateValues, offset) +
                absl::StrCat("entry 0 is ", (*seeds_)->fact_count(),
                             ", not below ", (*seeds_)->fact_count()));
}

TEST_F(StoreSectionsTest, ACitationBitPastTheCitationsIsRefused) {
  std::string bytes = *good_;
  const auto [offset, length] = SectionExtent(bytes, kCoveringCitations);
  ASSERT_GT(length, 0u);
  StoreU32(uint32_t{1} << 30, &bytes, offset);
  const std::string message = Refusal(bytes);
  EXPECT_EQ(message.substr(0, Prefix(kCoveringCitations, offset).size()),
            Prefix(kCoveringCitations, offset))
      << message;
}

TEST_F(StoreSectionsTest, ANameEntryOutOfRangeIsRefused) {
  std::string bytes = *good_;
  const auto [offset, length] = SectionExtent(bytes, kNameEntries);
  ASSERT_GE(length, 16u);
  StoreU32(UINT32_MAX - 1, &bytes, offset + 16);  // Entry 1's resource.
  EXPECT_EQ(Refusal(bytes),
            Prefix(kNameEntries, offset + 16) + "entry 1 is out of range");
}

TEST_F(StoreSectionsTest, AMissingStoreSectionIsRefused) {
  // The last store section's kind moved above the known ones: it is unknown
  // and NAMES_BY_TOKEN_VALUES is missing.
  std::string bytes = *good_;
  const uint32_t count =
      format::LoadU32(bytes.data() + format::kSectionCountOffset);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t entry = format::kHeaderBytes + i * format::kSectionEntryBytes;
    if (format::LoadU32(bytes.data() + entry) == kNamesByTokenValues) {
      StoreU32(kStoreIndexSectionEnd, &bytes, entry);
      const uint64_t offset = format::LoadU64(bytes.data() + entry + 8);
      EXPECT_EQ(Refusal(bytes),
                absl::StrCat(Candidate(), ": section store index ",
                             kStoreIndexSectionEnd, " (file offset ", offset,
                             "): unknown store index kind"));
      return;
    }
  }
  FAIL() << "no NAMES_BY_TOKEN_VALUES section";
}

}  // namespace
}  // namespace factgraph::store
