// A file mapped read-only into memory for as long as this object lives
// (docs/snapshot-format.md "Mapping"). Snapshots loaded from a compiled file
// own their mapping through a shared_ptr, so a reload never unmaps the pages
// under a call that still reads them.
#ifndef FACTGRAPH_SERVICE_STORE_MAPPED_FILE_H_
#define FACTGRAPH_SERVICE_STORE_MAPPED_FILE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace factgraph::store {

class MappedFile {
 public:
  // Maps the regular file `path` (RegularFile::Open's checks and errors)
  // read-only and private. An empty file maps to an empty view.
  static absl::StatusOr<std::shared_ptr<const MappedFile>> Map(
      const std::string& path, size_t max_bytes);

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const {
    return std::string_view(static_cast<const char*>(data_), size_);
  }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* const data_;
  const size_t size_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_MAPPED_FILE_H_
