#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// JSON-RPC errors as real Zabbix words them (CJsonRpc::initErrors; ZBX_API_ERROR_PARAMETERS
// and _NO_AUTH -> -32602, _PERMISSIONS, _INTERNAL and _DB -> -32500, _NO_METHOD -> -32601),
// and the answer entries that carry them.
namespace jobhost::testing::fake_zabbix {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kApplicationError = -32500;

inline constexpr std::string_view kParseErrorData =
    "Invalid JSON. An error occurred on the server while parsing the JSON text.";
inline constexpr std::string_view kInvalidRequestData =
    "The received JSON is not a valid JSON-RPC request.";
inline constexpr std::string_view kNoPermissions =
    "No permissions to referred object or it does not exist!";
inline constexpr std::string_view kObjectMissing =
    "object does not exist, or you have no permissions to it";
// What a database error looks like to a user who is not a Super admin.
inline constexpr std::string_view kInjectedErrorData =
    "System error occurred. Please contact Zabbix administrator.";

// Thrown by a method to answer its call with an error entry; the other calls of a batch go on.
struct ApiError {
  int code;
  std::string data;
};

[[noreturn]] void throw_params(std::string data);
[[noreturn]] void throw_permissions(std::string data);

// CApiInputValidator's 'Invalid parameter "%1$s": %2$s.'
std::string invalid(std::string_view path, std::string_view what);
// The path of a member ("/1/groups") or of a list item, counted from 1 as PHP shows it.
std::string child(std::string_view path, std::string_view name);
std::string child(std::string_view path, std::size_t index);
std::string missing(std::string_view name);
std::string unexpected(std::string_view name);

// One entry of a JSON-RPC answer; `id` and `result` are JSON text.
std::string error_entry(int code, std::string_view data, std::string_view id);
std::string result_entry(std::string_view result, std::string_view id);

}  // namespace jobhost::testing::fake_zabbix
