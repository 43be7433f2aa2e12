// Reading the files a knowledge base is made of, so that no file can hang or
// exhaust the server: only regular files are read (a FIFO or a device would
// block the reader or never end), and at most a bounded number of bytes.
// See SECURITY.md "Reloads".
#ifndef FACTGRAPH_SERVICE_STORE_FILE_READER_H_
#define FACTGRAPH_SERVICE_STORE_FILE_READER_H_

#include <cstddef>
#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace factgraph::store {

// Largest file ReadRegularFile reads by default: far beyond any seed file or
// compiled snapshot we serve, far below what would exhaust the process.
inline constexpr size_t kMaxKnowledgeBaseFileBytes = size_t{2} << 30;

// A regular file opened for reading, closed when destroyed.
class RegularFile {
 public:
  // Opens `path` without blocking and checks it before a byte is read.
  // Errors name the file: NOT_FOUND when it does not exist,
  // PERMISSION_DENIED when it cannot be opened for that reason,
  // FAILED_PRECONDITION when it is not a regular file (directory, FIFO,
  // socket, device) or holds more than `max_bytes`, UNAVAILABLE otherwise.
  static absl::StatusOr<RegularFile> Open(const std::string& path,
                                          size_t max_bytes);
  // FAILED_PRECONDITION: `path` holds more than `max_bytes`.
  static absl::Status TooLarge(const std::string& path, size_t max_bytes);

  RegularFile(RegularFile&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  RegularFile& operator=(RegularFile&&) = delete;
  ~RegularFile();

  int fd() const { return fd_; }
  // The size when it was opened.
  size_t size() const { return size_; }

 private:
  explicit RegularFile(int fd) : fd_(fd) {}
  int fd_;
  size_t size_ = 0;
};

// The whole content of `path`. Errors name the file: NOT_FOUND when it does
// not exist, PERMISSION_DENIED when it cannot be opened for that reason,
// FAILED_PRECONDITION when it is not a regular file (directory, FIFO, socket,
// device) or holds more than `max_bytes`, UNAVAILABLE on a read error.
// Opening never blocks: the file is opened non-blocking and checked before
// a byte is read.
absl::StatusOr<std::string> ReadRegularFile(
    const std::string& path, size_t max_bytes = kMaxKnowledgeBaseFileBytes);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_FILE_READER_H_
