#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_format.h"
#include "tests/support/temp_path.h"

namespace factgraph::store {
namespace {

namespace format = snapshot_format;

TEST(SnapshotFileWriterTest, WritesSectionsAlignedWithTheirTableAtTheFront) {
  std::string file;
  auto writer = SnapshotFileWriter::ToString(&file, 2);
  writer->BeginSection(1);
  writer->Append("abc");
  writer->Append("de");
  EXPECT_EQ(writer->section_size(), 5u);
  writer->EndSection();
  writer->AddSection(200, "xyz");
  ASSERT_TRUE(writer->Finish().ok());
  // Header, two table entries, "abcde", 3 bytes of padding, "xyz".
  const size_t first = format::kHeaderBytes + 2 * format::kSectionEntryBytes;
  ASSERT_EQ(file.size(), first + 8 + 3);
  EXPECT_EQ(file.substr(0, format::kMagic.size()), format::kMagic);
  EXPECT_EQ(format::LoadU32(file.data() + format::kSectionCountOffset), 2u);
  EXPECT_EQ(format::LoadU64(file.data() + format::kFileSizeOffset),
            file.size());
  EXPECT_EQ(file.substr(first), std::string("abcde\0\0\0xyz", 11));
  const char* second =
      file.data() + format::kHeaderBytes + format::kSectionEntryBytes;
  EXPECT_EQ(format::LoadU32(second), 200u);
  EXPECT_EQ(format::LoadU64(second + 8), first + 8);
  EXPECT_EQ(format::LoadU64(second + 16), 3u);
  EXPECT_EQ(format::LoadU64(second + 24), format::Checksum("xyz"));
  EXPECT_EQ(format::LoadU64(file.data() + format::kTableChecksumOffset),
            format::Checksum(std::string_view(file).substr(
                format::kHeaderBytes, 2 * format::kSectionEntryBytes)));
}

TEST(SnapshotFileWriterTest, RefusesKindsOutOfOrderAndMissingSections) {
  std::string file;
  auto writer = SnapshotFileWriter::ToString(&file, 3);
  writer->AddSection(200, "a");
  writer->AddSection(100, "b");
  EXPECT_EQ(writer->Finish().code(), absl::StatusCode::kInvalidArgument);

  auto unreserved = SnapshotFileWriter::ToString(&file, 1);
  unreserved->AddSection(7, "a");
  EXPECT_EQ(unreserved->Finish().code(), absl::StatusCode::kInvalidArgument);

  auto short_one = SnapshotFileWriter::ToString(&file, 2);
  short_one->AddSection(1, "a");
  const absl::Status status = short_one->Finish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "1 sections of 2 written");
}

TEST(SnapshotFileWriterTest, LeavesNoFileUnlessFinished) {
  const test_support::ScopedTempPath path_file("writer.fgsnap");
  const std::string& path = path_file.path();
  {
    auto writer = SnapshotFileWriter::ToFile(path, 1);
    writer->AddSection(1, "abc");
    EXPECT_TRUE(std::filesystem::exists(path + ".tmp"));
  }
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(std::filesystem::exists(path));

  auto writer = SnapshotFileWriter::ToFile(path, 1);
  writer->AddSection(1, "abc");
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::string expected;
  auto in_memory = SnapshotFileWriter::ToString(&expected, 1);
  in_memory->AddSection(1, "abc");
  ASSERT_TRUE(in_memory->Finish().ok());
  EXPECT_EQ(std::filesystem::file_size(path), expected.size());
}

}  // namespace
}  // namespace factgraph::store
