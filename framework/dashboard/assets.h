// The dashboard's files (framework/dashboard/assets/), compiled into the binary at build time:
// the HTTP router answers GET / and GET /static/<file> from here, so that the dashboard needs
// no files on disk, no build step and nothing from the internet.
#pragma once

#include <string_view>

namespace jobhost::dashboard {

struct Asset {
  std::string_view content_type;  // e.g. "text/html; charset=utf-8"
  std::string_view body;          // the file's bytes, valid for the life of the process
};

// "/" and "/index.html": the page; "/static/<file>": one of the asset files (app.js, app.css,
// ...). Any other path (query strings included: strip them first): nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace jobhost::dashboard
