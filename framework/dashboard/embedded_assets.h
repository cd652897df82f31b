// The table that embed_assets.cmake generates (dashboard_assets.cc in the build tree); only
// assets.cc reads it.
#pragma once

#include <cstddef>

namespace jobhost::dashboard::detail {

struct EmbeddedFile {
  const char* name;          // "app.js"
  const char* content_type;  // "text/javascript; charset=utf-8"
  const unsigned char* data;
  std::size_t size;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

}  // namespace jobhost::dashboard::detail
