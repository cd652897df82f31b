// Exceptions of the C++ wrapper. The wrapper turns every exception that reaches the ABI edge
// into a status code and message (see plugin.hpp), so plugin code simply throws.
#pragma once

#include <stdexcept>
#include <string>

#include "jobhost/plugin_api.h"

namespace jobhost {

// A failed host call or a plugin's own error, with the ABI status it maps to.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, jh_status code = JH_ERROR)
      : std::runtime_error(message), code_(code == JH_OK ? JH_ERROR : code) {}
  jh_status code() const noexcept { return code_; }

 private:
  jh_status code_;
};

// Thrown by Run::throw_if_cancelled (and by host calls that notice the cancellation).
class Cancelled : public Error {
 public:
  explicit Cancelled(const std::string& message = "run cancelled") : Error(message, JH_CANCELLED) {}
};

}  // namespace jobhost
