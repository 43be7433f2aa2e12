#include "fuzz/fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "service/store/loader.h"

namespace factgraph::fuzz {

std::shared_ptr<const store::Snapshot> SeedsSnapshot() {
  static const std::shared_ptr<const store::Snapshot>* snapshot = [] {
    auto loaded =
        store::LoadSeeds(std::string(FACTGRAPH_SOURCE_DIR) + "/seeds");
    if (!loaded.ok()) Fail(loaded.status().ToString());
    return new std::shared_ptr<const store::Snapshot>(*std::move(loaded));
  }();
  return *snapshot;
}

const store::Collection& CollectionFor(uint8_t selector) {
  const auto& all = store::AllCollections();
  return all[selector % all.size()];
}

Selected Select(const uint8_t* data, size_t size) {
  Selected selected;
  if (size == 0) return selected;
  selected.selector = data[0];
  selected.payload =
      std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
  return selected;
}

const std::string& ScratchDir() {
  static const std::string* dir = [] {
    auto* path =
        new std::string((std::filesystem::temp_directory_path() /
                         ("factgraph-fuzz-" + std::to_string(::getpid())))
                            .string());
    std::filesystem::create_directories(*path);
    return path;
  }();
  return *dir;
}

void WriteFileOrDie(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) Fail("cannot write " + path);
}

void Fail(std::string_view what) {
  std::fprintf(stderr, "fuzz property broken: %.*s\n",
               static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace factgraph::fuzz
