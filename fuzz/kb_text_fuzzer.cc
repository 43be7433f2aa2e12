// LoadSeeds with the input as the only kb file beside the real documents and
// manifest: every outcome is a snapshot or INVALID_ARGUMENT with located
// errors, never a crash or a partial snapshot.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "service/store/loader.h"

namespace {

namespace fs = std::filesystem;

// A seeds directory with the real documents and manifest and an empty kb/.
const std::string& SeedsDir() {
  static const std::string* dir = [] {
    const fs::path source = fs::path(FACTGRAPH_SOURCE_DIR) / "seeds";
    const fs::path target = fs::path(factgraph::fuzz::ScratchDir()) / "seeds";
    fs::remove_all(target);
    fs::create_directories(target / "kb");
    fs::copy(source / "documents", target / "documents",
             fs::copy_options::recursive);
    fs::copy_file(source / "documents.textproto",
                  target / "documents.textproto");
    return new std::string(target.string());
  }();
  return *dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  fuzz::WriteFileOrDie(
      SeedsDir() + "/kb/fuzz.textproto",
      std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<store::LoadError> errors;
  auto snapshot = store::LoadSeeds(SeedsDir(), &errors);
  if (snapshot.ok()) {
    if (!errors.empty()) fuzz::Fail("a snapshot with errors");
    return 0;
  }
  if (snapshot.status().code() != absl::StatusCode::kInvalidArgument) {
    fuzz::Fail(snapshot.status().ToString());
  }
  if (errors.empty()) fuzz::Fail("refused without a located error");
  for (const store::LoadError& error : errors) {
    if (error.file.empty() || error.message.empty()) {
      fuzz::Fail("unlocated error: " + error.ToString());
    }
  }
  return 0;
}
