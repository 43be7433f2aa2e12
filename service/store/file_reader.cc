#include "service/store/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace factgraph::store {
namespace {

const char* FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

}  // namespace

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<RegularFile> RegularFile::Open(const std::string& path,
                                              size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  RegularFile file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (file.fd() < 0) {
    const int error = errno;
    std::string message = absl::StrCat(path, ": ", std::strerror(error));
    if (error == ENOENT || error == ENOTDIR) {
      return absl::NotFoundError(message);
    }
    if (error == EACCES || error == EPERM) {
      return absl::PermissionDeniedError(message);
    }
    return absl::UnavailableError(message);
  }
  struct stat status;
  if (::fstat(file.fd(), &status) != 0) {
    return absl::UnavailableError(
        absl::StrCat(path, ": ", std::strerror(errno)));
  }
  if (!S_ISREG(status.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": ", FileKind(status.st_mode), ", not a regular file"));
  }
  if (static_cast<uint64_t>(status.st_size) > max_bytes) {
    return TooLarge(path, max_bytes);
  }
  file.size_ = static_cast<size_t>(status.st_size);
  return file;
}

absl::Status RegularFile::TooLarge(const std::string& path, size_t max_bytes) {
  return absl::FailedPreconditionError(
      absl::StrCat(path, ": larger than ", max_bytes, " bytes"));
}

absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            size_t max_bytes) {
  absl::StatusOr<RegularFile> file = RegularFile::Open(path, max_bytes);
  if (!file.ok()) return file.status();
  const auto too_large = [&] { return RegularFile::TooLarge(path, max_bytes); };
  std::string contents;
  // One byte more than the size announced, to notice a file that grew.
  contents.resize(file->size() + 1);
  size_t filled = 0;
  while (true) {
    if (filled == contents.size()) {
      if (contents.size() > max_bytes) return too_large();
      contents.resize(std::min(contents.size() * 2, max_bytes + 1));
    }
    const ssize_t got =
        ::read(file->fd(), contents.data() + filled, contents.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat(path, ": ", std::strerror(errno)));
    }
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  contents.resize(filled);
  return contents;
}

}  // namespace factgraph::store
