#include "services/http/curl_global.h"

#include <curl/curl.h>

#include <stdexcept>
#include <string>

namespace jobhost::http::detail {

void ensure_curl_initialized() {
  // A function-local static is initialised exactly once, and other threads wait for it; an
  // exception leaves it uninitialised so the next call tries again.
  static const bool initialized = [] {
    CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
      throw std::runtime_error(std::string("curl_global_init failed: ") + curl_easy_strerror(code));
    }
    return true;
  }();
  (void)initialized;
}

}  // namespace jobhost::http::detail
