// LoadCompiledSnapshot on any bytes, framed or not: a snapshot or
// INVALID_ARGUMENT naming the file, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/store/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  static const std::string* path =
      new std::string(fuzz::ScratchDir() + "/snapshot.bin");
  // Input that starts like a compiled snapshot (its magic's first byte) is
  // written as it is, for the frame's own checks; any other input is framed
  // (magic, version, length, checksum) so that the fuzzer reaches the parser
  // and the checks behind the frame.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] == 0x89) {
    fuzz::WriteFileOrDie(*path, bytes);
  } else {
    fuzz::WriteFileOrDie(*path, store::FrameCompiledSnapshot(bytes));
  }
  auto snapshot = store::LoadCompiledSnapshot(*path);
  if (snapshot.ok()) return 0;
  if (snapshot.status().code() != absl::StatusCode::kInvalidArgument ||
      snapshot.status().message().find(*path) == absl::string_view::npos) {
    fuzz::Fail(snapshot.status().ToString());
  }
  return 0;
}
