#include "service/store/mapped_file.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "service/store/file_reader.h"

namespace factgraph::store {

absl::StatusOr<std::shared_ptr<const MappedFile>> MappedFile::Map(
    const std::string& path, size_t max_bytes) {
  absl::StatusOr<RegularFile> file = RegularFile::Open(path, max_bytes);
  if (!file.ok()) return file.status();
  if (file->size() == 0) {
    return std::shared_ptr<const MappedFile>(new MappedFile(nullptr, 0));
  }
  // MAP_PRIVATE: the mapping never writes back, and a writer that replaces
  // the file by renaming (as `factgraph compile` does) leaves these pages
  // untouched. The descriptor can be closed once mapped.
  void* data =
      ::mmap(nullptr, file->size(), PROT_READ, MAP_PRIVATE, file->fd(), 0);
  if (data == MAP_FAILED) {
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot map: ", std::strerror(errno)));
  }
  return std::shared_ptr<const MappedFile>(new MappedFile(data, file->size()));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace factgraph::store
