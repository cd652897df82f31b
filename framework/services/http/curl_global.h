#pragma once

// Internal to services/http.
namespace jobhost::http::detail {

// curl_global_init must run once before any other curl call and must not race with other
// threads, so every entry point goes through this. Throws std::runtime_error on failure.
// There is deliberately no matching cleanup: other libraries in the process may use curl
// too, and the OS frees everything at exit.
void ensure_curl_initialized();

}  // namespace jobhost::http::detail
