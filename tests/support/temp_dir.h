#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace jobhost::testing {

// A fresh directory that is deleted, with everything in it, when the object goes away.
// Set JOBHOST_KEEP_TEST_DIRS=1 to keep it for a post-mortem look (its path goes to stderr).
class TempDir {
 public:
  // Created with mkdtemp as <base>/<prefix>-XXXXXX, mode 0700; base defaults to $TMPDIR or /tmp.
  explicit TempDir(std::string_view prefix = "jobhost-test", std::filesystem::path base = {});
  ~TempDir();

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A path inside the directory; nothing is created.
  std::filesystem::path file(std::string_view name) const { return path_ / name; }

  // The directory mkdtemp would use when no base is given.
  static std::filesystem::path default_base();

 private:
  void remove() noexcept;

  std::filesystem::path path_;
};

// True when JOBHOST_KEEP_TEST_DIRS=1: helpers that clean up after themselves leave things alone.
bool keep_test_dirs();

}  // namespace jobhost::testing
