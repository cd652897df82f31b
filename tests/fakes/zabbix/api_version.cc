#include "fakes/zabbix/api_version.h"

#include <cctype>
#include <cstddef>
#include <stdexcept>

namespace jobhost::testing::fake_zabbix {

ApiVersion parse_version(const std::string& text) {
  ApiVersion version;
  std::size_t pos = 0;
  auto number = [&](int& out) {
    std::size_t start = pos;
    out = 0;
    while (pos < text.size() && pos - start < 4 &&
           std::isdigit(static_cast<unsigned char>(text[pos]))) {
      out = out * 10 + (text[pos++] - '0');
    }
    return pos > start;
  };
  if (!number(version.major) || pos >= text.size() || text[pos++] != '.' ||
      !number(version.minor)) {
    throw std::invalid_argument("fake-zabbix: a version looks like 7.0.0, not '" + text + "'");
  }
  return version;
}

}  // namespace jobhost::testing::fake_zabbix
