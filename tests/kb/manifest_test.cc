// Every document of the manifest describes its article file exactly: the
// SHA-256 and size of the bytes in seeds/documents/, and every article file
// is in the manifest.
#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace factgraph {
namespace {

namespace fs = std::filesystem;

const fs::path kSeeds = fs::path(FACTGRAPH_SOURCE_DIR) / "seeds";

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

v1::KnowledgeBase ReadManifest() {
  v1::KnowledgeBase manifest;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      ReadBytes(kSeeds / "documents.textproto"), &manifest));
  return manifest;
}

TEST(ManifestTest, HashesAndSizesMatchTheArticleFiles) {
  const v1::KnowledgeBase manifest = ReadManifest();
  ASSERT_EQ(manifest.documents_size(), 5);
  for (const v1::Document& document : manifest.documents()) {
    SCOPED_TRACE(document.name());
    const fs::path file = kSeeds / "documents" / document.file_name();
    ASSERT_TRUE(fs::is_regular_file(file)) << file;
    const std::string bytes = ReadBytes(file);
    EXPECT_EQ(document.size_bytes(), static_cast<int64_t>(bytes.size()));
    EXPECT_EQ(document.sha256(), Sha256Hex(bytes));
  }
}

TEST(ManifestTest, KnownHashOfTheFirstArticle) {
  // Pins the hash function itself: a wrong digest routine would agree with
  // itself above.
  EXPECT_EQ(
      Sha256Hex(ReadBytes(kSeeds / "documents" / "000_547aeb4ef49f4c28.txt")),
      "7a69dbb2c485bd6e767c852f4fea4d3111c57acd963dc8e4b44f5840c0c7f7ce");
}

TEST(ManifestTest, EveryArticleFileIsInTheManifestOnce) {
  const v1::KnowledgeBase manifest = ReadManifest();
  std::set<std::string> listed;
  for (const v1::Document& document : manifest.documents()) {
    EXPECT_TRUE(listed.insert(document.file_name()).second)
        << document.file_name() << " is listed twice";
  }
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(kSeeds / "documents")) {
    on_disk.insert(entry.path().filename().string());
  }
  EXPECT_EQ(listed, on_disk);
}

TEST(ManifestTest, TheManifestHoldsOnlyDocuments) {
  v1::KnowledgeBase only_documents = ReadManifest();
  only_documents.clear_documents();
  EXPECT_EQ(only_documents.ByteSizeLong(), 0u);
}

}  // namespace
}  // namespace factgraph
