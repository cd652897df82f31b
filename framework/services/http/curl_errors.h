#pragma once

#include <curl/curl.h>

#include "services/http/http_types.h"

// Internal to services/http.
namespace jobhost::http::detail {

// Which of the kinds a plugin acts on (retry a timeout, report a TLS problem) a curl
// failure belongs to.
ErrorKind classify(CURLcode code);

}  // namespace jobhost::http::detail
