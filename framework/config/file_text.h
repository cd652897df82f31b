#pragma once

// Reading a whole small text file (a config file, a secret) with the reason when it cannot be read.

#include <filesystem>
#include <string>

namespace jobhost::config {

struct FileText {
  bool ok = false;
  std::string text;    // the file's content when ok
  std::string reason;  // otherwise, e.g. "No such file or directory"
  bool missing = false;
};

FileText read_file_text(const std::filesystem::path& path);

}  // namespace jobhost::config
