// All or nothing for compiled snapshots, format 3 (docs/snapshot-format.md,
// SECURITY.md "Snapshots"): the real seeds compiled, then every truncation at
// a section or resource boundary (and at every byte of the header and the
// section table), the same truncations with the size field fixed up, and
// bit flips spread over the whole file are each refused with
// INVALID_ARGUMENT naming the file; files whose checksums were recomputed
// over broken offsets, names or resources (what a buggy or hostile writer
// makes) are refused naming the section and the file offset; format-1 and
// format-2 files are refused as unsupported versions; the intact file loads
// with the id of the seeds.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_format.h"
#include "tests/support/file_bytes.h"

namespace factgraph::store {
namespace {

using test_support::ReadFileBytes;
using test_support::SectionExtent;
using test_support::StoreU64;
namespace format = snapshot_format;
using format::SectionKind;

std::string Seeds() { return std::string(FACTGRAPH_SOURCE_DIR) + "/seeds"; }

class SnapshotFrameTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto seeds = LoadSeeds(Seeds());
    ASSERT_TRUE(seeds.ok()) << seeds.status();
    seeds_id_ = new std::string((*seeds)->id());
    dir_ = new std::string((std::filesystem::temp_directory_path() /
                            ("factgraph-frame-" + std::to_string(::getpid())))
                               .string());
    std::filesystem::create_directories(*dir_);
    const std::string path = *dir_ + "/good.fgsnap";
    ASSERT_TRUE(WriteCompiledSnapshot(**seeds, path).ok());
    good_ = new std::string(ReadFileBytes(path));
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(*dir_); }

  // The status of loading `bytes` as a compiled snapshot file.
  static absl::Status Load(const std::string& bytes) {
    const std::string path = *dir_ + "/candidate.fgsnap";
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    return LoadCompiledSnapshot(path).status();
  }

  static std::string Prefix() { return *dir_ + "/candidate.fgsnap: "; }

  // Refused, with INVALID_ARGUMENT naming the file.
  static void ExpectRefused(const std::string& bytes, const std::string& what) {
    const absl::Status status = Load(bytes);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << what << ": " << status;
    EXPECT_EQ(status.message().find(Prefix()), 0u) << what << ": " << status;
  }

  // File offsets where a resource's bytes start or end.
  static std::vector<size_t> ResourceBoundaries() {
    const auto [bytes_at, bytes_length] =
        SectionExtent(*good_, SectionKind::kResourceBytes);
    const auto [table_at, table_length] =
        SectionExtent(*good_, SectionKind::kResourceOffsets);
    std::vector<size_t> boundaries;
    for (uint64_t i = 0; i < table_length / 8; ++i) {
      boundaries.push_back(bytes_at +
                           format::LoadU64(good_->data() + table_at + 8 * i));
    }
    EXPECT_EQ(boundaries.back(), bytes_at + bytes_length);
    return boundaries;
  }

  static std::string* seeds_id_;
  static std::string* dir_;
  static std::string* good_;
};

std::string* SnapshotFrameTest::seeds_id_ = nullptr;
std::string* SnapshotFrameTest::dir_ = nullptr;
std::string* SnapshotFrameTest::good_ = nullptr;

TEST_F(SnapshotFrameTest, TheIntactFileLoadsWithTheIdOfTheSeeds) {
  const std::string path = *dir_ + "/intact.fgsnap";
  {
    std::ofstream out(path, std::ios::binary);
    out << *good_;
  }
  auto loaded = LoadCompiledSnapshot(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->id(), *seeds_id_);
  EXPECT_EQ(good_->substr(0, 12), std::string("\x89"
                                              "FGSNAP\n\x03\0\0\0",
                                              12));
}

