// LoadCompiledSnapshot on any bytes: a snapshot or INVALID_ARGUMENT naming
// the file, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/store/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  static const std::string* path =
      new std::string(fuzz::ScratchDir() + "/snapshot.bin");
  fuzz::WriteFileOrDie(
      *path, std::string_view(reinterpret_cast<const char*>(data), size));
  auto snapshot = store::LoadCompiledSnapshot(*path);
  if (snapshot.ok()) return 0;
  if (snapshot.status().code() != absl::StatusCode::kInvalidArgument ||
      snapshot.status().message().find(*path) == absl::string_view::npos) {
    fuzz::Fail(snapshot.status().ToString());
  }
  return 0;
}
