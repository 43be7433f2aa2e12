// A path in the test's temporary directory, unique to the process, removed
// (with anything under it) when it goes out of scope, so that tests leave
// nothing behind in /tmp.
#ifndef FACTGRAPH_TESTS_SUPPORT_TEMP_PATH_H_
#define FACTGRAPH_TESTS_SUPPORT_TEMP_PATH_H_

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace factgraph::test_support {

class ScopedTempPath {
 public:
  explicit ScopedTempPath(std::string_view name)
      : path_((std::filesystem::path(::testing::TempDir()) /
               absl::StrCat(getpid(), "_", std::string(name)))
                  .string()) {
    Remove();
  }
  ~ScopedTempPath() { Remove(); }
  ScopedTempPath(const ScopedTempPath&) = delete;
  ScopedTempPath& operator=(const ScopedTempPath&) = delete;

  const std::string& path() const { return path_; }

 private:
  void Remove() const {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  std::string path_;
};

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_SUPPORT_TEMP_PATH_H_