TEST_F(SnapshotFrameTest, EveryTruncationIsRefused) {
  const std::vector<size_t> boundaries = ResourceBoundaries();
  ASSERT_GT(boundaries.size(), 100u);
  std::set<size_t> cuts(boundaries.begin(), boundaries.end());
  const size_t table_end =
      format::kHeaderBytes + format::kSectionCount * format::kSectionEntryBytes;
  for (size_t i = 0; i <= table_end; ++i) cuts.insert(i);
  for (uint32_t kind = 1; kind <= format::kSectionCount; ++kind) {
    const auto [offset, length] =
        SectionExtent(*good_, static_cast<SectionKind>(kind));
    for (size_t at : {offset - 1, offset, offset + 1, offset + length - 1}) {
      cuts.insert(at);
    }
  }
  int refused = 0;
  for (size_t cut : cuts) {
    ASSERT_LT(cut, good_->size());
    const std::string truncated = good_->substr(0, cut);
    ExpectRefused(truncated, "truncated to " + std::to_string(cut));
    // The same with the size field fixed up: caught by the section table.
    if (cut >= format::kHeaderBytes) {
      std::string fixed = truncated;
      StoreU64(cut, &fixed, format::kFileSizeOffset);
      ExpectRefused(fixed,
                    "truncated to " + std::to_string(cut) + ", size fixed up");
      ResealSnapshotFile(&fixed);
      if (cut > table_end) {
        ExpectRefused(fixed, "truncated to " + std::to_string(cut) +
                                 ", size fixed up and resealed");
      }
    }
    ++refused;
  }
  EXPECT_GT(refused, 300);
}

TEST_F(SnapshotFrameTest, BitFlipsAnywhereAreRefused) {
  // Every bit of the header and the section table, and 2,000 bits of the
  // sections chosen by a fixed seed.
  const size_t table_end =
      format::kHeaderBytes + format::kSectionCount * format::kSectionEntryBytes;
  std::vector<size_t> bits;
  for (size_t bit = 0; bit < table_end * 8; ++bit) bits.push_back(bit);
  std::mt19937_64 random(20);
  std::uniform_int_distribution<size_t> section_bit(table_end * 8,
                                                    good_->size() * 8 - 1);
  for (int i = 0; i < 2000; ++i) bits.push_back(section_bit(random));
  for (size_t bit : bits) {
    std::string flipped = *good_;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    ExpectRefused(flipped, "bit " + std::to_string(bit) + " flipped");
  }
}

TEST_F(SnapshotFrameTest, EmptyAndForeignFilesAreRefusedWithTheirReason) {
  EXPECT_EQ(Load("").message(),
            Prefix() + "only 0 bytes, shorter than the header");
  const auto [bytes_at, bytes_length] =
      SectionExtent(*good_, SectionKind::kResourceBytes);
  EXPECT_EQ(Load(good_->substr(bytes_at, bytes_length)).message(),
            Prefix() + "not a compiled snapshot (wrong magic number)");
  std::string version4 = *good_;
  version4[8] = 4;
  EXPECT_EQ(Load(version4).message(),
            Prefix() +
                "unsupported snapshot version 4 (this server reads version "
                "3): compile the knowledge base again with factgraph "
                "compile");
  EXPECT_EQ(Load(*good_ + "x").message(),
            Prefix() +
                "truncated or extended: the header (file offset 16) "
                "announces " +
                std::to_string(good_->size()) + " bytes, the file holds " +
                std::to_string(good_->size() + 1));
  std::string corrupt = *good_;
  corrupt[bytes_at + 100] ^= 0x20;
  EXPECT_EQ(Load(corrupt).message(),
            Prefix() + "section RESOURCE_BYTES (file offset " +
                std::to_string(bytes_at) + "): checksum mismatch");
  std::string table = *good_;
  table[format::kHeaderBytes + 40] ^= 1;
  EXPECT_EQ(Load(table).message(),
            Prefix() + "section table (file offset 32): checksum mismatch");
}

