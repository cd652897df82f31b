#include "config/file_text.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace jobhost::config {

FileText read_file_text(const std::filesystem::path& path) {
  // stdio rather than fstream: errno tells the reader why (missing, permission, a directory).
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    const int error = errno;
    return {.reason = std::generic_category().message(error), .missing = error == ENOENT};
  }
  FileText result;
  char buffer[4096];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    result.text.append(buffer, count);
  }
  if (std::ferror(file.get())) {
    return {.reason = std::generic_category().message(errno != 0 ? errno : EIO)};
  }
  result.ok = true;
  return result;
}

}  // namespace jobhost::config
