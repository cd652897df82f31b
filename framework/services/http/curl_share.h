#pragma once

#include <curl/curl.h>

#include <array>
#include <mutex>

// Internal to services/http.
namespace jobhost::http::detail {

// DNS answers and TLS sessions shared by every transfer of one client, whichever thread runs
// it. Connections are NOT shared here: curl documents its shared connection cache as unsafe
// across concurrent threads, so idle connections live in pooled multi handles instead.
class CurlShare {
 public:
  CurlShare();
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  CURLSH* handle() const { return share_; }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock(CURL*, curl_lock_data data, void* self);

  CURLSH* share_ = nullptr;
  // curl asks for one lock per kind of data.
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks_;
};

}  // namespace jobhost::http::detail