// A file of the previous format, as the previous `factgraph compile` wrote
// it (the small knowledge base of the snapshot fuzzer's corpus).
TEST_F(SnapshotFrameTest, AFormat1FileIsAnUnsupportedVersion) {
  const std::string format1 = ReadFileBytes(std::string(FACTGRAPH_SOURCE_DIR) +
                                            "/tests/hardening/testdata/"
                                            "format1_small.fgsnap");
  ASSERT_EQ(format1.size(), 798u);
  EXPECT_EQ(Load(format1).message(),
            Prefix() +
                "unsupported snapshot version 1 (this server reads version "
                "3): compile the knowledge base again with factgraph "
                "compile");
}

// A file of the previous format, 2, as the previous commit's writer wrote it
// (a small knowledge base, kept in the snapshot2 fuzzer's corpus too).
TEST_F(SnapshotFrameTest, AFormat2FileIsAnUnsupportedVersion) {
  const std::string format2 = ReadFileBytes(std::string(FACTGRAPH_SOURCE_DIR) +
                                            "/tests/hardening/testdata/"
                                            "format2_small.fgsnap");
  ASSERT_EQ(format2.size(), 5088u);
  ASSERT_EQ(format2[8], 2);
  EXPECT_EQ(Load(format2).message(),
            Prefix() +
                "unsupported snapshot version 2 (this server reads version "
                "3): compile the knowledge base again with factgraph "
                "compile");
}

// Checksums vouch only for what the writer wrote: the structure is checked
// too, naming the section and the offset of the first bad entry.
TEST_F(SnapshotFrameTest, ResealedStructuralErrorsNameSectionAndOffset) {
  const auto [offsets_at, offsets_length] =
      SectionExtent(*good_, SectionKind::kResourceOffsets);
  {
    std::string decreasing = *good_;
    StoreU64(format::LoadU64(good_->data() + offsets_at + 8 * 3) - 1000000,
             &decreasing, offsets_at + 8 * 4);
    ResealSnapshotFile(&decreasing);
    const std::string message(Load(decreasing).message());
    EXPECT_EQ(
        message.find(Prefix() + "section RESOURCE_OFFSETS (file offset " +
                     std::to_string(offsets_at + 8 * 4) + "): entry 4 is "),
        0u)
        << message;
  }
  {
    std::string past_end = *good_;
    StoreU64(uint64_t{1} << 40, &past_end, offsets_at + offsets_length - 8);
    ResealSnapshotFile(&past_end);
    const std::string message(Load(past_end).message());
    EXPECT_NE(message.find("section RESOURCE_OFFSETS (file offset " +
                           std::to_string(offsets_at + offsets_length - 8) +
                           "): entry "),
              std::string::npos)
        << message;
  }
  {
    const auto [collections_at, collections_length] =
        SectionExtent(*good_, SectionKind::kResourceCollections);
    std::string unknown = *good_;
    unknown[collections_at + 8] = 99;
    ResealSnapshotFile(&unknown);
    EXPECT_EQ(Load(unknown).message(),
              Prefix() + "section RESOURCE_COLLECTIONS (file offset " +
                  std::to_string(collections_at + 8) +
                  "): entry 2 is 99, not the field number of a "
                  "KnowledgeBase collection");
  }
  {
    const auto [names_at, names_length] =
        SectionExtent(*good_, SectionKind::kNameBytes);
    std::string unordered = *good_;
    unordered[names_at] = 'z';  // The first name now sorts last.
    ResealSnapshotFile(&unordered);
    const std::string message(Load(unordered).message());
    EXPECT_EQ(message.find(Prefix() + "section NAME_BYTES (file offset "), 0u)
        << message;
    EXPECT_NE(message.find("is not in order after \"zgreements/"),
              std::string::npos)
        << message;
  }
  {
    // A resource's bytes that do not parse: a field tag of number 0.
    const uint64_t first =
        SectionExtent(*good_, SectionKind::kResourceBytes).first;
    std::string garbage = *good_;
    garbage[first] = 0;
    ResealSnapshotFile(&garbage);
    EXPECT_EQ(Load(garbage).message(),
              Prefix() + "section RESOURCE_BYTES (file offset " +
                  std::to_string(first) +
                  "): resource 0 is not a valid factgraph.v1.Agreement");
  }
}

}  // namespace
}  // namespace factgraph::store
