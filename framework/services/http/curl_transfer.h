#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <string>

#include "services/http/curl_handles.h"
#include "services/http/header_lines.h"
#include "services/http/http_types.h"

// Internal to services/http.
namespace jobhost::http::detail {

// One request on its own easy handle: sets the options, collects the response, and turns
// curl's result into an Outcome. curl keeps pointers to this object and to the request (the
// body is sent from it without a copy), so it neither moves nor outlives the request.
class Transfer {
 public:
  // Throws std::runtime_error when curl refuses an option (out of memory, a feature this
  // libcurl lacks). The request must already have passed request_problem().
  Transfer(const Request& request, CURLSH* share);
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_.get(); }

  // Once curl reports the transfer done with `code`.
  Outcome finish(CURLcode code);

  std::uint64_t bytes_sent() const;
  std::uint64_t bytes_received() const;

 private:
  void set_method_and_body();
  void set_headers();
  void set_tls();

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);

  const Request& request_;
  EasyPtr easy_;
  SlistPtr header_list_;
  std::string body_;
  HeaderLines header_lines_;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace jobhost::http::detail
