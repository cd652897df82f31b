// Reading a struct the plugin hands over with its own sizeof: the host copies what both
// sides know into a zeroed struct, so fields added in later minors read as zero.
#pragma once

#include <algorithm>
#include <cstring>

namespace jobhost::services {

template <class T>
T copy_from_plugin(const void* p, size_t plugin_size) {
  T out;
  std::memset(&out, 0, sizeof out);
  if (p) std::memcpy(&out, p, std::min(plugin_size, sizeof out));
  return out;
}

}  // namespace jobhost::services
