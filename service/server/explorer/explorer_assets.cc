#include "service/server/explorer/explorer_assets.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "embedded_files.h"

namespace factgraph::server {
namespace {

// Media types of the kinds of file static/ holds; a file of another kind is
// served as bytes. Text is UTF-8 (docs/explorer.md).
absl::string_view ContentTypeOf(absl::string_view path) {
  static constexpr struct {
    absl::string_view suffix;
    absl::string_view content_type;
  } kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".txt", "text/plain; charset=utf-8"},
      {".json", "application/json"},
  };
  for (const auto& type : kTypes) {
    if (absl::EndsWith(path, type.suffix)) return type.content_type;
  }
  return "application/octet-stream";
}

using AssetsByPath = absl::flat_hash_map<std::string, ExplorerAsset>;

const AssetsByPath& Assets() {
  static const AssetsByPath* const assets = [] {
    auto* by_path = new AssetsByPath;
    for (const EmbeddedFile& file : EmbeddedExplorerFiles()) {
      ExplorerAsset asset{
          ContentTypeOf(file.path),
          absl::string_view(reinterpret_cast<const char*>(file.bytes),
                            file.size)};
      by_path->emplace(absl::StrCat("/", file.path), asset);
    }
    if (auto index = by_path->find("/index.html"); index != by_path->end()) {
      by_path->emplace("/", index->second);
    }
    return by_path;
  }();
  return *assets;
}

}  // namespace

const ExplorerAsset* FindExplorerAsset(absl::string_view path) {
  const AssetsByPath& assets = Assets();
  auto found = assets.find(path);
  return found == assets.end() ? nullptr : &found->second;
}

}  // namespace factgraph::server
