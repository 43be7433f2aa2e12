// Whole files as bytes, and the edits the snapshot-file tests make to them:
// finding a section through the file's own table and overwriting an integer
// in place (docs/snapshot-format.md), so that each test says only which
// byte it corrupts and what the loader must answer.
#ifndef FACTGRAPH_TESTS_SUPPORT_FILE_BYTES_H_
#define FACTGRAPH_TESTS_SUPPORT_FILE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "service/store/snapshot_format.h"

namespace factgraph::test_support {

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

inline void WriteFileBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Where the section table of the compiled snapshot `file` says the section
// of `kind` (a section kind enumerator or number) lies: {offset, length};
// {0, 0} if the table has none.
template <typename Kind>
std::pair<uint64_t, uint64_t> SectionExtent(const std::string& file,
                                            Kind kind) {
  namespace format = store::snapshot_format;
  const uint32_t count =
      format::LoadU32(file.data() + format::kSectionCountOffset);
  for (uint32_t i = 0; i < count; ++i) {
    const char* entry =
        file.data() + format::kHeaderBytes + i * format::kSectionEntryBytes;
    if (format::LoadU32(entry) == static_cast<uint32_t>(kind)) {
      return {format::LoadU64(entry + 8), format::LoadU64(entry + 16)};
    }
  }
  return {0, 0};
}

// Overwrites the little-endian integer at byte `at` of `file`.
inline void StoreU32(uint32_t value, std::string* file, size_t at) {
  std::string bytes;
  store::snapshot_format::AppendU32(value, &bytes);
  file->replace(at, bytes.size(), bytes);
}
inline void StoreU64(uint64_t value, std::string* file, size_t at) {
  std::string bytes;
  store::snapshot_format::AppendU64(value, &bytes);
  file->replace(at, bytes.size(), bytes);
}

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_SUPPORT_FILE_BYTES_H_
