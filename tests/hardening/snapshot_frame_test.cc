// All or nothing for compiled snapshots (SECURITY.md "Snapshots"): the real
// seeds compiled, then every truncation at a record boundary of the content
// (and at every byte of the frame), the same truncations re-framed with a
// corrected length, and bit flips spread over the whole file are each
// refused with INVALID_ARGUMENT naming the file; the intact file loads with
// the id of the seeds.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "gtest/gtest.h"
#include "service/store/loader.h"

namespace factgraph::store {
namespace {

constexpr size_t kHeaderBytes = 20;   // magic 8, version 4, length 8.
constexpr size_t kTrailerBytes = 32;  // SHA-256 of the content.

std::string Seeds() { return std::string(FACTGRAPH_SOURCE_DIR) + "/seeds"; }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

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
    good_ = new std::string(ReadAll(path));
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

  // Refused, with INVALID_ARGUMENT naming the file.
  static void ExpectRefused(const std::string& bytes, const std::string& what) {
    const absl::Status status = Load(bytes);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << what << ": " << status;
    EXPECT_EQ(status.message().find(*dir_ + "/candidate.fgsnap: "), 0u)
        << what << ": " << status;
  }

  // Offsets in the content where a top-level record (one repeated entry of
  // the KnowledgeBase) ends: where a truncated copy would still parse.
  static std::vector<size_t> RecordBoundaries(std::string_view content) {
    std::vector<size_t> boundaries = {0};
    google::protobuf::io::CodedInputStream in(
        reinterpret_cast<const uint8_t*>(content.data()),
        static_cast<int>(content.size()));
    while (true) {
      const uint32_t tag = in.ReadTag();
      if (tag == 0) break;
      EXPECT_EQ(tag & 7, 2u) << "top-level fields are messages";
      uint32_t length = 0;
      EXPECT_TRUE(in.ReadVarint32(&length));
      EXPECT_TRUE(in.Skip(static_cast<int>(length)));
      boundaries.push_back(static_cast<size_t>(in.CurrentPosition()));
    }
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
  EXPECT_EQ(good_->substr(0, 8), std::string("\x89"
                                             "FGSNAP\n",
                                             8));
}

TEST_F(SnapshotFrameTest, EveryTruncationIsRefused) {
  const std::string_view content = std::string_view(*good_).substr(
      kHeaderBytes, good_->size() - kHeaderBytes - kTrailerBytes);
  const std::vector<size_t> boundaries = RecordBoundaries(content);
  ASSERT_GT(boundaries.size(), 100u);
  std::set<size_t> cuts;
  for (size_t boundary : boundaries) cuts.insert(kHeaderBytes + boundary);
  // Every byte of the header, and of the content's end and the checksum.
  for (size_t i = 0; i <= kHeaderBytes; ++i) cuts.insert(i);
  for (size_t i = good_->size() - kTrailerBytes - 8; i < good_->size(); ++i) {
    cuts.insert(i);
  }
  int refused = 0;
  for (size_t cut : cuts) {
    ASSERT_LT(cut, good_->size());
    ExpectRefused(good_->substr(0, cut), "truncated to " + std::to_string(cut));
    ++refused;
  }
  // The same content prefixes with a frame whose length is right but whose
  // checksum is the whole file's: what a tool that re-frames would produce.
  for (size_t boundary : boundaries) {
    if (boundary == content.size()) continue;
    std::string reframed = FrameCompiledSnapshot(content.substr(0, boundary))
                               .substr(0, kHeaderBytes + boundary);
    reframed.append(good_->substr(good_->size() - kTrailerBytes));
    ExpectRefused(reframed, "content cut at record boundary " +
                                std::to_string(boundary) + ", re-framed");
    ++refused;
  }
  EXPECT_GT(refused, 200);
}

TEST_F(SnapshotFrameTest, BitFlipsAnywhereAreRefused) {
  // Every bit of the header and the checksum, and 2,000 bits of the content
  // chosen by a fixed seed.
  std::vector<size_t> bits;
  for (size_t bit = 0; bit < kHeaderBytes * 8; ++bit) bits.push_back(bit);
  for (size_t bit = (good_->size() - kTrailerBytes) * 8;
       bit < good_->size() * 8; ++bit) {
    bits.push_back(bit);
  }
  std::mt19937_64 random(20);
  std::uniform_int_distribution<size_t> content_bit(
      kHeaderBytes * 8, (good_->size() - kTrailerBytes) * 8 - 1);
  for (int i = 0; i < 2000; ++i) bits.push_back(content_bit(random));
  for (size_t bit : bits) {
    std::string flipped = *good_;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    ExpectRefused(flipped, "bit " + std::to_string(bit) + " flipped");
  }
}

TEST_F(SnapshotFrameTest, EmptyAndForeignFilesAreRefusedWithTheirReason) {
  EXPECT_EQ(Load("").message(),
            *dir_ +
                "/candidate.fgsnap: only 0 bytes, shorter than an empty "
                "snapshot");
  // The serialised knowledge base alone, as version 0 files were.
  const std::string bare =
      good_->substr(kHeaderBytes, good_->size() - kHeaderBytes - kTrailerBytes);
  EXPECT_EQ(Load(bare).message(),
            *dir_ +
                "/candidate.fgsnap: not a compiled snapshot (wrong magic "
                "number)");
  std::string version2 = *good_;
  version2[8] = 2;
  EXPECT_EQ(Load(version2).message(),
            *dir_ +
                "/candidate.fgsnap: compiled snapshot format version 2, "
                "this server reads version 1");
  EXPECT_EQ(Load(*good_ + "x").message(),
            *dir_ +
                "/candidate.fgsnap: truncated or extended: the header "
                "announces " +
                std::to_string(bare.size()) +
                " bytes of content, the file holds " +
                std::to_string(bare.size() + 1));
  std::string corrupt = *good_;
  corrupt[kHeaderBytes + 100] ^= 0x20;
  EXPECT_EQ(Load(corrupt).message(),
            *dir_ +
                "/candidate.fgsnap: corrupt: the checksum of the content "
                "does not match");
}

}  // namespace
}  // namespace factgraph::store
