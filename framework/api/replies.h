// JSON answers and errors of the HTTP API. Handlers throw ApiError for anything the caller did
// wrong; the service turns it (and the framework's own exceptions) into a status and a JSON body
// {"error": "...", "problems": [...]} that says what to do.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "web/http_server.h"

namespace jobhost::api {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message,
           nlohmann::json problems = nlohmann::json::array())
      : std::runtime_error(message), status_(status), problems_(std::move(problems)) {}
  int status() const { return status_; }
  const nlohmann::json& problems() const { return problems_; }

 private:
  int status_;
  nlohmann::json problems_;
};

web::Response json_reply(const nlohmann::json& body, int status = 200);
web::Response error_reply(int status, const std::string& message,
                          const nlohmann::json& problems = nlohmann::json::array());

// The request body as a JSON object; ApiError 400 naming the byte where parsing failed.
nlohmann::json body_object(const web::Request& request);

// Typed members of a body object: ApiError 400 "`name` must be ..." when present but of the
// wrong type. Absent members give the fallback.
std::string string_member(const nlohmann::json& body, const std::string& name,
                          const std::string& fallback = "");
bool bool_member(const nlohmann::json& body, const std::string& name, bool fallback);

// A query parameter as an integer in [min, max]; ApiError 400 otherwise.
int64_t int_param(const web::Request& request, const std::string& name, int64_t fallback,
                  int64_t min, int64_t max);
// A path segment that must be a positive integer id.
int64_t id_segment(const std::string& text, const std::string& what);

}  // namespace jobhost::api
