#include "services/http/curl_share.h"

#include <stdexcept>
#include <string>

namespace jobhost::http::detail {

namespace {

void check(CURLSHcode code, const char* what) {
  if (code != CURLSHE_OK) {
    throw std::runtime_error(std::string("curl share ") + what + ": " + curl_share_strerror(code));
  }
}

}  // namespace

CurlShare::CurlShare() : share_(curl_share_init()) {
  if (share_ == nullptr) throw std::runtime_error("curl_share_init failed");
  try {
    check(curl_share_setopt(share_, CURLSHOPT_USERDATA, this), "userdata");
    check(curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlShare::lock), "lockfunc");
    check(curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlShare::unlock), "unlockfunc");
    check(curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS), "dns");
    check(curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION), "ssl session");
  } catch (...) {
    curl_share_cleanup(share_);
    throw;
  }
}

CurlShare::~CurlShare() {
  curl_share_cleanup(share_);
}

void CurlShare::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<CurlShare*>(self)->locks_.at(static_cast<std::size_t>(data)).lock();
}

void CurlShare::unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<CurlShare*>(self)->locks_.at(static_cast<std::size_t>(data)).unlock();
}

}  // namespace jobhost::http::detail
