#include "service/server/explorer/explorer_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace factgraph::server {
namespace {

const std::filesystem::path kStaticDir =
    std::filesystem::path(FACTGRAPH_SOURCE_DIR) /
    "service/server/explorer/static";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(ExplorerAssetsTest, ServesEveryStaticFileByteForByte) {
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(kStaticDir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string path =
        "/" +
        std::filesystem::relative(entry.path(), kStaticDir).generic_string();
    const ExplorerAsset* asset = FindExplorerAsset(path);
    ASSERT_NE(asset, nullptr) << path;
    EXPECT_EQ(asset->body, ReadFile(entry.path())) << path;
  }
  EXPECT_GE(files, 4);
}

TEST(ExplorerAssetsTest, RootIsIndexHtml) {
  const ExplorerAsset* root = FindExplorerAsset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(root->body, ReadFile(kStaticDir / "index.html"));
}

TEST(ExplorerAssetsTest, ContentTypesByKind) {
  EXPECT_EQ(FindExplorerAsset("/index.html")->content_type,
            "text/html; charset=utf-8");
  EXPECT_EQ(FindExplorerAsset("/app.css")->content_type,
            "text/css; charset=utf-8");
  EXPECT_EQ(FindExplorerAsset("/js/app.js")->content_type,
            "text/javascript; charset=utf-8");
}

TEST(ExplorerAssetsTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(FindExplorerAsset(""), nullptr);
  EXPECT_EQ(FindExplorerAsset("index.html"), nullptr);
  EXPECT_EQ(FindExplorerAsset("/nope.js"), nullptr);
  EXPECT_EQ(FindExplorerAsset("/js/../index.html"), nullptr);
  EXPECT_EQ(FindExplorerAsset("/v1/institutions/kaist"), nullptr);
  EXPECT_EQ(FindExplorerAsset("/js/"), nullptr);
}

}  // namespace
}  // namespace factgraph::server
