#include "support/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace jobhost::testing {

bool keep_test_dirs() {
  const char* keep = std::getenv("JOBHOST_KEEP_TEST_DIRS");
  return keep != nullptr && std::string_view(keep) == "1";
}

std::filesystem::path TempDir::default_base() {
  const char* tmpdir = std::getenv("TMPDIR");
  if (tmpdir != nullptr && *tmpdir != '\0') return tmpdir;
  return "/tmp";
}

TempDir::TempDir(std::string_view prefix, std::filesystem::path base) {
  if (base.empty()) base = default_base();
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  // mkdtemp rewrites the template in place, so it needs a mutable, NUL-terminated buffer.
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  remove();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

void TempDir::remove() noexcept {
  if (path_.empty()) return;
  if (keep_test_dirs()) {
    std::cerr << "[jobhost test] keeping " << path_.string() << '\n';
  } else {
    // Best effort: a destructor must not throw, and a leftover dir in /tmp harms nobody.
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  path_.clear();
}

}  // namespace jobhost::testing
