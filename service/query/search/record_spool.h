// A list of fixed-size records kept in an unlinked temporary file rather
// than in memory, for the largest parts of the search index while it is
// built (docs/snapshot-format.md "Writing"): they wait on disk until their
// section is written, so that the writer's peak memory is not their sum.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_RECORD_SPOOL_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_RECORD_SPOOL_H_

#include <algorithm>
#include <cstdio>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"

namespace factgraph::query::search {

template <typename T>
class RecordSpool {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  RecordSpool() { buffer_.reserve(kChunkRecords); }
  ~RecordSpool() {
    if (file_ != nullptr) std::fclose(file_);
  }
  RecordSpool(const RecordSpool&) = delete;
  RecordSpool& operator=(const RecordSpool&) = delete;

  size_t size() const { return size_; }

  void push_back(const T& record) {
    buffer_.push_back(record);
    ++size_;
    if (buffer_.size() == kChunkRecords) Flush();
  }
  template <typename... Args>
  void emplace_back(Args&&... args) {
    push_back(T(std::forward<Args>(args)...));
  }

  // Hands every record, in order, to `read` a chunk at a time; UNAVAILABLE
  // if the temporary file could not be written or read.
  absl::Status ForEachChunk(absl::FunctionRef<void(absl::Span<const T>)> read) {
    if (file_ == nullptr) {
      if (!failed_) read(buffer_);
      return Status();
    }
    Flush();
    if (failed_ || std::fseek(file_, 0, SEEK_SET) != 0) return Fail();
    // Storage for records read back as they were written (trivially
    // copyable, some without a default constructor).
    const std::unique_ptr<void, void (*)(void*)> storage(
        ::operator new(kChunkRecords * sizeof(T)),
        [](void* p) { ::operator delete(p); });
    T* chunk = static_cast<T*>(storage.get());
    for (size_t left = size_; left > 0;) {
      const size_t n = std::min(left, kChunkRecords);
      if (std::fread(chunk, sizeof(T), n, file_) != n) return Fail();
      read(absl::MakeConstSpan(chunk, n));
      left -= n;
    }
    return absl::OkStatus();
  }

  // Frees the memory and the file.
  void Clear() {
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
    std::vector<T>().swap(buffer_);
    size_ = 0;
    in_memory_ = false;
  }

 private:
  static constexpr size_t kChunkRecords = (size_t{1} << 20) / sizeof(T);

  void Flush() {
    if (failed_ || buffer_.empty()) return;
    if (file_ == nullptr) file_ = std::tmpfile();
    if (file_ == nullptr ||
        std::fwrite(buffer_.data(), sizeof(T), buffer_.size(), file_) !=
            buffer_.size()) {
      failed_ = true;
    }
    buffer_.clear();
  }
  absl::Status Fail() {
    failed_ = true;
    return Status();
  }
  absl::Status Status() const {
    return failed_ ? absl::UnavailableError(
                         "cannot spool the search index to a temporary file")
                   : absl::OkStatus();
  }

  std::vector<T> buffer_;
  std::FILE* file_ = nullptr;
  size_t size_ = 0;
  bool failed_ = false;
  bool in_memory_ = false;
};

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_RECORD_SPOOL_H_
