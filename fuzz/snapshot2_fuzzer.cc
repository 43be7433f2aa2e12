// The format-2 reader (docs/snapshot-format.md) on any bytes: verified or
// refused with INVALID_ARGUMENT, and a verified file's every accessor stays
// within the input (AddressSanitizer checks each read). The input is also
// resealed (its checksums recomputed) and loaded whole, so that mutations
// reach the offset, name and resource checks behind the checksums.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_file_reader.h"

namespace {

using namespace factgraph;

// Reads every part of a verified file; any out-of-bounds slice is an
// AddressSanitizer report, since `bytes` is an exact-size heap copy.
void ReadAll(const store::SnapshotFileReader& reader, std::string_view bytes) {
  size_t total = 0;
  for (size_t i = 0; i < reader.resource_count(); ++i) {
    const std::string_view resource = reader.ResourceBytes(i);
    const std::string_view name = reader.Name(i);
    if (resource.data() < bytes.data() ||
        resource.data() + resource.size() > bytes.data() + bytes.size() ||
        name.data() < bytes.data() ||
        name.data() + name.size() > bytes.data() + bytes.size()) {
      fuzz::Fail("a slice outside the file");
    }
    for (char c : resource) total += static_cast<unsigned char>(c);
    for (char c : name) total += static_cast<unsigned char>(c);
    total += reader.ResourceCollectionField(i);
  }
  if (reader.IdHex().size() != 32) fuzz::Fail("an id of another length");
  // Keeps the reads from being optimised away.
  if (total == 1) fuzz::Fail("unreachable");
}

void CheckLoad(const std::string& path, std::string_view bytes) {
  fuzz::WriteFileOrDie(path, bytes);
  auto snapshot = store::LoadCompiledSnapshot(path);
  if (snapshot.ok()) return;
  if (snapshot.status().code() != absl::StatusCode::kInvalidArgument ||
      snapshot.status().message().find(path) == absl::string_view::npos) {
    fuzz::Fail(snapshot.status().ToString());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string* path =
      new std::string(fuzz::ScratchDir() + "/snapshot2.bin");
  // An exact-size copy, so that a read past the end is caught.
  const std::string raw(reinterpret_cast<const char*>(data), size);
  std::string resealed = raw;
  store::ResealSnapshotFile(&resealed);
  for (const std::string* bytes :
       {&raw, static_cast<const std::string*>(&resealed)}) {
    absl::StatusOr<store::SnapshotFileReader> reader =
        store::SnapshotFileReader::Open(*bytes);
    if (reader.ok()) {
      ReadAll(*reader, *bytes);
    } else if (reader.status().code() != absl::StatusCode::kInvalidArgument) {
      fuzz::Fail(reader.status().ToString());
    }
  }
  CheckLoad(*path, resealed);
  return 0;
}
