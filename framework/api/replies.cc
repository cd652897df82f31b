#include "api/replies.h"

#include <charconv>

namespace jobhost::api {

web::Response json_reply(const nlohmann::json& body, int status) {
  web::Response r;
  r.status = status;
  // Replace invalid UTF-8 (a plugin's error text) instead of failing the whole answer.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

web::Response error_reply(int status, const std::string& message, const nlohmann::json& problems) {
  nlohmann::json body = {{"error", message}};
  if (!problems.empty()) body["problems"] = problems;
  return json_reply(body, status);
}

nlohmann::json body_object(const web::Request& request) {
  if (request.body.empty())
    throw ApiError(400, "the request needs a JSON object body (Content-Type: application/json)");
  try {
    auto body = nlohmann::json::parse(request.body);
    if (!body.is_object())
      throw ApiError(
          400, std::string("the request body must be a JSON object, not ") + body.type_name());
    return body;
  } catch (const nlohmann::json::parse_error& e) {
    throw ApiError(400, "the request body is not valid JSON (byte " + std::to_string(e.byte) +
                            "): " + e.what());
  }
}

std::string string_member(const nlohmann::json& body, const std::string& name,
                          const std::string& fallback) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_string())
    throw ApiError(400, "`" + name + "` must be a string, not " + it->type_name());
  return it->get<std::string>();
}

bool bool_member(const nlohmann::json& body, const std::string& name, bool fallback) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    throw ApiError(400, "`" + name + "` must be true or false, not " + it->dump());
  return it->get<bool>();
}

namespace {

std::optional<int64_t> parse_int(const std::string& text) {
  int64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

int64_t int_param(const web::Request& request, const std::string& name, int64_t fallback,
                  int64_t min, int64_t max) {
  if (!request.has_query_param(name)) return fallback;
  const std::string text = request.query_param(name);
  const auto v = parse_int(text);
  if (!v || *v < min || *v > max)
    throw ApiError(400, "query parameter `" + name + "` must be an integer from " +
                            std::to_string(min) + " to " + std::to_string(max) + ", not '" + text +
                            "'");
  return *v;
}

int64_t id_segment(const std::string& text, const std::string& what) {
  const auto v = parse_int(text);
  if (!v || *v < 1)
    throw ApiError(400, "'" + text + "' is not a " + what + " id (a positive integer)");
  return *v;
}

}  // namespace jobhost::api
