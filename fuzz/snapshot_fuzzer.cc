// LoadCompiledSnapshot on any bytes, built into a snapshot file or not: a
// snapshot or INVALID_ARGUMENT naming the file, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  static const std::string* path =
      new std::string(fuzz::ScratchDir() + "/snapshot.bin");
  // Input that starts like a compiled snapshot (its magic's first byte) is
  // written as it is, for the format's own checks (snapshot2_fuzzer goes
  // deeper there); any other input that parses as a KnowledgeBase is built
  // into a file, so that the fuzzer reaches the checks behind the format.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] == 0x89) {
    fuzz::WriteFileOrDie(*path, bytes);
  } else {
    v1::KnowledgeBase kb;
    if (!kb.ParseFromArray(data, static_cast<int>(size))) return 0;
    absl::StatusOr<std::string> file = store::BuildSnapshotFile(kb);
    if (!file.ok()) return 0;
    fuzz::WriteFileOrDie(*path, *file);
  }
  auto snapshot = store::LoadCompiledSnapshot(*path);
  if (snapshot.ok()) return 0;
  if (snapshot.status().code() != absl::StatusCode::kInvalidArgument ||
      snapshot.status().message().find(*path) == absl::string_view::npos) {
    fuzz::Fail(snapshot.status().ToString());
  }
  return 0;
}
