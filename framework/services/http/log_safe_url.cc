#include "services/http/log_safe_url.h"

namespace jobhost::http::detail {

std::string log_safe_url(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  std::size_t scheme_end = url.find("://");
  std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = url.find('/', authority_start);
  std::string_view authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : authority_end - authority_start);
  std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string safe(url.substr(0, authority_start));
  safe += url.substr(authority_start + at + 1);
  return safe;
}

}  // namespace jobhost::http::detail
