#include "fakes/zabbix/rpc_errors.h"

#include <utility>

#include "fakes/zabbix/json_text.h"

namespace jobhost::testing::fake_zabbix {
namespace {

std::string_view error_message(int code) {
  switch (code) {
    case kParseError:
      return "Parse error";
    case kInvalidRequest:
      return "Invalid request.";
    case kMethodNotFound:
      return "Method not found.";
    case kInvalidParams:
      return "Invalid params.";
    case kInternalError:
      return "Internal error.";
    default:
      return "Application error.";
  }
}

}  // namespace

[[noreturn]] void throw_params(std::string data) {
  throw ApiError{kInvalidParams, std::move(data)};
}

[[noreturn]] void throw_permissions(std::string data) {
  throw ApiError{kApplicationError, std::move(data)};
}

std::string invalid(std::string_view path, std::string_view what) {
  std::string text = "Invalid parameter \"";
  text += path;
  text += "\": ";
  text += what;
  text += '.';
  return text;
}

std::string child(std::string_view path, std::string_view name) {
  std::string out(path);
  if (out != "/") out += '/';
  out += name;
  return out;
}

std::string child(std::string_view path, std::size_t index) {
  return child(path, std::to_string(index + 1));
}

std::string missing(std::string_view name) {
  return "the parameter \"" + std::string(name) + "\" is missing";
}

std::string unexpected(std::string_view name) {
  return "unexpected parameter \"" + std::string(name) + "\"";
}

std::string error_entry(int code, std::string_view data, std::string_view id) {
  std::string out = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":";
  out += std::to_string(code);
  out += ",\"message\":";
  append_quoted(out, error_message(code));
  out += ",\"data\":";
  append_quoted(out, data);
  out += "},\"id\":";
  out += id;
  out += '}';
  return out;
}

std::string result_entry(std::string_view result, std::string_view id) {
  std::string out;
  out.reserve(result.size() + id.size() + 32);
  out += "{\"jsonrpc\":\"2.0\",\"result\":";
  out += result;
  out += ",\"id\":";
  out += id;
  out += '}';
  return out;
}

}  // namespace jobhost::testing::fake_zabbix
