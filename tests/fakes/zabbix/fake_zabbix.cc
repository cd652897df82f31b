#include "fakes/zabbix/fake_zabbix.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <queue>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>
#include <utility>

// How the fake follows real Zabbix (ui/api_jsonrpc.php, CJsonRpc, CLocalApiClient,
// CApiInputValidator, CHost): see the comments at each rule. Everything is kept in memory:
// hosts in a vector with name/id hash maps, host groups 1..50 ("Group N"), templates
// 10001..10100 ("Template N"), proxies 1..10 and proxy groups 1..5 as fixed catalogues.
namespace jobhost::testing {

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::http_500:
      return "http_500";
    case FailureKind::malformed_json:
      return "malformed_json";
    case FailureKind::close_connection:
      return "close_connection";
    case FailureKind::hang:
      return "hang";
    case FailureKind::rpc_error:
      return "rpc_error";
  }
  return "unknown";
}

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // requests keep their key order, as PHP arrays do
using Clock = std::chrono::steady_clock;

constexpr std::string_view kApiPath = "/api_jsonrpc.php";

// ---------------------------------------------------------------------------------------
// Versions

struct ApiVersion {
  int major = 7;
  int minor = 0;

  bool before(int ma, int mi) const { return major < ma || (major == ma && minor < mi); }
  // Up to 6.4: proxy_hostid instead of monitored_by/proxyid/proxy_groupid.
  bool v64() const { return before(7, 0); }
  // 7.2 and later: no "auth" in the request body, no selectGroups.
  bool v72() const { return !before(7, 2); }
};

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

// ---------------------------------------------------------------------------------------
// JSON text, written directly: host.get answers for thousands of hosts in a few ms.

// As PHP's json_encode(..., JSON_UNESCAPED_SLASHES) writes a string: non-ASCII as \uXXXX.
void append_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto escape = [&out](std::uint32_t code) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xF];
  };
  out += '"';
  bool plain = std::all_of(text.begin(), text.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
  });
  if (plain) {
    out.append(text);
    out += '"';
    return;
  }
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            escape(c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    std::uint32_t code = length == 4 ? (c & 0x07u) : length == 3 ? (c & 0x0Fu) : (c & 0x1Fu);
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (!valid) {
      escape(0xFFFD);
      ++i;
      continue;
    }
    if (code >= 0x10000) {
      code -= 0x10000;
      escape(0xD800 + (code >> 10));
      escape(0xDC00 + (code & 0x3FF));
    } else {
      escape(code);
    }
    i += length;
  }
  out += '"';
}

std::string json_string(std::string_view text) {
  std::string out;
  append_quoted(out, text);
  return out;
}

std::string dump(const ojson& value) {
  return value.dump(-1, ' ', true, ojson::error_handler_t::replace);
}

// Comma-separated members of one object or array.
class Members {
 public:
  explicit Members(std::string& out) : out_(out) {}
  void key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    append_quoted(out_, name);
    out_ += ':';
  }
  void string(std::string_view name, std::string_view value) {
    key(name);
    append_quoted(out_, value);
  }
  void next() {
    if (!first_) out_ += ',';
    first_ = false;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

// ---------------------------------------------------------------------------------------
// JSON-RPC errors (CJsonRpc::initErrors; ZBX_API_ERROR_PARAMETERS and _NO_AUTH -> -32602,
// _PERMISSIONS, _INTERNAL and _DB -> -32500, _NO_METHOD -> -32601).

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kApplicationError = -32500;

constexpr std::string_view kParseErrorData =
    "Invalid JSON. An error occurred on the server while parsing the JSON text.";
constexpr std::string_view kInvalidRequestData =
    "The received JSON is not a valid JSON-RPC request.";
constexpr std::string_view kNoPermissions =
    "No permissions to referred object or it does not exist!";
constexpr std::string_view kObjectMissing =
    "object does not exist, or you have no permissions to it";
// What a database error looks like to a user who is not a Super admin.
constexpr std::string_view kInjectedErrorData =
    "System error occurred. Please contact Zabbix administrator.";

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

struct ApiError {
  int code;
  std::string data;
};

[[noreturn]] void throw_params(std::string data) {
  throw ApiError{kInvalidParams, std::move(data)};
}

[[noreturn]] void throw_permissions(std::string data) {
  throw ApiError{kApplicationError, std::move(data)};
}

// CApiInputValidator's 'Invalid parameter "%1$s": %2$s.'
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

// ---------------------------------------------------------------------------------------
// Reading parameters like CApiInputValidator: numbers may come as JSON numbers or strings.

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

const ojson& empty_object() {
  static const ojson empty = ojson::object();
  return empty;
}

// A member of an object, or nullptr.
const ojson* member(const ojson& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// A present, non-null member.
const ojson* given(const ojson& object, const char* name) {
  const ojson* value = member(object, name);
  return value == nullptr || value->is_null() ? nullptr : value;
}

std::optional<long long> int_value(const ojson& value) {
  if (value.is_number_unsigned()) {
    auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(LLONG_MAX)) return std::nullopt;
    return static_cast<long long>(v);
  }
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::string_view digits = text;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    if (all_digits(digits) && digits.size() < 18) return std::stoll(text);
  }
  return std::nullopt;
}

// API_INT32
int get_int(const ojson& value, const std::string& path) {
  auto number = int_value(value);
  if (!number) throw_params(invalid(path, "an integer is expected"));
  if (*number < INT_MIN || *number > INT_MAX) throw_params(invalid(path, "a number is too large"));
  return static_cast<int>(*number);
}

// "value must be one of 0, 1, 2" / "value must be 0"
std::string one_of(std::initializer_list<int> allowed) {
  std::string text = allowed.size() == 1 ? "value must be " : "value must be one of ";
  bool first = true;
  for (int value : allowed) {
    if (!first) text += ", ";
    first = false;
    text += std::to_string(value);
  }
  return text;
}

int get_int_in(const ojson& value, const std::string& path, std::initializer_list<int> allowed) {
  int number = get_int(value, path);
  if (std::find(allowed.begin(), allowed.end(), number) == allowed.end()) {
    throw_params(invalid(path, one_of(allowed)));
  }
  return number;
}

std::optional<std::uint64_t> id_value(const ojson& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) {
    auto v = value.get<long long>();
    if (v < 0) return std::nullopt;
    return static_cast<std::uint64_t>(v);
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (all_digits(text) && text.size() <= 19) return std::stoull(text);
  }
  return std::nullopt;
}

// API_ID
std::uint64_t get_id(const ojson& value, const std::string& path) {
  auto id = id_value(value);
  if (!id) throw_params(invalid(path, "a number is expected"));
  return *id;
}

std::string get_string(const ojson& value, const std::string& path) {
  if (!value.is_string()) throw_params(invalid(path, "a character string is expected"));
  return value.get<std::string>();
}

// A scalar as the frontend would see it in a filter: "10", "abc", "1" for true.
std::optional<std::string> scalar_text(const ojson& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer() || value.is_number_unsigned()) return dump(value);
  if (value.is_number_float()) {
    double v = value.get<double>();
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return dump(value);
  }
  if (value.is_boolean()) return std::string(value.get<bool>() ? "1" : "");
  return std::nullopt;
}

// zbx_value2array: a scalar or a list of scalars.
std::vector<std::string> scalar_list(const ojson& value) {
  std::vector<std::string> out;
  if (value.is_array() || value.is_object()) {
    for (const auto& item : value) {
      if (auto text = scalar_text(item)) out.push_back(std::move(*text));
    }
  } else if (auto text = scalar_text(value)) {
    out.push_back(std::move(*text));
  }
  return out;
}

std::vector<std::uint64_t> id_list(const ojson& value) {
  std::vector<std::uint64_t> out;
  auto add = [&out](const ojson& item) {
    if (auto id = id_value(item)) out.push_back(*id);
  };
  if (value.is_array() || value.is_object()) {
    for (const auto& item : value) add(item);
  } else {
    add(value);
  }
  return out;
}

// API_OBJECTS with API_NORMALIZE: one object stands for a list of one; {} is an empty list.
std::vector<const ojson*> get_objects(const ojson& value, const std::string& path) {
  std::vector<const ojson*> out;
  if (value.is_object()) {
    if (!value.empty()) out.push_back(&value);
    return out;
  }
  if (!value.is_array()) throw_params(invalid(path, "an array is expected"));
  for (std::size_t i = 0; i < value.size(); ++i) {
    const ojson& item = value[i];
    if (item.is_object()) {
      out.push_back(&item);
    } else if (item.is_array() && item.empty()) {
      out.push_back(&empty_object());  // PHP: [] and {} are the same empty array
    } else {
      throw_params(invalid(child(path, i), "an array is expected"));
    }
  }
  return out;
}

void check_fields(const ojson& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      throw_params(invalid(path, unexpected(item.key())));
    }
  }
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// ---------------------------------------------------------------------------------------
// The fixed catalogue: host groups, templates, proxies, proxy groups.

constexpr std::uint64_t kGroupFirst = 1;
constexpr std::uint64_t kGroupLast = 50;
constexpr std::uint64_t kTemplateFirst = 10001;
constexpr std::uint64_t kTemplateLast = 10100;
constexpr std::uint64_t kProxyLast = 10;
constexpr std::uint64_t kProxyGroupLast = 5;

bool known_group(std::uint64_t id) {
  return id >= kGroupFirst && id <= kGroupLast;
}
bool known_template(std::uint64_t id) {
  return id >= kTemplateFirst && id <= kTemplateLast;
}
bool known_proxy(std::uint64_t id) {
  return id >= 1 && id <= kProxyLast;
}
bool known_proxy_group(std::uint64_t id) {
  return id >= 1 && id <= kProxyGroupLast;
}

std::string group_name(std::uint64_t id) {
  return "Group " + std::to_string(id);
}
std::string template_name(std::uint64_t id) {
  return "Template " + std::to_string(id - 10000);
}

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string hex128(std::uint64_t a, std::uint64_t b) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buffer;
}

std::string uuid_of(std::uint64_t kind, std::uint64_t id) {
  return hex128(mix64(kind * 1000003 + id), mix64(id * 7919 + kind));
}

// Template technical (and visible) names, for host.create's name clash check.
std::optional<std::uint64_t> template_by_name(std::string_view name) {
  constexpr std::string_view prefix = "Template ";
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = name.substr(prefix.size());
  if (!all_digits(rest) || rest.size() > 4 || rest[0] == '0') return std::nullopt;
  std::uint64_t id = 10000 + std::stoull(std::string(rest));
  return known_template(id) ? std::optional(id) : std::nullopt;
}

// ---------------------------------------------------------------------------------------
// Hosts

constexpr std::array<std::string_view, 20> kInventoryFields = {
    "type",      "type_full",    "name",         "alias",        "os",
    "os_full",   "os_short",     "serialno_a",   "serialno_b",   "tag",
    "asset_tag", "macaddress_a", "macaddress_b", "hardware",     "software",
    "contact",   "location",     "location_lat", "location_lon", "notes"};

constexpr std::string_view kSnmpDetails =
    R"({"version":"2","bulk":"1","community":"{$SNMP_COMMUNITY}","max_repetitions":"10"})";

struct Interface {
  std::uint64_t interfaceid = 0;
  int type = 1;
  int main = 1;
  int useip = 1;
  std::string ip;
  std::string dns;
  std::string port;
  std::string details = "[]";  // JSON text, as host.get returns it
};

struct Host {
  std::uint64_t hostid = 0;
  std::string host;
  std::string name;
  std::string description;
  int status = 0;
  int monitored_by = 0;
  std::uint64_t proxyid = 0;
  std::uint64_t proxy_groupid = 0;
  int inventory_mode = -1;
  std::vector<std::uint64_t> groups;
  std::vector<std::uint64_t> templates;
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<Interface> interfaces;
  std::vector<std::string> inventory;  // kInventoryFields values; empty while disabled
  bool deleted = false;
};

std::string_view interface_type_name(int type) {
  switch (type) {
    case 1:
      return "agent";
    case 2:
      return "snmp";
    case 3:
      return "ipmi";
    default:
      return "jmx";
  }
}

std::string_view interface_type_label(int type) {
  switch (type) {
    case 1:
      return "Agent";
    case 2:
      return "SNMP";
    case 3:
      return "IPMI";
    default:
      return "JMX";
  }
}

std::string_view monitored_by_name(int monitored_by) {
  return monitored_by == 1 ? "proxy" : monitored_by == 2 ? "proxy_group" : "server";
}

std::string_view inventory_mode_name(int mode) {
  return mode == 0 ? "manual" : mode == 1 ? "automatic" : "disabled";
}

// host.get "extend" per version (the hosts table, write-only fields left out).
const std::vector<std::string_view>& host_fields(const ApiVersion& version) {
  static const std::vector<std::string_view> v70 = {"hostid",
                                                    "proxyid",
                                                    "host",
                                                    "status",
                                                    "ipmi_authtype",
                                                    "ipmi_privilege",
                                                    "ipmi_username",
                                                    "ipmi_password",
                                                    "maintenanceid",
                                                    "maintenance_status",
                                                    "maintenance_type",
                                                    "maintenance_from",
                                                    "name",
                                                    "flags",
                                                    "templateid",
                                                    "description",
                                                    "tls_connect",
                                                    "tls_accept",
                                                    "tls_issuer",
                                                    "tls_subject",
                                                    "custom_interfaces",
                                                    "uuid",
                                                    "vendor_name",
                                                    "vendor_version",
                                                    "proxy_groupid",
                                                    "monitored_by",
                                                    "inventory_mode",
                                                    "active_available"};
  static const std::vector<std::string_view> v64 = {"hostid",
                                                    "proxy_hostid",
                                                    "host",
                                                    "status",
                                                    "ipmi_authtype",
                                                    "ipmi_privilege",
                                                    "ipmi_username",
                                                    "ipmi_password",
                                                    "maintenanceid",
                                                    "maintenance_status",
                                                    "maintenance_type",
                                                    "maintenance_from",
                                                    "name",
                                                    "flags",
                                                    "templateid",
                                                    "description",
                                                    "tls_connect",
                                                    "tls_accept",
                                                    "tls_issuer",
                                                    "tls_subject",
                                                    "proxy_address",
                                                    "auto_compress",
                                                    "custom_interfaces",
                                                    "uuid",
                                                    "inventory_mode",
                                                    "active_available"};
  return version.v64() ? v64 : v70;
}

// A host field as host.get shows it; false for a field the version does not have.
bool host_field(const Host& h, std::string_view field, const ApiVersion& version,
                std::string& out) {
  auto number = [&out](auto value) {
    out = std::to_string(value);
    return true;
  };
  auto text = [&out](std::string_view value) {
    out.assign(value);
    return true;
  };
  if (field == "hostid") return number(h.hostid);
  if (field == "host") return text(h.host);
  if (field == "name") return text(h.name);
  if (field == "description") return text(h.description);
  if (field == "status") return number(h.status);
  if (field == "inventory_mode") return number(h.inventory_mode);
  if (version.v64()) {
    if (field == "proxy_hostid") return number(h.monitored_by == 1 ? h.proxyid : 0);
    if (field == "proxy_address") return text("");
    if (field == "auto_compress") return text("1");
  } else {
    if (field == "proxyid") return number(h.proxyid);
    if (field == "proxy_groupid") return number(h.proxy_groupid);
    if (field == "monitored_by") return number(h.monitored_by);
    if (field == "assigned_proxyid") return number(h.monitored_by == 1 ? h.proxyid : 0);
    if (field == "vendor_name" || field == "vendor_version") return text("");
  }
  if (field == "ipmi_authtype") return text("-1");
  if (field == "ipmi_privilege") return text("2");
  if (field == "tls_connect" || field == "tls_accept") return text("1");
  if (field == "ipmi_username" || field == "ipmi_password" || field == "tls_issuer" ||
      field == "tls_subject" || field == "uuid") {
    return text("");
  }
  if (field == "maintenanceid" || field == "maintenance_status" || field == "maintenance_type" ||
      field == "maintenance_from" || field == "flags" || field == "templateid" ||
      field == "custom_interfaces" || field == "active_available") {
    return text("0");
  }
  return false;
}

bool interface_field(const Interface& i, std::uint64_t hostid, std::string_view field,
                     std::string& out) {
  if (field == "interfaceid") {
    out = std::to_string(i.interfaceid);
  } else if (field == "hostid") {
    out = std::to_string(hostid);
  } else if (field == "main") {
    out = std::to_string(i.main);
  } else if (field == "type") {
    out = std::to_string(i.type);
  } else if (field == "useip") {
    out = std::to_string(i.useip);
  } else if (field == "ip") {
    out = i.ip;
  } else if (field == "dns") {
    out = i.dns;
  } else if (field == "port") {
    out = i.port;
  } else if (field == "available" || field == "errors_from" || field == "disable_until") {
    out = "0";
  } else if (field == "error") {
    out.clear();
  } else {
    return false;
  }
  return true;
}

constexpr std::array<std::string_view, 13> kInterfaceFields = {
    "interfaceid", "hostid",    "main",  "type",        "useip",         "ip",     "dns",
    "port",        "available", "error", "errors_from", "disable_until", "details"};

// One select*/output parameter: "extend", "count" or a list of fields.
struct Select {
  bool extend = true;
  bool count = false;
  std::vector<std::string> fields;

  bool wants(std::string_view field) const { return extend || contains(fields, field); }
};

// API_OUTPUT validation (only where real Zabbix validates: `allowed` not empty).
std::optional<Select> parse_select(const ojson* value, const std::string& path,
                                   const std::vector<std::string_view>& allowed, bool allow_count) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  Select select;
  bool validate = !allowed.empty();
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (text == "extend") return select;
    if (text == "count" && allow_count) {
      select.extend = false;
      select.count = true;
      return select;
    }
    if (validate) {
      throw_params(invalid(path, allow_count ? R"(value must be one of "extend", "count")"
                                             : R"(value must be "extend")"));
    }
    select.extend = false;  // an unknown word selects nothing
    return select;
  }
  if (value->is_array() || value->is_object()) {
    select.extend = false;
    std::size_t index = 0;
    for (const auto& item : *value) {
      std::string item_path = child(path, index++);
      if (!item.is_string()) {
        if (validate) throw_params(invalid(item_path, "a character string is expected"));
        continue;
      }
      const auto& field = item.get_ref<const std::string&>();
      if (validate) {
        if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
          std::string list;
          for (auto name : allowed)
            list += (list.empty() ? "\"" : ", \"") + std::string(name) + '"';
          throw_params(invalid(item_path, "value must be one of " + list));
        }
        if (contains(select.fields, field)) {
          throw_params(invalid(item_path, "value (" + field + ") already exists"));
        }
      }
      select.fields.push_back(field);
    }
    return select;
  }
  if (validate) throw_params(invalid(path, "an array or a character string is expected"));
  return select;
}

struct HostQuery {
  Select output;
  std::optional<Select> interfaces;
  std::optional<Select> parent_templates;
  std::optional<Select> tags;
  std::optional<Select> hostgroups;  // selectHostGroups -> "hostgroups"
  std::optional<Select> groups;      // selectGroups (up to 7.0) -> "groups"
  std::optional<Select> inventory;
};

void put_number(std::string& out, std::uint64_t value) {
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out += '"';
  out.append(buffer, end);
  out += '"';
}

void put_int(std::string& out, int value) {
  char buffer[16];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out += '"';
  out.append(buffer, end);
  out += '"';
}

// `,"key":` or `"key":` ready to append.
std::string key_text(std::string_view key, bool first) {
  std::string out = first ? "" : ",";
  append_quoted(out, key);
  out += ':';
  return out;
}

std::string group_object(std::uint64_t id, const Select& select) {
  std::string out = "{";
  Members m(out);
  if (select.wants("groupid")) m.string("groupid", std::to_string(id));
  if (select.wants("name")) m.string("name", group_name(id));
  if (select.wants("flags")) m.string("flags", "0");
  if (select.wants("uuid")) m.string("uuid", uuid_of(1, id));
  out += '}';
  return out;
}

std::string template_object(std::uint64_t id, const Select& select, const ApiVersion& version) {
  std::string out = "{";
  Members t(out);
  if (select.wants("templateid")) t.string("templateid", std::to_string(id));
  if (select.wants("host")) t.string("host", template_name(id));
  if (select.wants("name")) t.string("name", template_name(id));
  if (select.wants("description")) t.string("description", "");
  if (select.wants("uuid")) t.string("uuid", uuid_of(2, id));
  if (!version.v64() && select.wants("link_type")) t.string("link_type", "0");
  out += '}';
  return out;
}

// Writes hosts for one host.get: the per-field work (which fields, their keys, the fixed
// values, the group and template objects) is done once per request, not once per host.
class HostWriter {
 public:
  HostWriter(const HostQuery& query, const ApiVersion& version) : query_(query), version_(version) {
    add_host_field("hostid");
    if (query.output.extend) {
      for (std::string_view field : host_fields(version)) {
        if (field != "hostid") add_host_field(field);
      }
    } else {
      std::vector<std::string_view> seen = {"hostid"};
      for (const auto& field : query.output.fields) {
        if (std::find(seen.begin(), seen.end(), field) != seen.end()) continue;
        seen.push_back(field);
        add_host_field(field);
      }
    }
    if (query.hostgroups) groups_for(*query.hostgroups, hostgroups_);
    if (query.groups) groups_for(*query.groups, groups_);
    if (query.parent_templates && !query.parent_templates->count) {
      for (std::uint64_t id = kTemplateFirst; id <= kTemplateLast; ++id) {
        templates_.push_back(template_object(id, *query.parent_templates, version));
      }
    }
    if (query.interfaces && !query.interfaces->count) {
      bool first = true;
      for (std::string_view field : kInterfaceFields) {
        if (!query.interfaces->wants(field)) continue;
        interface_fields_.push_back(InterfaceField{field, key_text(field, first)});
        first = false;
      }
    }
    if (query.tags) {
      bool first = true;
      for (std::string_view field : {"tag", "value", "automatic"}) {
        if (!query.tags->wants(field)) continue;
        tag_fields_.push_back(InterfaceField{field, key_text(field, first)});
        first = false;
      }
    }
    if (query.inventory) {
      bool first = true;
      for (std::size_t k = 0; k < kInventoryFields.size(); ++k) {
        if (!query.inventory->wants(kInventoryFields[k])) continue;
        inventory_fields_.emplace_back(k, key_text(kInventoryFields[k], first));
        first = false;
      }
    }
  }

  void write(std::string& out, const Host& h) const {
    out += '{';
    for (const HostField& field : host_fields_) {
      out += field.key;
      if (field.get != nullptr) {
        field.get(h, out);
      } else {
        out += field.constant;
      }
    }
    if (query_.groups) write_groups(out, ",\"groups\":[", h, groups_, *query_.groups);
    if (query_.hostgroups)
      write_groups(out, ",\"hostgroups\":[", h, hostgroups_, *query_.hostgroups);
    if (query_.parent_templates) {
      out += ",\"parentTemplates\":";
      if (query_.parent_templates->count) {
        put_number(out, h.templates.size());
      } else {
        out += '[';
        for (std::size_t n = 0; n < h.templates.size(); ++n) {
          if (n > 0) out += ',';
          std::uint64_t id = h.templates[n];
          if (known_template(id)) {
            out += templates_[id - kTemplateFirst];
          } else {
            out += template_object(id, *query_.parent_templates, version_);
          }
        }
        out += ']';
      }
    }
    if (query_.interfaces) {
      out += ",\"interfaces\":";
      if (query_.interfaces->count) {
        put_number(out, h.interfaces.size());
      } else {
        out += '[';
        for (std::size_t n = 0; n < h.interfaces.size(); ++n) {
          if (n > 0) out += ',';
          write_interface(out, h, h.interfaces[n]);
        }
        out += ']';
      }
    }
    if (query_.tags) {
      out += ",\"tags\":[";
      for (std::size_t n = 0; n < h.tags.size(); ++n) {
        if (n > 0) out += ',';
        out += '{';
        for (const auto& field : tag_fields_) {
          out += field.key;
          if (field.name == "tag") {
            append_quoted(out, h.tags[n].first);
          } else if (field.name == "value") {
            append_quoted(out, h.tags[n].second);
          } else {
            out += "\"0\"";
          }
        }
        out += '}';
      }
      out += ']';
    }
    if (query_.inventory) {
      out += ",\"inventory\":";
      if (h.inventory.empty()) {
        out += "[]";  // no host_inventory row: the relation map leaves an empty array
      } else {
        out += '{';
        for (const auto& [index, key] : inventory_fields_) {
          out += key;
          append_quoted(out, h.inventory[index]);
        }
        out += '}';
      }
    }
    out += '}';
  }

 private:
  using Getter = void (*)(const Host&, std::string&);
  struct HostField {
    std::string key;
    Getter get = nullptr;
    std::string constant;  // the quoted value when get is null
  };
  struct InterfaceField {
    std::string_view name;
    std::string key;
  };

  void add_host_field(std::string_view field) {
    std::string value;
    if (!host_field(Host{}, field, version_, value)) return;  // not a field of this version
    HostField entry{key_text(field, host_fields_.empty()), nullptr, {}};
    if (field == "hostid") {
      entry.get = [](const Host& h, std::string& out) { put_number(out, h.hostid); };
    } else if (field == "host") {
      entry.get = [](const Host& h, std::string& out) { append_quoted(out, h.host); };
    } else if (field == "name") {
      entry.get = [](const Host& h, std::string& out) { append_quoted(out, h.name); };
    } else if (field == "description") {
      entry.get = [](const Host& h, std::string& out) { append_quoted(out, h.description); };
    } else if (field == "status") {
      entry.get = [](const Host& h, std::string& out) { put_int(out, h.status); };
    } else if (field == "inventory_mode") {
      entry.get = [](const Host& h, std::string& out) { put_int(out, h.inventory_mode); };
    } else if (field == "monitored_by") {
      entry.get = [](const Host& h, std::string& out) { put_int(out, h.monitored_by); };
    } else if (field == "proxyid") {
      entry.get = [](const Host& h, std::string& out) { put_number(out, h.proxyid); };
    } else if (field == "proxy_groupid") {
      entry.get = [](const Host& h, std::string& out) { put_number(out, h.proxy_groupid); };
    } else if (field == "proxy_hostid" || field == "assigned_proxyid") {
      entry.get = [](const Host& h, std::string& out) {
        put_number(out, h.monitored_by == 1 ? h.proxyid : 0);
      };
    } else {
      append_quoted(entry.constant, value);
    }
    host_fields_.push_back(std::move(entry));
  }

  static void groups_for(const Select& select, std::vector<std::string>& objects) {
    for (std::uint64_t id = kGroupFirst; id <= kGroupLast; ++id) {
      objects.push_back(group_object(id, select));
    }
  }

  static void write_groups(std::string& out, std::string_view opening, const Host& h,
                           const std::vector<std::string>& objects, const Select& select) {
    out += opening;
    for (std::size_t n = 0; n < h.groups.size(); ++n) {
      if (n > 0) out += ',';
      std::uint64_t id = h.groups[n];
      out += known_group(id) ? objects[id - kGroupFirst] : group_object(id, select);
    }
    out += ']';
  }

  void write_interface(std::string& out, const Host& h, const Interface& i) const {
    out += '{';
    for (const InterfaceField& field : interface_fields_) {
      out += field.key;
      std::string_view name = field.name;
      if (name == "interfaceid") {
        put_number(out, i.interfaceid);
      } else if (name == "hostid") {
        put_number(out, h.hostid);
      } else if (name == "main") {
        put_int(out, i.main);
      } else if (name == "type") {
        put_int(out, i.type);
      } else if (name == "useip") {
        put_int(out, i.useip);
      } else if (name == "ip") {
        append_quoted(out, i.ip);
      } else if (name == "dns") {
        append_quoted(out, i.dns);
      } else if (name == "port") {
        append_quoted(out, i.port);
      } else if (name == "details") {
        out += i.details;
      } else if (name == "error") {
        out += "\"\"";
      } else {
        out += "\"0\"";
      }
    }
    out += '}';
  }

  const HostQuery& query_;
  ApiVersion version_;
  std::vector<HostField> host_fields_;
  std::vector<std::string> hostgroups_;
  std::vector<std::string> groups_;
  std::vector<std::string> templates_;
  std::vector<InterfaceField> interface_fields_;
  std::vector<InterfaceField> tag_fields_;
  std::vector<std::pair<std::size_t, std::string>> inventory_fields_;
};

// ---------------------------------------------------------------------------------------
// The generated inventory, deterministic from (hosts, drift, missing, seed).

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 9> kDriftFields = {
    "name",      "status",     "description",    "tags",        "groups",
    "templates", "interfaces", "inventory_mode", "monitored_by"};

constexpr std::array<std::string_view, 5> kRoles = {"web", "db", "app", "cache", "edge"};

std::string numbered(const char* prefix, std::size_t i) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s%06zu", prefix, i);
  return buffer;
}

std::vector<std::uint64_t> pick_distinct(Rng& rng, std::size_t count, std::uint64_t first,
                                         std::uint64_t last) {
  std::vector<std::uint64_t> out;
  while (out.size() < count) {
    std::uint64_t id = first + rng.below(last - first + 1);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Host generate_host(std::size_t i, std::uint64_t seed) {
  Rng rng(mix64(seed) ^ mix64(i + 0x5151));
  Host h;
  h.hostid = 10000 + i;
  h.host = numbered("host-", i);
  h.name = numbered("Host ", i);
  h.description = "generated";
  h.groups = pick_distinct(rng, 1 + rng.below(2), kGroupFirst, kGroupLast);
  h.templates = pick_distinct(rng, 1 + rng.below(2), kTemplateFirst, kTemplateLast);
  h.tags = {{"site", "site-" + std::to_string(i % 50)},
            {"role", std::string(kRoles[rng.below(kRoles.size())])}};
  std::uint64_t n = i + 1;
  std::string ip = "10." + std::to_string((n >> 16) & 255) + "." + std::to_string((n >> 8) & 255) +
                   "." + std::to_string(n & 255);
  h.interfaces.push_back(Interface{0, 1, 1, 1, ip, "", "10050", "[]"});
  if (rng.below(4) == 0) {
    h.interfaces.push_back(Interface{0, 2, 1, 1, ip, "", "161", std::string(kSnmpDetails)});
  }
  return h;
}

// The k-th drifted host (in host order) gets kDriftFields[k % 9] changed.
void apply_drift(Host& h, std::string_view field, std::size_t k) {
  if (field == "name") {
    h.name += " (renamed)";
  } else if (field == "status") {
    h.status = 1;
  } else if (field == "description") {
    h.description = "edited by hand";
  } else if (field == "tags") {
    h.tags.back().second += "-old";
  } else if (field == "groups") {
    std::uint64_t g = h.groups.front();
    do {
      g = g % kGroupLast + 1;
    } while (std::find(h.groups.begin(), h.groups.end(), g) != h.groups.end());
    h.groups.front() = g;
    std::sort(h.groups.begin(), h.groups.end());
  } else if (field == "templates") {
    std::uint64_t t = h.templates.front();
    do {
      t = (t - kTemplateFirst + 1) % (kTemplateLast - kTemplateFirst + 1) + kTemplateFirst;
    } while (std::find(h.templates.begin(), h.templates.end(), t) != h.templates.end());
    h.templates.front() = t;
    std::sort(h.templates.begin(), h.templates.end());
  } else if (field == "interfaces") {
    if ((k / kDriftFields.size()) % 2 == 0) {
      h.interfaces.front().ip =
          "192.168." + std::to_string((h.hostid >> 8) & 255) + "." + std::to_string(h.hostid & 255);
    } else {
      h.interfaces.front().port = "10051";
    }
  } else if (field == "inventory_mode") {
    h.inventory_mode = 0;
    h.inventory.assign(kInventoryFields.size(), "");
  } else if (field == "monitored_by") {
    h.monitored_by = 1;
    h.proxyid = 1 + h.hostid % kProxyLast;
  }
}

// The plugin's import format (see the header).
template <typename J>
J desired_config(const Host& h) {
  J config = J::object();
  config["host"] = h.host;
  config["name"] = h.name;
  config["status"] = h.status == 0 ? "enabled" : "disabled";
  config["description"] = h.description;
  config["monitored_by"] = monitored_by_name(h.monitored_by);
  config["proxyid"] = std::to_string(h.proxyid);
  config["proxy_groupid"] = std::to_string(h.proxy_groupid);
  config["inventory_mode"] = inventory_mode_name(h.inventory_mode);
  J groups = J::array();
  for (auto id : h.groups) groups.push_back(std::to_string(id));
  config["groups"] = std::move(groups);
  J templates = J::array();
  for (auto id : h.templates) templates.push_back(std::to_string(id));
  config["templates"] = std::move(templates);
  J tags = J::array();
  for (const auto& [tag, value] : h.tags) {
    J t = J::object();
    t["tag"] = tag;
    t["value"] = value;
    tags.push_back(std::move(t));
  }
  config["tags"] = std::move(tags);
  J interfaces = J::array();
  for (const auto& i : h.interfaces) {
    J entry = J::object();
    entry["type"] = interface_type_name(i.type);
    entry["main"] = i.main == 1;
    entry["useip"] = i.useip == 1;
    entry["ip"] = i.ip;
    entry["dns"] = i.dns;
    entry["port"] = i.port;
    interfaces.push_back(std::move(entry));
  }
  config["interfaces"] = std::move(interfaces);
  return config;
}

// ---------------------------------------------------------------------------------------
// API catalogue: which methods exist in real Zabbix, which the fake implements.

const std::set<std::string, std::less<>>& real_apis() {
  static const std::set<std::string, std::less<>> apis = {"action",
                                                          "alert",
                                                          "apiinfo",
                                                          "auditlog",
                                                          "authentication",
                                                          "autoregistration",
                                                          "configuration",
                                                          "connector",
                                                          "correlation",
                                                          "dashboard",
                                                          "dcheck",
                                                          "dhost",
                                                          "discoveryrule",
                                                          "drule",
                                                          "dservice",
                                                          "event",
                                                          "graph",
                                                          "graphitem",
                                                          "graphprototype",
                                                          "hanode",
                                                          "history",
                                                          "host",
                                                          "hostgroup",
                                                          "hostinterface",
                                                          "hostprototype",
                                                          "housekeeping",
                                                          "httptest",
                                                          "iconmap",
                                                          "image",
                                                          "item",
                                                          "itemprototype",
                                                          "maintenance",
                                                          "map",
                                                          "mediatype",
                                                          "mfa",
                                                          "module",
                                                          "problem",
                                                          "proxy",
                                                          "proxygroup",
                                                          "regexp",
                                                          "report",
                                                          "role",
                                                          "script",
                                                          "service",
                                                          "settings",
                                                          "sla",
                                                          "task",
                                                          "template",
                                                          "templatedashboard",
                                                          "templategroup",
                                                          "token",
                                                          "trend",
                                                          "trigger",
                                                          "triggerprototype",
                                                          "user",
                                                          "userdirectory",
                                                          "usergroup",
                                                          "usermacro",
                                                          "valuemap"};
  return apis;
}

// Methods of the APIs the fake implements (part of them), to tell "Incorrect method" apart.
const std::map<std::string, std::set<std::string, std::less<>>, std::less<>>& real_methods() {
  static const std::map<std::string, std::set<std::string, std::less<>>, std::less<>> methods = {
      {"apiinfo", {"version"}},
      {"host", {"get", "create", "update", "delete", "massadd", "massupdate", "massremove"}},
      {"hostgroup",
       {"get", "create", "update", "delete", "massadd", "massupdate", "massremove", "propagate"}},
      {"template", {"get", "create", "update", "delete", "massadd", "massupdate", "massremove"}},
      {"user",
       {"get", "create", "update", "delete", "login", "logout", "checkauthentication", "unblock",
        "provision", "resettotp"}}};
  return methods;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// CHostNameParser: letters, digits, space, dot, dash, underscore.
bool valid_host_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '-' ||
           c == '_';
  });
}

// ---------------------------------------------------------------------------------------
// HTTP answers

TestResponse with_cors(TestResponse response) {
  // ui/api_jsonrpc.php sends these before anything else.
  response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  response.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type");
  response.headers.emplace_back("Access-Control-Allow-Methods", "POST");
  response.headers.emplace_back("Access-Control-Max-Age", "1000");
  return response;
}

TestResponse html(int status, std::string body) {
  TestResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/html; charset=UTF-8");
  response.body = std::move(body);
  return response;
}

std::string nginx_page(std::string_view status) {
  std::string page = "<html>\r\n<head><title>";
  page += status;
  page += "</title></head>\r\n<body>\r\n<center><h1>";
  page += status;
  page += "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  return page;
}

struct FailureRule {
  FailureKind kind;
  std::size_t remaining;
  std::string method;  // lower case; empty: any request
  std::size_t skip;    // requests (matching the method) served before the failures start
};

// Where a call's credentials came from (CJsonRpc::AUTH_TYPE_*).
enum class AuthSource { cookie, header, param };

}  // namespace

// =========================================================================================

class FakeZabbix::Impl {
 public:
  explicit Impl(Options options);
  ~Impl() { stop(); }

  void stop() {
    if (server_) server_->stop();
  }

  std::string url() const { return server_->base_url() + std::string(kApiPath); }
  std::uint16_t port() const { return server_->port(); }

  // Inventory
  json desired_host_configs() const;
  std::vector<Drift> drifted() const;
  std::vector<std::string> missing_hosts() const;
  void write_desired(const std::filesystem::path& path) const;
  std::string add_host(const json& input);
  std::optional<json> host_by_name(const std::string& name) const;
  std::size_t host_count() const {
    std::shared_lock lock(data_mutex_);
    return by_host_.size();
  }

  // Knobs
  void set_latency(std::chrono::milliseconds latency) {
    std::lock_guard lock(config_mutex_);
    latency_ = latency;
  }
  void set_version(std::string text) {
    ApiVersion parsed = parse_version(text);
    std::lock_guard lock(config_mutex_);
    version_text_ = std::move(text);
    version_ = parsed;
  }
  std::string version() const {
    std::lock_guard lock(config_mutex_);
    return version_text_;
  }
  void set_token(std::string token) {
    std::lock_guard lock(config_mutex_);
    token_ = std::move(token);
    token_calls_left_.reset();
  }
  void expire_token_after(std::size_t calls) {
    std::lock_guard lock(config_mutex_);
    token_calls_left_ = calls;
  }
  void add_failure(FailureRule rule) {
    if (rule.remaining == 0) return;
    rule.method = lower(rule.method);
    std::lock_guard lock(config_mutex_);
    failures_.push_back(std::move(rule));
  }
  void clear_failures() {
    std::lock_guard lock(config_mutex_);
    failures_.clear();
  }

  // Counters
  std::size_t requests() const {
    std::lock_guard lock(stats_mutex_);
    return requests_;
  }
  std::size_t calls(std::string_view method) const {
    std::lock_guard lock(stats_mutex_);
    auto it = calls_.find(lower(method));
    return it == calls_.end() ? 0 : it->second;
  }
  std::size_t calls() const {
    std::lock_guard lock(stats_mutex_);
    std::size_t total = 0;
    for (const auto& [method, count] : calls_) total += count;
    return total;
  }
  std::size_t hosts_returned() const {
    std::lock_guard lock(stats_mutex_);
    return hosts_returned_;
  }
  std::optional<TestRequest> last_request() const {
    std::lock_guard lock(stats_mutex_);
    return last_request_;
  }
  std::size_t max_in_flight() const {
    std::lock_guard lock(stats_mutex_);
    return max_in_flight_;
  }
  void reset_counters() {
    std::lock_guard lock(stats_mutex_);
    requests_ = 0;
    hosts_returned_ = 0;
    max_in_flight_ = 0;
    calls_.clear();
    last_request_.reset();
  }

 private:
  // What one request runs with, taken once so knobs changed meanwhile do not tear it.
  struct Snapshot {
    ApiVersion version;
    std::string version_text;
    std::chrono::milliseconds latency{0};
    std::chrono::milliseconds hang_for{0};
    bool strict = false;
  };

  struct CallContext {
    const Snapshot& snap;
    const TestRequest& request;
  };

  TestResponse handle(const TestRequest& request);
  TestResponse respond(const TestRequest& request, const Snapshot& snap);
  std::optional<FailureKind> take_failure(const std::vector<std::string>& methods);
  TestResponse failure_response(FailureKind kind, const ojson* body, const Snapshot& snap);
  std::string process(const ojson& body, const CallContext& context);
  std::optional<std::string> execute_call(const ojson& call, const CallContext& context);
  std::string dispatch(const std::string& api, const std::string& method,
                       const std::string& api_sent, const std::string& method_sent,
                       const ojson& call, const CallContext& context);
  void authenticate(const std::optional<std::string>& auth);

  std::string apiinfo_version(const ojson& params, const Snapshot& snap);
  std::string user_login(const ojson& params);
  std::string user_logout(const std::optional<std::string>& auth);
  std::string user_check_authentication(const ojson& params);
  std::string host_get(const ojson& params, const Snapshot& snap);
  std::string host_create(const ojson& params, const Snapshot& snap);
  std::string host_update(const ojson& params, const Snapshot& snap);
  std::string host_delete(const ojson& params);
  std::string hostgroup_get(const ojson& params);
  std::string template_get(const ojson& params, const Snapshot& snap);

  // Validates one host of host.create/update into `out` (a copy of the stored host on update).
  void read_host(const ojson& input, const std::string& path, bool creating,
                 const ApiVersion& version, Host& out) const;
  std::vector<Interface> read_interfaces(const ojson& value, const std::string& path,
                                         const Host& host) const;

  void insert_host(Host host);  // data_mutex_ held exclusively
  const Host* find_host(std::uint64_t hostid) const;
  std::string user_object(const std::string& sessionid) const;

  Options options_;

  mutable std::mutex config_mutex_;
  std::string version_text_;
  ApiVersion version_;
  std::string token_;
  std::optional<std::size_t> token_calls_left_;
  std::set<std::string, std::less<>> sessions_;
  std::set<std::string, std::less<>> ended_sessions_;
  std::uint64_t sessions_made_ = 0;
  std::chrono::milliseconds latency_{0};
  std::deque<FailureRule> failures_;

  mutable std::shared_mutex data_mutex_;
  std::vector<Host> hosts_;
  std::unordered_map<std::string, std::size_t> by_host_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::unordered_map<std::uint64_t, std::size_t> by_id_;
  std::uint64_t next_hostid_ = 10000;
  std::uint64_t next_interfaceid_ = 1;

  // The generated plan (immutable after construction).
  std::vector<std::size_t> missing_;
  std::vector<std::size_t> drifted_;

  mutable std::mutex stats_mutex_;
  std::size_t requests_ = 0;
  std::size_t hosts_returned_ = 0;
  std::size_t max_in_flight_ = 0;
  std::map<std::string, std::size_t, std::less<>> calls_;
  std::optional<TestRequest> last_request_;
  std::priority_queue<Clock::time_point, std::vector<Clock::time_point>, std::greater<>>
      answers_due_;
  std::atomic<std::size_t> in_handler_{0};

  std::unique_ptr<HttpTestServer> server_;  // last: stops before the state goes
};

FakeZabbix::Impl::Impl(Options options) : options_(std::move(options)) {
  version_ = parse_version(options_.version);
  version_text_ = options_.version;
  token_ = options_.token;
  latency_ = options_.latency;
  auto check_fraction = [](double value, const char* name) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw std::invalid_argument(std::string("fake-zabbix: ") + name + " must be within 0..1");
    }
  };
  check_fraction(options_.drift, "drift");
  check_fraction(options_.missing, "missing");

  // Which hosts are missing, which drift: a seeded partial shuffle, so the two sets are
  // disjoint and spread over the whole inventory.
  std::size_t n = options_.hosts;
  auto n_missing =
      static_cast<std::size_t>(std::llround(static_cast<double>(n) * options_.missing));
  auto n_drift = static_cast<std::size_t>(std::llround(static_cast<double>(n) * options_.drift));
  n_missing = std::min(n_missing, n);
  n_drift = std::min(n_drift, n - n_missing);
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  Rng rng(mix64(options_.seed ^ 0xD1F7D1F7ULL));
  for (std::size_t k = 0; k < n_missing + n_drift; ++k) {
    std::swap(order[k], order[k + rng.below(n - k)]);
  }
  std::vector<std::uint8_t> state(n, 0);  // 0 in sync, 1 missing, 2 drifted
  for (std::size_t k = 0; k < n_missing + n_drift; ++k) state[order[k]] = k < n_missing ? 1 : 2;

  hosts_.reserve(n - n_missing + 64);
  by_host_.reserve(n);
  by_name_.reserve(n);
  by_id_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] == 1) {
      missing_.push_back(i);
      continue;
    }
    Host h = generate_host(i, options_.seed);
    if (state[i] == 2) {
      std::size_t k = drifted_.size();
      drifted_.push_back(i);
      apply_drift(h, kDriftFields[k % kDriftFields.size()], k);
    }
    insert_host(std::move(h));
  }
  next_hostid_ = std::max<std::uint64_t>(next_hostid_, 10000 + n);

  server_ = std::make_unique<HttpTestServer>(
      [this](const TestRequest& request) { return handle(request); },
      HttpTestServerOptions{options_.threads, options_.tls, options_.port});
}

void FakeZabbix::Impl::insert_host(Host host) {
  for (Interface& i : host.interfaces) {
    if (i.interfaceid == 0) i.interfaceid = next_interfaceid_++;
    next_interfaceid_ = std::max(next_interfaceid_, i.interfaceid + 1);
  }
  next_hostid_ = std::max(next_hostid_, host.hostid + 1);
  std::size_t index = hosts_.size();
  by_host_.emplace(host.host, index);
  by_name_.emplace(host.name, index);
  by_id_.emplace(host.hostid, index);
  hosts_.push_back(std::move(host));
}

const Host* FakeZabbix::Impl::find_host(std::uint64_t hostid) const {
  auto it = by_id_.find(hostid);
  return it == by_id_.end() ? nullptr : &hosts_[it->second];
}

// ---------------------------------------------------------------------------------------
// Inventory accessors

json FakeZabbix::Impl::desired_host_configs() const {
  json configs = json::array();
  for (std::size_t i = 0; i < options_.hosts; ++i) {
    configs.push_back(desired_config<json>(generate_host(i, options_.seed)));
  }
  return configs;
}

std::vector<FakeZabbix::Drift> FakeZabbix::Impl::drifted() const {
  std::vector<Drift> out;
  out.reserve(drifted_.size());
  for (std::size_t k = 0; k < drifted_.size(); ++k) {
    out.push_back(
        Drift{numbered("host-", drifted_[k]), std::string(kDriftFields[k % kDriftFields.size()])});
  }
  return out;
}

std::vector<std::string> FakeZabbix::Impl::missing_hosts() const {
  std::vector<std::string> out;
  out.reserve(missing_.size());
  for (std::size_t i : missing_) out.push_back(numbered("host-", i));
  return out;
}

void FakeZabbix::Impl::write_desired(const std::filesystem::path& path) const {
  ojson configs = ojson::array();
  for (std::size_t i = 0; i < options_.hosts; ++i) {
    configs.push_back(desired_config<ojson>(generate_host(i, options_.seed)));
  }
  ojson document = ojson::object();
  document["host_configs"] = std::move(configs);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw std::runtime_error("fake-zabbix: cannot write " + path.string());
  file << document.dump(2) << '\n';
  file.close();
  if (!file) throw std::runtime_error("fake-zabbix: cannot write " + path.string());
}

// A lenient reader for tests building their own inventory.
std::string FakeZabbix::Impl::add_host(const json& input) {
  auto fail = [](const std::string& what) -> void {
    throw std::invalid_argument("fake-zabbix add_host: " + what);
  };
  if (!input.is_object()) fail("a host object is expected");
  ojson in = ojson::parse(input.dump());
  auto number_of = [&](const char* name, long long fallback) {
    const ojson* v = given(in, name);
    if (v == nullptr) return fallback;
    auto n = int_value(*v);
    if (!n) fail(std::string(name) + " must be a number");
    return *n;
  };
  auto id_of = [&](const ojson& v, const std::string& what) {
    auto id = id_value(v);
    if (!id) fail(what + " must be an id");
    return *id;
  };
  auto text_of = [&](const char* name, std::string fallback) {
    const ojson* v = given(in, name);
    if (v == nullptr) return fallback;
    auto text = scalar_text(*v);
    if (!text) fail(std::string(name) + " must be a string");
    return *text;
  };
  Host h;
  h.host = text_of("host", "");
  if (h.host.empty()) fail("\"host\" is required");
  h.name = text_of("name", h.host);
  if (h.name.empty()) h.name = h.host;
  h.description = text_of("description", "");
  h.status = static_cast<int>(number_of("status", 0));
  h.monitored_by = static_cast<int>(number_of("monitored_by", 0));
  if (const ojson* v = given(in, "proxyid")) h.proxyid = id_of(*v, "proxyid");
  if (const ojson* v = given(in, "proxy_hostid")) {
    h.proxyid = id_of(*v, "proxy_hostid");
    if (h.proxyid != 0) h.monitored_by = 1;
  }
  if (const ojson* v = given(in, "proxy_groupid")) h.proxy_groupid = id_of(*v, "proxy_groupid");
  h.inventory_mode = static_cast<int>(number_of("inventory_mode", -1));
  auto ids = [&](const char* name, const char* key, std::vector<std::uint64_t>& out) {
    const ojson* list = given(in, name);
    if (list == nullptr) return;
    if (!list->is_array()) fail(std::string(name) + " must be an array");
    for (const auto& item : *list) {
      const ojson* id = item.is_object() ? given(item, key) : &item;
      if (id == nullptr) fail(std::string(name) + " entries need \"" + key + "\"");
      out.push_back(id_of(*id, key));
    }
  };
  ids("groups", "groupid", h.groups);
  ids("hostgroups", "groupid", h.groups);
  ids("templates", "templateid", h.templates);
  ids("parentTemplates", "templateid", h.templates);
  if (const ojson* tags = given(in, "tags")) {
    for (const auto& tag : *tags) {
      if (!tag.is_object() || given(tag, "tag") == nullptr) fail("tags entries need \"tag\"");
      h.tags.emplace_back(scalar_text(tag["tag"]).value_or(""),
                          tag.contains("value") ? scalar_text(tag["value"]).value_or("") : "");
    }
  }
  if (const ojson* interfaces = given(in, "interfaces")) {
    for (const auto& item : *interfaces) {
      if (!item.is_object()) fail("interfaces entries must be objects");
      Interface i;
      auto int_of = [&](const char* name, int fallback) {
        const ojson* v = given(item, name);
        if (v == nullptr) return fallback;
        auto n = int_value(*v);
        if (!n && v->is_boolean()) return v->get<bool>() ? 1 : 0;
        if (!n) fail(std::string("interface ") + name + " must be a number");
        return static_cast<int>(*n);
      };
      if (const ojson* v = given(item, "interfaceid")) i.interfaceid = id_of(*v, "interfaceid");
      i.type = int_of("type", 1);
      i.main = int_of("main", 1);
      i.useip = int_of("useip", 1);
      i.ip = given(item, "ip") ? scalar_text(item["ip"]).value_or("") : "";
      i.dns = given(item, "dns") ? scalar_text(item["dns"]).value_or("") : "";
      i.port = given(item, "port") ? scalar_text(item["port"]).value_or("") : "";
      if (const ojson* details = given(item, "details")) {
        i.details = dump(*details);
      } else if (i.type == 2) {
        i.details = std::string(kSnmpDetails);
      }
      h.interfaces.push_back(std::move(i));
    }
  }
  if (h.inventory_mode != -1) {
    h.inventory.assign(kInventoryFields.size(), "");
    if (const ojson* inventory = given(in, "inventory"); inventory && inventory->is_object()) {
      for (std::size_t k = 0; k < kInventoryFields.size(); ++k) {
        const ojson* v = given(*inventory, std::string(kInventoryFields[k]).c_str());
        if (v != nullptr) h.inventory[k] = scalar_text(*v).value_or("");
      }
    }
  }

  std::unique_lock lock(data_mutex_);
  if (const ojson* v = given(in, "hostid")) {
    h.hostid = id_of(*v, "hostid");
  } else {
    h.hostid = next_hostid_;
  }
  if (by_id_.contains(h.hostid)) fail("hostid " + std::to_string(h.hostid) + " exists");
  if (by_host_.contains(h.host)) fail("host \"" + h.host + "\" exists");
  if (by_name_.contains(h.name)) fail("visible name \"" + h.name + "\" exists");
  std::string hostid = std::to_string(h.hostid);
  insert_host(std::move(h));
  return hostid;
}

std::optional<json> FakeZabbix::Impl::host_by_name(const std::string& name) const {
  ApiVersion version;
  {
    std::lock_guard lock(config_mutex_);
    version = version_;
  }
  HostQuery query;
  query.interfaces = Select{};
  query.parent_templates = Select{};
  query.tags = Select{};
  query.hostgroups = Select{};
  if (!version.v72()) query.groups = Select{};
  query.inventory = Select{};
  std::string text;
  {
    std::shared_lock lock(data_mutex_);
    auto it = by_host_.find(name);
    if (it == by_host_.end()) return std::nullopt;
    HostWriter(query, version).write(text, hosts_[it->second]);
  }
  return json::parse(text);
}

// ---------------------------------------------------------------------------------------
// HTTP

TestResponse FakeZabbix::Impl::handle(const TestRequest& request) {
  Clock::time_point start = Clock::now();
  std::size_t active = ++in_handler_;
  {
    std::lock_guard lock(stats_mutex_);
    ++requests_;
    last_request_ = request;
    while (!answers_due_.empty() && answers_due_.top() <= start) answers_due_.pop();
    max_in_flight_ = std::max(max_in_flight_, answers_due_.size() + active);
  }
  Snapshot snap;
  {
    std::lock_guard lock(config_mutex_);
    snap.version = version_;
    snap.version_text = version_text_;
    snap.latency = latency_;
  }
  snap.hang_for = options_.hang_for;
  snap.strict = options_.strict_params;

  TestResponse response;
  try {
    response = respond(request, snap);
  } catch (...) {
    --in_handler_;
    throw;
  }
  response.delay += snap.latency;
  {
    std::lock_guard lock(stats_mutex_);
    answers_due_.push(Clock::now() + response.delay);
  }
  --in_handler_;
  return response;
}

TestResponse FakeZabbix::Impl::respond(const TestRequest& request, const Snapshot& snap) {
  bool path_ok = request.path == kApiPath;
  bool options_request = request.method == "OPTIONS";
  // ui/api_jsonrpc.php: the part before ';', compared exactly (case and spaces matter).
  std::string content_type = request.header("content-type");
  content_type = content_type.substr(0, content_type.find(';'));
  bool type_ok = content_type == "application/json-rpc" || content_type == "application/json" ||
                 content_type == "application/jsonrequest";

  ojson body;
  bool parsed = false;
  std::vector<std::string> methods;
  if (path_ok && !options_request && type_ok) {
    body = ojson::parse(request.body, nullptr, false);
    parsed = !body.is_discarded();
    if (parsed) {
      auto note = [&methods](const ojson& call) {
        const ojson* method = member(call, "method");
        if (method != nullptr && method->is_string())
          methods.push_back(lower(method->get<std::string>()));
      };
      if (body.is_array()) {
        for (const auto& call : body) note(call);
      } else {
        note(body);
      }
    }
  }

  if (auto kind = take_failure(methods))
    return failure_response(*kind, parsed ? &body : nullptr, snap);

  if (!path_ok) return html(404, nginx_page("404 Not Found"));
  if (options_request) return with_cors(html(200, ""));  // the CORS preflight
  if (!type_ok) return with_cors(html(412, ""));         // 'HTTP/1.0 412 Precondition Failed'
  TestResponse response = TestResponse::json("");
  if (!parsed) {
    response.body = error_entry(kParseError, kParseErrorData, "null");
  } else {
    response.body = process(body, CallContext{snap, request});
  }
  return with_cors(std::move(response));
}

std::optional<FailureKind> FakeZabbix::Impl::take_failure(const std::vector<std::string>& methods) {
  std::lock_guard lock(config_mutex_);
  for (auto it = failures_.begin(); it != failures_.end(); ++it) {
    if (!it->method.empty() && !contains(methods, it->method)) continue;
    if (it->skip > 0) {
      --it->skip;
      continue;
    }
    FailureKind kind = it->kind;
    if (--it->remaining == 0) failures_.erase(it);
    return kind;
  }
  return std::nullopt;
}

TestResponse FakeZabbix::Impl::failure_response(FailureKind kind, const ojson* body,
                                                const Snapshot& snap) {
  TestResponse response;
  switch (kind) {
    case FailureKind::http_500:
      return html(500, nginx_page("500 Internal Server Error"));
    case FailureKind::malformed_json:
      return with_cors(TestResponse::json(R"({"jsonrpc":"2.0","result":[{"hostid":"10)"));
    case FailureKind::close_connection:
      response.close_without_response = true;
      return response;
    case FailureKind::hang:
      response.delay = snap.hang_for;
      response.close_without_response = true;
      return response;
    case FailureKind::rpc_error:
      break;
  }
  // rpc_error: every call with an id gets the error; an unreadable body one with id null.
  auto entry = [](const ojson& call) -> std::optional<std::string> {
    if (!call.is_object()) return error_entry(kApplicationError, kInjectedErrorData, "null");
    const ojson* id = member(call, "id");
    if (id == nullptr) return std::nullopt;
    return error_entry(kApplicationError, kInjectedErrorData, dump(*id));
  };
  std::string text;
  if (body == nullptr || !(body->is_array() || body->is_object()) || body->empty()) {
    text = error_entry(kApplicationError, kInjectedErrorData, "null");
  } else if (body->is_array()) {
    std::vector<std::string> entries;
    for (const auto& call : *body) {
      if (auto e = entry(call)) entries.push_back(std::move(*e));
    }
    if (!entries.empty()) {
      text = "[";
      for (std::size_t i = 0; i < entries.size(); ++i) text += (i ? "," : "") + entries[i];
      text += ']';
    }
  } else {
    text = entry(*body).value_or("");
  }
  return with_cors(TestResponse::json(std::move(text)));
}

// CJsonRpc::execute
std::string FakeZabbix::Impl::process(const ojson& body, const CallContext& context) {
  if (!(body.is_array() || body.is_object()) || body.empty()) {
    return error_entry(kInvalidRequest, kInvalidRequestData, "null");
  }
  std::vector<std::string> entries;
  if (body.is_array()) {
    for (const auto& call : body) {
      if (auto entry = execute_call(call, context)) entries.push_back(std::move(*entry));
    }
  } else if (auto entry = execute_call(body, context)) {
    entries.push_back(std::move(*entry));
  }
  if (entries.empty()) return "";  // notifications only: nothing at all
  if (!body.is_array()) return std::move(entries.front());
  std::size_t size = 2;
  for (const auto& entry : entries) size += entry.size() + 1;
  std::string out;
  out.reserve(size);
  out += '[';
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += ',';
    out += entries[i];
  }
  out += ']';
  return out;
}

// CJsonRpc::validate, then CLocalApiClient::callMethod
std::optional<std::string> FakeZabbix::Impl::execute_call(const ojson& call,
                                                          const CallContext& context) {
  const ApiVersion& version = context.snap.version;
  // An invalid request is always answered, with its id when the id itself is valid.
  auto invalid_request = [&call](const std::string& data) {
    std::string id = "null";
    if (const ojson* given_id = member(call, "id")) {
      if (given_id->is_string() || given_id->is_number() || given_id->is_null())
        id = dump(*given_id);
    }
    return error_entry(kInvalidRequest, data, id);
  };
  if (!call.is_object()) {
    if (call.is_array() && call.empty()) return invalid_request(invalid("/", missing("jsonrpc")));
    if (call.is_array()) return invalid_request(invalid("/", unexpected("0")));
    return invalid_request(invalid("/", "an array is expected"));
  }
  for (const auto& item : call.items()) {
    const auto& key = item.key();
    bool known = key == "jsonrpc" || key == "method" || key == "params" || key == "id" ||
                 (key == "auth" && !version.v72());
    if (!known) return invalid_request(invalid("/", unexpected(key)));
  }
  const ojson* jsonrpc = member(call, "jsonrpc");
  if (jsonrpc == nullptr) return invalid_request(invalid("/", missing("jsonrpc")));
  if (!jsonrpc->is_string()) {
    return invalid_request(invalid("/jsonrpc", "a character string is expected"));
  }
  if (jsonrpc->get_ref<const std::string&>() != "2.0") {
    return invalid_request(invalid("/jsonrpc", "value must be \"2.0\""));
  }
  const ojson* method = member(call, "method");
  if (method == nullptr) return invalid_request(invalid("/", missing("method")));
  if (!method->is_string())
    return invalid_request(invalid("/method", "a character string is expected"));
  const ojson* params = member(call, "params");
  if (params == nullptr) return invalid_request(invalid("/", missing("params")));
  if (!params->is_array() && !params->is_object()) {
    return invalid_request(invalid("/params", "an array or object is expected"));
  }
  const ojson* auth = member(call, "auth");
  if (auth != nullptr && !auth->is_string() && !auth->is_null()) {
    return invalid_request(invalid("/auth", "a character string is expected"));
  }
  const ojson* id = member(call, "id");
  if (id != nullptr && !(id->is_string() || id->is_number() || id->is_null())) {
    return invalid_request(invalid("/id", "a string, number or null value is expected"));
  }

  // list($api, $method) = explode('.', $call['method']) + [1 => '']
  const auto& full = method->get_ref<const std::string&>();
  std::size_t dot = full.find('.');
  std::string api_sent = full.substr(0, dot);
  std::string method_sent;
  if (dot != std::string::npos) {
    std::size_t next = full.find('.', dot + 1);
    method_sent =
        full.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
  }
  std::string id_text = id != nullptr ? dump(*id) : "null";
  try {
    std::string result =
        dispatch(lower(api_sent), lower(method_sent), api_sent, method_sent, call, context);
    if (id == nullptr) return std::nullopt;  // notifications are never answered
    return result_entry(result, id_text);
  } catch (const ApiError& error) {
    if (id == nullptr) return std::nullopt;
    return error_entry(error.code, error.data, id_text);
  }
}

std::string FakeZabbix::Impl::dispatch(const std::string& api, const std::string& method,
                                       const std::string& api_sent, const std::string& method_sent,
                                       const ojson& call, const CallContext& context) {
  const Snapshot& snap = context.snap;
  if (!real_apis().contains(api)) {
    throw ApiError{kMethodNotFound, "Incorrect API \"" + api_sent + "\"."};
  }
  auto methods = real_methods().find(api);
  if (methods != real_methods().end() && !methods->second.contains(method)) {
    throw ApiError{kMethodNotFound, "Incorrect method \"" + api_sent + "." + method_sent + "\"."};
  }
  std::string name = api + "." + method;
  {
    std::lock_guard lock(stats_mutex_);
    ++calls_[name];
  }

  // Where the credentials come from: the Bearer header first, then (up to 7.0) the body.
  AuthSource source = AuthSource::cookie;
  std::optional<std::string> auth;
  std::string header = context.request.header("authorization");
  if (header.rfind("Bearer ", 0) == 0 && header.size() > 7) {
    source = AuthSource::header;
    auth = header.substr(7);
  } else if (const ojson* body_auth = member(call, "auth"); body_auth && !snap.version.v72()) {
    source = AuthSource::param;
    if (body_auth->is_string()) auth = body_auth->get<std::string>();
  }
  bool needs_auth = !((api == "user" && (method == "login" || method == "checkauthentication")) ||
                      (api == "apiinfo" && method == "version"));
  if (!needs_auth) {
    if (source != AuthSource::cookie && auth.has_value()) {
      throw_params("The \"" + api_sent + "." + method_sent + "\" method must be called without " +
                   (snap.version.v72() ? "authorization header." : "the \"auth\" parameter."));
    }
  } else {
    authenticate(auth);
  }

  const ojson& params = *member(call, "params");
  if (name == "apiinfo.version") return apiinfo_version(params, snap);
  if (name == "user.login") return user_login(params);
  if (name == "user.logout") return user_logout(auth);
  if (name == "user.checkauthentication") return user_check_authentication(params);
  if (name == "host.get") return host_get(params, snap);
  if (name == "host.create") return host_create(params, snap);
  if (name == "host.update") return host_update(params, snap);
  if (name == "host.delete") return host_delete(params);
  if (name == "hostgroup.get") return hostgroup_get(params);
  if (name == "template.get") return template_get(params, snap);
  throw ApiError{kInternalError, "fake-zabbix does not implement \"" + name + "\"."};
}

// CLocalApiClient::authenticate (there 64 characters are an API token, anything else a
// session id; see FakeZabbixOptions::zabbix_session_errors).
void FakeZabbix::Impl::authenticate(const std::optional<std::string>& auth) {
  if (!auth || auth->empty()) throw_params("Not authorized.");
  std::lock_guard lock(config_mutex_);
  if (*auth == token_) {
    if (token_calls_left_) {
      if (*token_calls_left_ == 0) throw_permissions("API token expired.");
      --*token_calls_left_;
    }
    return;
  }
  if (sessions_.contains(*auth)) return;
  if (ended_sessions_.contains(*auth)) throw_params("Session terminated, re-login, please.");
  if (options_.zabbix_session_errors && auth->size() != 64) {
    throw_params("Session terminated, re-login, please.");
  }
  throw_params("Not authorized.");
}

// ---------------------------------------------------------------------------------------
// apiinfo, user

std::string FakeZabbix::Impl::apiinfo_version(const ojson& params, const Snapshot& snap) {
  if (params.is_object()) check_fields(params, "/", {});
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  return json_string(snap.version_text);
}

std::string FakeZabbix::Impl::user_login(const ojson& params) {
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  const ojson& p = params.is_object() ? params : empty_object();
  check_fields(p, "/", {"username", "password", "userData"});
  const ojson* username = member(p, "username");
  if (username == nullptr) throw_params(invalid("/", missing("username")));
  std::string user = get_string(*username, "/username");
  const ojson* password = member(p, "password");
  if (password == nullptr) throw_params(invalid("/", missing("password")));
  std::string secret = get_string(*password, "/password");
  bool user_data = false;
  if (const ojson* v = member(p, "userData")) user_data = v->is_boolean() ? v->get<bool>() : false;
  if (user != options_.username || secret != options_.password) {
    throw_permissions("Incorrect user name or password or account is temporarily blocked.");
  }
  std::string session;
  {
    std::lock_guard lock(config_mutex_);
    ++sessions_made_;
    session = hex128(mix64(options_.seed ^ (sessions_made_ * 0x9E37)), mix64(sessions_made_ + 77))
                  .substr(0, 32);
    sessions_.insert(session);
  }
  return user_data ? user_object(session) : json_string(session);
}

std::string FakeZabbix::Impl::user_object(const std::string& sessionid) const {
  ojson user = ojson::object();
  user["userid"] = "1";
  user["username"] = options_.username;
  user["name"] = "Zabbix";
  user["surname"] = "Administrator";
  user["url"] = "";
  user["autologin"] = "1";
  user["autologout"] = "0";
  user["lang"] = "en_US";
  user["refresh"] = "30s";
  user["theme"] = "default";
  user["attempt_failed"] = "0";
  user["attempt_ip"] = "";
  user["attempt_clock"] = "0";
  user["rows_per_page"] = "50";
  user["timezone"] = "system";
  user["roleid"] = "3";
  user["userdirectoryid"] = "0";
  user["type"] = 3;
  user["userip"] = "127.0.0.1";
  user["debug_mode"] = 0;
  user["gui_access"] = "0";
  user["sessionid"] = sessionid;
  return dump(user);
}

std::string FakeZabbix::Impl::user_logout(const std::optional<std::string>& auth) {
  std::lock_guard lock(config_mutex_);
  if (auth && sessions_.erase(*auth) > 0) ended_sessions_.insert(*auth);
  return "true";
}

std::string FakeZabbix::Impl::user_check_authentication(const ojson& params) {
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  const ojson& p = params.is_object() ? params : empty_object();
  check_fields(p, "/", {"sessionid", "token", "extend"});
  const ojson* sessionid = member(p, "sessionid");
  const ojson* token = member(p, "token");
  if (sessionid == nullptr && token == nullptr) throw_params(invalid("/", missing("sessionid")));
  std::lock_guard lock(config_mutex_);
  if (token != nullptr) {
    std::string value = get_string(*token, "/token");
    if (value != token_) throw_params("Not authorized.");
    return user_object(value);
  }
  std::string value = get_string(*sessionid, "/sessionid");
  if (!sessions_.contains(value)) throw_params("Session terminated, re-login, please.");
  return user_object(value);
}

// ---------------------------------------------------------------------------------------
// host.get

namespace {

// Known host.get parameters (CHost::get $defOptions) the fake implements.
bool host_get_implemented(std::string_view key, const ApiVersion& version) {
  static const std::set<std::string, std::less<>> common = {"groupids",
                                                            "hostids",
                                                            "proxyids",
                                                            "templateids",
                                                            "monitored_hosts",
                                                            "editable",
                                                            "nopermissions",
                                                            "evaltype",
                                                            "inheritedTags",
                                                            "filter",
                                                            "searchByAny",
                                                            "startSearch",
                                                            "excludeSearch",
                                                            "searchWildcardsEnabled",
                                                            "output",
                                                            "selectHostGroups",
                                                            "selectParentTemplates",
                                                            "selectInterfaces",
                                                            "selectInventory",
                                                            "selectTags",
                                                            "countOutput",
                                                            "preservekeys",
                                                            "sortfield",
                                                            "sortorder",
                                                            "limit",
                                                            "tags",
                                                            "search"};
  if (common.contains(key)) return true;
  if (key == "selectGroups") return !version.v72();
  if (key == "proxy_groupids") return !version.v64();
  return false;
}

// Known host.get parameters the fake does not implement: used, they answer -32603.
bool host_get_known(std::string_view key, const ApiVersion& version) {
  static const std::set<std::string, std::less<>> others = {"interfaceids",
                                                            "itemids",
                                                            "triggerids",
                                                            "maintenanceids",
                                                            "graphids",
                                                            "dserviceids",
                                                            "httptestids",
                                                            "templated_hosts",
                                                            "with_items",
                                                            "with_item_prototypes",
                                                            "with_simple_graph_items",
                                                            "with_simple_graph_item_prototypes",
                                                            "with_monitored_items",
                                                            "with_triggers",
                                                            "with_monitored_triggers",
                                                            "with_httptests",
                                                            "with_monitored_httptests",
                                                            "with_graphs",
                                                            "with_graph_prototypes",
                                                            "withProblemsSuppressed",
                                                            "severities",
                                                            "searchInventory",
                                                            "selectItems",
                                                            "selectDiscoveries",
                                                            "selectTriggers",
                                                            "selectGraphs",
                                                            "selectMacros",
                                                            "selectDashboards",
                                                            "selectHttpTests",
                                                            "selectDiscoveryRule",
                                                            "selectHostDiscovery",
                                                            "selectInheritedTags",
                                                            "selectValueMaps",
                                                            "groupCount",
                                                            "limitSelects"};
  (void)version;
  return others.contains(key);
}

const std::vector<std::string_view>& group_output_fields() {
  static const std::vector<std::string_view> fields = {"groupid", "name", "flags", "uuid"};
  return fields;
}

struct SortKey {
  std::string field;
  bool descending = false;
};

std::vector<SortKey> read_sort(const ojson& params, const std::vector<std::string_view>& columns) {
  std::vector<SortKey> keys;
  const ojson* sortfield = given(params, "sortfield");
  if (sortfield == nullptr) return keys;
  std::vector<std::string> fields = scalar_list(*sortfield);
  std::vector<std::string> orders;
  if (const ojson* sortorder = given(params, "sortorder")) orders = scalar_list(*sortorder);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty()) continue;
    if (std::find(columns.begin(), columns.end(), fields[i]) == columns.end()) {
      throw_params("Sorting by field \"" + fields[i] + "\" not allowed.");
    }
    std::string order = orders.empty() ? "ASC" : orders[std::min(i, orders.size() - 1)];
    if (order != "ASC" && order != "DESC") {
      throw_params("Sorting order \"" + order + "\" not allowed.");
    }
    keys.push_back(SortKey{fields[i], order == "DESC"});
  }
  return keys;
}

std::optional<std::size_t> read_limit(const ojson& params) {
  const ojson* limit = given(params, "limit");
  if (limit == nullptr) return std::nullopt;
  auto n = int_value(*limit);
  if (!n || *n <= 0) return std::nullopt;  // zbx_ctype_digit() and non-zero, else no limit
  return static_cast<std::size_t>(*n);
}

bool truthy(const ojson* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (auto n = int_value(*value)) return *n != 0;
  if (value->is_string()) return !value->get_ref<const std::string&>().empty();
  return true;
}

}  // namespace

std::string FakeZabbix::Impl::host_get(const ojson& params, const Snapshot& snap) {
  const ApiVersion& version = snap.version;
  const ojson& p = params.is_object() ? params : empty_object();
  for (const auto& item : p.items()) {
    const auto& key = item.key();
    if (host_get_implemented(key, version)) {
      if ((key == "search" || key == "tags") && !item.value().is_null() && !item.value().empty()) {
        throw ApiError{kInternalError, "fake-zabbix does not implement host.get \"" + key + "\"."};
      }
      continue;
    }
    if (host_get_known(key, version)) {
      if (item.value().is_null()) continue;
      throw ApiError{kInternalError, "fake-zabbix does not implement host.get \"" + key + "\"."};
    }
    // Real host.get ignores what it does not know (7.2+: selectGroups among them).
    if (snap.strict) throw_params(invalid("/", unexpected(key)));
  }

  HostQuery query;
  if (const ojson* output = given(p, "output")) {
    if (output->is_array() || output->is_object()) {
      query.output.extend = false;
      for (const auto& field : *output) {
        if (field.is_string()) query.output.fields.push_back(field.get<std::string>());
      }
    } else if (!(output->is_string() && output->get<std::string>() == "extend")) {
      query.output.extend = false;
    }
  }
  // CHost::validateGet checks these two; the host groups go through hostgroup.get's output.
  query.tags =
      parse_select(given(p, "selectTags"), "/selectTags", {"tag", "value", "automatic"}, false);
  static const std::vector<std::string_view> template_fields70 = {
      "templateid", "host", "name", "description", "uuid", "link_type"};
  static const std::vector<std::string_view> template_fields64 = {"templateid", "host", "name",
                                                                  "description", "uuid"};
  query.parent_templates =
      parse_select(given(p, "selectParentTemplates"), "/selectParentTemplates",
                   version.v64() ? template_fields64 : template_fields70, true);
  query.hostgroups =
      parse_select(given(p, "selectHostGroups"), "/output", group_output_fields(), false);
  if (!version.v72()) {
    query.groups = parse_select(given(p, "selectGroups"), "/output", group_output_fields(), false);
  }
  query.interfaces = parse_select(given(p, "selectInterfaces"), "/selectInterfaces", {}, true);
  query.inventory = parse_select(given(p, "selectInventory"), "/selectInventory", {}, false);

  // Filters
  struct Term {
    std::string field;
    std::vector<std::string> values;
    bool interface_field;
  };
  std::vector<Term> terms;
  if (const ojson* filter = given(p, "filter"); filter && filter->is_object()) {
    for (const auto& item : filter->items()) {
      if (item.value().is_null()) continue;
      const auto& field = item.key();
      bool on_interface = field == "ip" || field == "dns" || field == "port" || field == "type" ||
                          field == "main" || field == "useip" || field == "interfaceid";
      std::string probe;
      if (!on_interface && !host_field(Host{}, field, version, probe)) continue;  // not a column
      terms.push_back(Term{field, scalar_list(item.value()), on_interface});
    }
  }
  bool any_term = truthy(given(p, "searchByAny"));
  std::optional<std::vector<std::uint64_t>> hostids;
  if (const ojson* v = given(p, "hostids")) hostids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> groupids;
  if (const ojson* v = given(p, "groupids")) groupids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> templateids;
  if (const ojson* v = given(p, "templateids")) templateids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> proxyids;
  if (const ojson* v = given(p, "proxyids")) proxyids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> proxy_groupids;
  if (!version.v64()) {
    if (const ojson* v = given(p, "proxy_groupids")) proxy_groupids = id_list(*v);
  }
  bool monitored_only = given(p, "monitored_hosts") != nullptr;
  bool count_output = truthy(given(p, "countOutput"));
  bool preserve_keys = truthy(given(p, "preservekeys"));
  static const std::vector<std::string_view> sort_columns = {"hostid", "host", "name", "status"};
  std::vector<SortKey> sort = read_sort(p, sort_columns);
  std::optional<std::size_t> limit = read_limit(p);

  auto has = [](const std::vector<std::uint64_t>& list, std::uint64_t id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  auto matches = [&](const Host& h) {
    if (h.deleted) return false;
    if (hostids && !has(*hostids, h.hostid)) return false;
    if (groupids && std::none_of(h.groups.begin(), h.groups.end(),
                                 [&](std::uint64_t g) { return has(*groupids, g); })) {
      return false;
    }
    if (templateids && std::none_of(h.templates.begin(), h.templates.end(),
                                    [&](std::uint64_t t) { return has(*templateids, t); })) {
      return false;
    }
    if (proxyids && (h.monitored_by != 1 || !has(*proxyids, h.proxyid))) return false;
    if (proxy_groupids && (h.monitored_by != 2 || !has(*proxy_groupids, h.proxy_groupid))) {
      return false;
    }
    if (monitored_only && h.status != 0) return false;
    if (terms.empty()) return true;
    std::string value;
    for (const Term& term : terms) {
      bool hit = false;
      if (term.interface_field) {
        for (const Interface& i : h.interfaces) {
          interface_field(i, h.hostid, term.field, value);
          if (contains(term.values, value)) hit = true;
        }
      } else {
        host_field(h, term.field, version, value);
        hit = contains(term.values, value);
      }
      if (any_term && hit) return true;
      if (!any_term && !hit) return false;
    }
    return !any_term;
  };

  std::string out;
  std::size_t returned = 0;
  {
    std::shared_lock lock(data_mutex_);
    // Candidates: by technical name or by id when the query names them, else every host.
    std::vector<std::size_t> candidates;
    const Term* by_name = nullptr;
    for (const Term& term : terms) {
      if (term.field == "host" && !any_term) by_name = &term;
    }
    if (by_name != nullptr || hostids) {
      if (by_name != nullptr) {
        for (const auto& name : by_name->values) {
          if (auto it = by_host_.find(name); it != by_host_.end()) candidates.push_back(it->second);
        }
      } else {
        for (std::uint64_t id : *hostids) {
          if (auto it = by_id_.find(id); it != by_id_.end()) candidates.push_back(it->second);
        }
      }
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    } else {
      candidates.resize(hosts_.size());
      for (std::size_t i = 0; i < hosts_.size(); ++i) candidates[i] = i;
    }
    std::vector<const Host*> selected;
    selected.reserve(candidates.size());
    for (std::size_t index : candidates) {
      if (matches(hosts_[index])) selected.push_back(&hosts_[index]);
    }
    if (count_output) return json_string(std::to_string(selected.size()));
    if (!sort.empty()) {
      std::stable_sort(selected.begin(), selected.end(), [&](const Host* a, const Host* b) {
        for (const SortKey& key : sort) {
          int c = 0;
          if (key.field == "hostid") {
            c = a->hostid < b->hostid ? -1 : a->hostid > b->hostid ? 1 : 0;
          } else if (key.field == "status") {
            c = a->status - b->status;
          } else {
            const std::string& x = key.field == "host" ? a->host : a->name;
            const std::string& y = key.field == "host" ? b->host : b->name;
            c = x.compare(y);
          }
          if (c != 0) return key.descending ? c > 0 : c < 0;
        }
        return false;
      });
    }
    if (limit && selected.size() > *limit) selected.resize(*limit);
    returned = selected.size();
    out.reserve(selected.size() * 1200 + 2);
    HostWriter writer(query, version);
    if (preserve_keys && !selected.empty()) {
      out += '{';
      for (std::size_t i = 0; i < selected.size(); ++i) {
        if (i > 0) out += ',';
        put_number(out, selected[i]->hostid);
        out += ':';
        writer.write(out, *selected[i]);
      }
      out += '}';
    } else {
      out += '[';
      for (std::size_t i = 0; i < selected.size(); ++i) {
        if (i > 0) out += ',';
        writer.write(out, *selected[i]);
      }
      out += ']';
    }
  }
  std::lock_guard lock(stats_mutex_);
  hosts_returned_ += returned;
  return out;
}

// ---------------------------------------------------------------------------------------
// host.create / host.update / host.delete

std::vector<Interface> FakeZabbix::Impl::read_interfaces(const ojson& value,
                                                         const std::string& path,
                                                         const Host& host) const {
  std::vector<Interface> out;
  std::vector<const ojson*> items = get_objects(value, path);
  for (std::size_t n = 0; n < items.size(); ++n) {
    const ojson& item = *items[n];
    std::string item_path = child(path, n);
    check_fields(item, item_path,
                 {"interfaceid", "type", "main", "useip", "ip", "dns", "port", "details"});
    Interface i;
    if (const ojson* v = member(item, "interfaceid")) {
      i.interfaceid = get_id(*v, child(item_path, "interfaceid"));
      bool own = std::any_of(host.interfaces.begin(), host.interfaces.end(),
                             [&](const Interface& x) { return x.interfaceid == i.interfaceid; });
      if (!own) throw_permissions(invalid(child(item_path, "interfaceid"), kObjectMissing));
    }
    for (const char* required : {"type", "main", "useip", "port"}) {
      if (member(item, required) == nullptr) throw_params(invalid(item_path, missing(required)));
    }
    i.type = get_int_in(*member(item, "type"), child(item_path, "type"), {1, 2, 3, 4});
    i.main = get_int_in(*member(item, "main"), child(item_path, "main"), {0, 1});
    i.useip = get_int_in(*member(item, "useip"), child(item_path, "useip"), {0, 1});
    if (const ojson* v = member(item, "ip")) i.ip = get_string(*v, child(item_path, "ip"));
    if (const ojson* v = member(item, "dns")) i.dns = get_string(*v, child(item_path, "dns"));
    const ojson& port = *member(item, "port");
    if (port.is_number_integer() || port.is_number_unsigned()) {
      i.port = dump(port);
    } else {
      i.port = get_string(port, child(item_path, "port"));
    }
    if (i.port.empty()) throw_params(invalid(child(item_path, "port"), "cannot be empty"));
    if (i.useip == 1 && i.ip.empty()) {
      throw_params(invalid(child(item_path, "ip"), "cannot be empty"));
    }
    if (i.useip == 0 && i.dns.empty()) {
      throw_params(invalid(child(item_path, "dns"), "cannot be empty"));
    }
    const ojson* details = member(item, "details");
    if (i.type == 2) {
      // SNMP interfaces need their details: at least the SNMP version.
      if (details == nullptr) throw_params(invalid(item_path, missing("details")));
      if (!details->is_object())
        throw_params(invalid(child(item_path, "details"), "an array is expected"));
      const ojson* snmp_version = member(*details, "version");
      if (snmp_version == nullptr) {
        throw_params(invalid(child(item_path, "details"), missing("version")));
      }
      get_int_in(*snmp_version, child(child(item_path, "details"), "version"), {1, 2, 3});
      ojson normalized = ojson::object();
      for (const auto& d : details->items()) {
        normalized[d.key()] = scalar_text(d.value()).value_or(dump(d.value()));
      }
      if (!normalized.contains("bulk")) normalized["bulk"] = "1";
      i.details = dump(normalized);
    } else if (details != nullptr && !details->empty()) {
      throw_params(invalid(child(item_path, "details"), "should be empty"));
    }
    out.push_back(std::move(i));
  }
  // One default interface per type (CHostInterface::checkMainInterfaces).
  for (int type = 1; type <= 4; ++type) {
    int of_type = 0;
    int mains = 0;
    for (const Interface& i : out) {
      if (i.type != type) continue;
      ++of_type;
      mains += i.main;
    }
    if (mains > 1) {
      throw_params("Host \"" + host.host +
                   "\" cannot have more than one default interface of the same type.");
    }
    if (of_type > 0 && mains == 0) {
      throw_params("No default interface for \"" + std::string(interface_type_label(type)) +
                   "\" type on \"" + host.host + "\".");
    }
  }
  return out;
}

void FakeZabbix::Impl::read_host(const ojson& in, const std::string& path, bool creating,
                                 const ApiVersion& version, Host& h) const {
  // 1. The fields a host has in this version.
  for (const auto& item : in.items()) {
    const auto& key = item.key();
    static const std::set<std::string, std::less<>> common = {
        "host",        "name",          "description",    "status",        "inventory_mode",
        "inventory",   "groups",        "templates",      "tags",          "interfaces",
        "macros",      "ipmi_authtype", "ipmi_privilege", "ipmi_username", "ipmi_password",
        "tls_connect", "tls_accept",    "tls_issuer",     "tls_subject",   "tls_psk_identity",
        "tls_psk"};
    bool known =
        common.contains(key) || (!creating && (key == "hostid" || key == "templates_clear"));
    if (version.v64()) {
      known = known || key == "proxy_hostid";
    } else {
      known = known || key == "monitored_by" || key == "proxyid" || key == "proxy_groupid";
    }
    if (!known) throw_params(invalid(path, unexpected(key)));
  }

  // 2. Monitoring source (7.0: monitored_by + proxyid/proxy_groupid; 6.4: proxy_hostid).
  if (version.v64()) {
    if (const ojson* v = member(in, "proxy_hostid")) {
      std::uint64_t proxy = get_id(*v, child(path, "proxy_hostid"));
      if (proxy != 0 && !known_proxy(proxy)) throw_permissions(std::string(kNoPermissions));
      h.monitored_by = proxy == 0 ? 0 : 1;
      h.proxyid = proxy;
      h.proxy_groupid = 0;
    }
  } else {
    int monitored_by = h.monitored_by;
    if (const ojson* v = member(in, "monitored_by")) {
      monitored_by = get_int_in(*v, child(path, "monitored_by"), {0, 1, 2});
    }
    const ojson* proxyid = member(in, "proxyid");
    const ojson* proxy_groupid = member(in, "proxy_groupid");
    std::uint64_t proxy = monitored_by == 1 && h.monitored_by == 1 ? h.proxyid : 0;
    std::uint64_t proxy_group = monitored_by == 2 && h.monitored_by == 2 ? h.proxy_groupid : 0;
    if (monitored_by == 1) {
      if (proxyid == nullptr && proxy == 0) throw_params(invalid(path, missing("proxyid")));
      if (proxyid != nullptr) proxy = get_id(*proxyid, child(path, "proxyid"));
    } else if (proxyid != nullptr && get_id(*proxyid, child(path, "proxyid")) != 0) {
      throw_params(invalid(child(path, "proxyid"), "value must be 0"));
    }
    if (monitored_by == 2) {
      if (proxy_groupid == nullptr && proxy_group == 0) {
        throw_params(invalid(path, missing("proxy_groupid")));
      }
      if (proxy_groupid != nullptr)
        proxy_group = get_id(*proxy_groupid, child(path, "proxy_groupid"));
    } else if (proxy_groupid != nullptr &&
               get_id(*proxy_groupid, child(path, "proxy_groupid")) != 0) {
      throw_params(invalid(child(path, "proxy_groupid"), "value must be 0"));
    }
    if (monitored_by == 1 && !known_proxy(proxy)) {
      throw_permissions(invalid(child(path, "proxyid"), kObjectMissing));
    }
    if (monitored_by == 2 && !known_proxy_group(proxy_group)) {
      throw_permissions(invalid(child(path, "proxy_groupid"), kObjectMissing));
    }
    h.monitored_by = monitored_by;
    h.proxyid = proxy;
    h.proxy_groupid = proxy_group;
  }

  // 3. Groups, templates, tags.
  const ojson* groups = member(in, "groups");
  if (creating && groups == nullptr) throw_params(invalid(path, missing("groups")));
  if (groups != nullptr) {
    std::string groups_path = child(path, "groups");
    std::vector<const ojson*> items = get_objects(*groups, groups_path);
    if (items.empty()) throw_params(invalid(groups_path, "cannot be empty"));
    std::vector<std::uint64_t> ids;
    for (std::size_t n = 0; n < items.size(); ++n) {
      std::string item_path = child(groups_path, n);
      check_fields(*items[n], item_path, {"groupid"});
      const ojson* id = member(*items[n], "groupid");
      if (id == nullptr) throw_params(invalid(item_path, missing("groupid")));
      std::uint64_t groupid = get_id(*id, child(item_path, "groupid"));
      if (std::find(ids.begin(), ids.end(), groupid) != ids.end()) {
        throw_params(
            invalid(item_path, "value (groupid)=(" + std::to_string(groupid) + ") already exists"));
      }
      ids.push_back(groupid);
    }
    for (std::size_t n = 0; n < ids.size(); ++n) {
      if (known_group(ids[n])) continue;
      if (version.v64()) throw_permissions(std::string(kNoPermissions));
      throw_permissions(invalid(child(groups_path, n), kObjectMissing));
    }
    std::sort(ids.begin(), ids.end());
    h.groups = std::move(ids);
  }
  auto read_templates = [&](const char* key, std::vector<std::uint64_t>& ids) {
    const ojson* templates = member(in, key);
    if (templates == nullptr) return false;
    std::string list_path = child(path, key);
    std::vector<const ojson*> items = get_objects(*templates, list_path);
    for (std::size_t n = 0; n < items.size(); ++n) {
      std::string item_path = child(list_path, n);
      check_fields(*items[n], item_path, {"templateid"});
      const ojson* id = member(*items[n], "templateid");
      if (id == nullptr) throw_params(invalid(item_path, missing("templateid")));
      std::uint64_t templateid = get_id(*id, child(item_path, "templateid"));
      if (std::find(ids.begin(), ids.end(), templateid) != ids.end()) {
        throw_params(invalid(
            item_path, "value (templateid)=(" + std::to_string(templateid) + ") already exists"));
      }
      ids.push_back(templateid);
    }
    for (std::size_t n = 0; n < ids.size(); ++n) {
      if (known_template(ids[n])) continue;
      if (version.v64()) throw_permissions(std::string(kNoPermissions));
      throw_permissions(invalid(child(list_path, n), kObjectMissing));
    }
    return true;
  };
  std::vector<std::uint64_t> templates;
  if (read_templates("templates", templates)) {
    std::sort(templates.begin(), templates.end());
    h.templates = std::move(templates);
  }
  std::vector<std::uint64_t> clear;
  if (read_templates("templates_clear", clear)) {
    for (std::uint64_t id : clear) {
      h.templates.erase(std::remove(h.templates.begin(), h.templates.end(), id), h.templates.end());
    }
  }
  if (const ojson* tags = member(in, "tags")) {
    std::string tags_path = child(path, "tags");
    std::vector<std::pair<std::string, std::string>> list;
    std::vector<const ojson*> items = get_objects(*tags, tags_path);
    for (std::size_t n = 0; n < items.size(); ++n) {
      std::string item_path = child(tags_path, n);
      check_fields(*items[n], item_path, {"tag", "value", "automatic"});
      const ojson* tag = member(*items[n], "tag");
      if (tag == nullptr) throw_params(invalid(item_path, missing("tag")));
      std::string name = get_string(*tag, child(item_path, "tag"));
      if (name.empty()) throw_params(invalid(child(item_path, "tag"), "cannot be empty"));
      std::string value;
      if (const ojson* v = member(*items[n], "value"))
        value = get_string(*v, child(item_path, "value"));
      std::pair<std::string, std::string> entry{name, value};
      if (std::find(list.begin(), list.end(), entry) != list.end()) {
        throw_params(
            invalid(item_path, "value (tag, value)=(" + name + ", " + value + ") already exists"));
      }
      list.push_back(std::move(entry));
    }
    h.tags = std::move(list);
  }

  // 4. Names.
  if (const ojson* host = member(in, "host")) {
    std::string name = get_string(*host, child(path, "host"));
    if (!valid_host_name(name)) {
      throw_params("Incorrect characters used for host name \"" + name + "\".");
    }
    h.host = std::move(name);
  } else if (creating) {
    throw_params("Wrong fields for host \"\".");
  }
  // A visible name not given or blank follows the technical name (on update too, when the
  // technical name is given).
  std::string visible;
  if (const ojson* name = member(in, "name")) visible = get_string(*name, child(path, "name"));
  bool blank = visible.find_first_not_of(' ') == std::string::npos;
  if (!blank) {
    h.name = visible;
  } else if (creating || member(in, "host") != nullptr) {
    h.name = h.host;
  }
  if (const ojson* description = member(in, "description")) {
    h.description = get_string(*description, child(path, "description"));
  }

  // 5. Status and inventory.
  if (const ojson* status = member(in, "status")) {
    if (creating) {
      auto value = int_value(*status);
      if (!value || (*value != 0 && *value != 1)) {
        throw_params("Incorrect status for host \"" + h.host + "\".");
      }
      h.status = static_cast<int>(*value);
    } else {
      h.status = get_int_in(*status, child(path, "status"), {0, 1});
    }
  }
  const ojson* inventory = member(in, "inventory");
  bool inventory_given = inventory != nullptr && !inventory->empty() && !inventory->is_null();
  if (const ojson* mode = member(in, "inventory_mode")) {
    auto value = int_value(*mode);
    if (!value || *value < -1 || *value > 1) {
      throw_params("Incorrect value for field \"inventory_mode\": value must be one of -1, 0, 1.");
    }
    h.inventory_mode = static_cast<int>(*value);
    if (h.inventory_mode == -1) {
      if (inventory_given) throw_params("Cannot set inventory fields for disabled inventory.");
      h.inventory.clear();
    } else if (h.inventory.empty()) {
      h.inventory.assign(kInventoryFields.size(), "");
    }
  }
  if (inventory_given) {
    if (!inventory->is_object()) {
      throw_params(invalid(child(path, "inventory"), "an array is expected"));
    }
    if (h.inventory_mode == -1) {
      if (!creating) throw_params("Inventory disabled for host \"" + h.host + "\".");
      h.inventory_mode = 0;  // inventory fields alone switch a new host to manual mode
    }
    if (h.inventory.empty()) h.inventory.assign(kInventoryFields.size(), "");
    for (const auto& item : inventory->items()) {
      auto it = std::find(kInventoryFields.begin(), kInventoryFields.end(), item.key());
      if (it == kInventoryFields.end()) {
        throw_params("Incorrect inventory field \"" + item.key() + "\".");
      }
      h.inventory[static_cast<std::size_t>(it - kInventoryFields.begin())] =
          scalar_text(item.value()).value_or("");
    }
  }

  // 6. Interfaces replace the host's set.
  if (const ojson* interfaces = member(in, "interfaces")) {
    h.interfaces = read_interfaces(*interfaces, child(path, "interfaces"), h);
  }
}

std::string FakeZabbix::Impl::host_create(const ojson& params, const Snapshot& snap) {
  std::vector<const ojson*> inputs = get_objects(params, "/");
  if (inputs.empty()) throw_params(invalid("/", "cannot be empty"));
  std::unique_lock lock(data_mutex_);
  std::vector<Host> created;
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    Host h;
    read_host(*inputs[n], child("/", n), true, snap.version, h);
    created.push_back(std::move(h));
  }
  for (std::size_t a = 0; a < created.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (created[a].host == created[b].host) {
        throw_params("Duplicate host. Host with the same host name \"" + created[a].host +
                     "\" already exists in data.");
      }
      if (created[a].name == created[b].name) {
        throw_params("Duplicate host. Host with the same visible name \"" + created[a].name +
                     "\" already exists in data.");
      }
    }
  }
  for (const Host& h : created) {
    if (by_host_.contains(h.host)) {
      throw_params("Host with the same name \"" + h.host + "\" already exists.");
    }
    if (by_name_.contains(h.name)) {
      throw_params("Host with the same visible name \"" + h.name + "\" already exists.");
    }
    if (template_by_name(h.host)) {
      throw_params("Template with the same name \"" + h.host + "\" already exists.");
    }
    if (template_by_name(h.name)) {
      throw_params("Template with the same visible name \"" + h.name + "\" already exists.");
    }
  }
  std::string out = "{\"hostids\":[";
  for (std::size_t n = 0; n < created.size(); ++n) {
    created[n].hostid = next_hostid_;
    if (n > 0) out += ',';
    append_quoted(out, std::to_string(created[n].hostid));
    insert_host(std::move(created[n]));
  }
  out += "]}";
  return out;
}

std::string FakeZabbix::Impl::host_update(const ojson& params, const Snapshot& snap) {
  std::vector<const ojson*> inputs = get_objects(params, "/");
  if (inputs.empty()) throw_params(invalid("/", "cannot be empty"));
  std::vector<std::uint64_t> ids;
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    std::string path = child("/", n);
    const ojson* hostid = member(*inputs[n], "hostid");
    if (hostid == nullptr) throw_params(invalid(path, missing("hostid")));
    std::uint64_t id = get_id(*hostid, child(path, "hostid"));
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      throw_params(invalid(path, "value (hostid)=(" + std::to_string(id) + ") already exists"));
    }
    ids.push_back(id);
  }
  std::unique_lock lock(data_mutex_);
  for (std::uint64_t id : ids) {
    if (find_host(id) == nullptr) throw_permissions(std::string(kNoPermissions));
  }
  std::vector<Host> updated;
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    Host h = *find_host(ids[n]);
    read_host(*inputs[n], child("/", n), false, snap.version, h);
    updated.push_back(std::move(h));
  }
  for (std::size_t a = 0; a < updated.size(); ++a) {
    const Host& h = updated[a];
    for (std::size_t b = 0; b < a; ++b) {
      if (updated[b].host == h.host) {
        throw_params("Host with the same name \"" + h.host + "\" already exists.");
      }
      if (updated[b].name == h.name) {
        throw_params("Host with the same visible name \"" + h.name + "\" already exists.");
      }
    }
    auto other = [&](const std::unordered_map<std::string, std::size_t>& index,
                     const std::string& key) {
      auto it = index.find(key);
      if (it == index.end() || hosts_[it->second].hostid == h.hostid) return false;
      // A host renamed in the same call frees its old name.
      std::uint64_t holder = hosts_[it->second].hostid;
      return std::none_of(updated.begin(), updated.end(),
                          [&](const Host& u) { return u.hostid == holder; });
    };
    if (other(by_host_, h.host)) {
      throw_params("Host with the same name \"" + h.host + "\" already exists.");
    }
    if (other(by_name_, h.name)) {
      throw_params("Host with the same visible name \"" + h.name + "\" already exists.");
    }
    if (template_by_name(h.host)) {
      throw_params("Template with the same name \"" + h.host + "\" already exists.");
    }
  }
  std::string out = "{\"hostids\":[";
  for (std::size_t n = 0; n < updated.size(); ++n) {
    Host& h = updated[n];
    std::size_t index = by_id_.at(h.hostid);
    Host& stored = hosts_[index];
    by_host_.erase(stored.host);
    by_name_.erase(stored.name);
    for (Interface& i : h.interfaces) {
      if (i.interfaceid == 0) i.interfaceid = next_interfaceid_++;
    }
    stored = std::move(h);
    if (n > 0) out += ',';
    append_quoted(out, std::to_string(stored.hostid));
  }
  for (std::uint64_t id : ids) {
    std::size_t index = by_id_.at(id);
    by_host_[hosts_[index].host] = index;
    by_name_[hosts_[index].name] = index;
  }
  out += "]}";
  return out;
}

std::string FakeZabbix::Impl::host_delete(const ojson& params) {
  // API_IDS, API_NOT_EMPTY, uniq
  std::vector<std::uint64_t> ids;
  std::size_t n = 0;
  for (const auto& item : params) {
    std::string path = child("/", n++);
    std::uint64_t id = get_id(item, path);
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      throw_params(invalid(path, "value (" + std::to_string(id) + ") already exists"));
    }
    ids.push_back(id);
  }
  if (ids.empty()) throw_params(invalid("/", "cannot be empty"));
  std::unique_lock lock(data_mutex_);
  for (std::uint64_t id : ids) {
    if (find_host(id) == nullptr) throw_permissions(std::string(kNoPermissions));
  }
  std::string out = "{\"hostids\":[";
  for (std::size_t k = 0; k < ids.size(); ++k) {
    std::size_t index = by_id_.at(ids[k]);
    Host& h = hosts_[index];
    by_host_.erase(h.host);
    by_name_.erase(h.name);
    by_id_.erase(h.hostid);
    h.deleted = true;
    h.interfaces.clear();
    h.tags.clear();
    if (k > 0) out += ',';
    append_quoted(out, std::to_string(ids[k]));
  }
  out += "]}";
  return out;
}

// ---------------------------------------------------------------------------------------
// hostgroup.get (strictly validated, as CHostGroup::get is) and template.get

std::string FakeZabbix::Impl::hostgroup_get(const ojson& params) {
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  const ojson& p = params.is_object() ? params : empty_object();
  check_fields(p, "/",
               {"groupids",
                "hostids",
                "graphids",
                "triggerids",
                "maintenanceids",
                "monitored_hosts",
                "with_monitored_hosts",
                "real_hosts",
                "with_hosts",
                "with_items",
                "with_item_prototypes",
                "with_simple_graph_items",
                "with_simple_graph_item_prototypes",
                "with_monitored_items",
                "with_triggers",
                "with_monitored_triggers",
                "with_httptests",
                "with_monitored_httptests",
                "with_graphs",
                "with_graph_prototypes",
                "filter",
                "search",
                "searchByAny",
                "startSearch",
                "excludeSearch",
                "searchWildcardsEnabled",
                "output",
                "selectHosts",
                "selectGroupDiscovery",
                "selectDiscoveryRule",
                "selectGroupDiscoveries",
                "countOutput",
                "sortfield",
                "sortorder",
                "limit",
                "limitSelects",
                "editable",
                "preservekeys",
                "nopermissions"});
  for (const char* key :
       {"graphids", "triggerids", "maintenanceids", "search", "selectHosts", "selectGroupDiscovery",
        "selectDiscoveryRule", "selectGroupDiscoveries"}) {
    if (given(p, key) != nullptr) {
      throw ApiError{kInternalError,
                     std::string("fake-zabbix does not implement hostgroup.get \"") + key + "\"."};
    }
  }
  std::optional<Select> output =
      parse_select(given(p, "output"), "/output", group_output_fields(), false);
  Select fields = output.value_or(Select{});
  std::vector<std::string> names;
  std::vector<std::string> flags;
  if (const ojson* filter = given(p, "filter")) {
    if (!filter->is_object() && !(filter->is_array() && filter->empty())) {
      throw_params(invalid("/filter", "an array is expected"));
    }
    if (filter->is_object()) check_fields(*filter, "/filter", {"name", "flags", "uuid"});
    if (const ojson* v = given(*filter, "name")) names = scalar_list(*v);
    if (const ojson* v = given(*filter, "flags")) flags = scalar_list(*v);
  }
  std::optional<std::vector<std::uint64_t>> groupids;
  if (const ojson* v = given(p, "groupids")) groupids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> hostids;
  if (const ojson* v = given(p, "hostids")) hostids = id_list(*v);
  bool with_hosts = truthy(given(p, "with_hosts")) || truthy(given(p, "real_hosts"));
  bool with_monitored =
      truthy(given(p, "with_monitored_hosts")) || truthy(given(p, "monitored_hosts"));
  static const std::vector<std::string_view> sort_columns = {"groupid", "name"};
  std::vector<SortKey> sort = read_sort(p, sort_columns);
  std::optional<std::size_t> limit = read_limit(p);

  std::set<std::uint64_t> used;
  std::set<std::uint64_t> used_monitored;
  std::set<std::uint64_t> of_hosts;
  if (with_hosts || with_monitored || hostids) {
    std::shared_lock lock(data_mutex_);
    for (const Host& h : hosts_) {
      if (h.deleted) continue;
      for (auto g : h.groups) {
        used.insert(g);
        if (h.status == 0) used_monitored.insert(g);
        if (hostids && std::find(hostids->begin(), hostids->end(), h.hostid) != hostids->end()) {
          of_hosts.insert(g);
        }
      }
    }
  }
  std::vector<std::uint64_t> selected;
  for (std::uint64_t id = kGroupFirst; id <= kGroupLast; ++id) {
    if (groupids && std::find(groupids->begin(), groupids->end(), id) == groupids->end()) continue;
    if (hostids && !of_hosts.contains(id)) continue;
    if (with_hosts && !used.contains(id)) continue;
    if (with_monitored && !used_monitored.contains(id)) continue;
    if (!names.empty() && !contains(names, group_name(id))) continue;
    if (!flags.empty() && !contains(flags, "0")) continue;
    selected.push_back(id);
  }
  if (truthy(given(p, "countOutput"))) return json_string(std::to_string(selected.size()));
  if (!sort.empty()) {
    std::stable_sort(selected.begin(), selected.end(), [&](std::uint64_t a, std::uint64_t b) {
      for (const SortKey& key : sort) {
        int c = key.field == "groupid" ? (a < b   ? -1
                                          : a > b ? 1
                                                  : 0)
                                       : group_name(a).compare(group_name(b));
        if (c != 0) return key.descending ? c > 0 : c < 0;
      }
      return false;
    });
  }
  if (limit && selected.size() > *limit) selected.resize(*limit);
  bool preserve = truthy(given(p, "preservekeys"));
  std::string out = preserve && !selected.empty() ? "{" : "[";
  for (std::size_t n = 0; n < selected.size(); ++n) {
    std::uint64_t id = selected[n];
    if (n > 0) out += ',';
    if (preserve) {
      append_quoted(out, std::to_string(id));
      out += ':';
    }
    out += '{';
    Members m(out);
    if (fields.wants("groupid")) m.string("groupid", std::to_string(id));
    if (fields.wants("name")) m.string("name", group_name(id));
    if (fields.wants("flags")) m.string("flags", "0");
    if (fields.wants("uuid")) m.string("uuid", uuid_of(1, id));
    out += '}';
  }
  out += preserve && !selected.empty() ? "}" : "]";
  return out;
}

std::string FakeZabbix::Impl::template_get(const ojson& params, const Snapshot& snap) {
  const ojson& p = params.is_object() ? params : empty_object();
  static const std::set<std::string, std::less<>> implemented = {
      "templateids", "hostids",   "filter", "output",   "countOutput",  "preservekeys",
      "sortfield",   "sortorder", "limit",  "editable", "nopermissions"};
  for (const auto& item : p.items()) {
    if (implemented.contains(item.key())) continue;
    if (snap.strict) throw_params(invalid("/", unexpected(item.key())));
  }
  Select fields;
  if (const ojson* output = given(p, "output")) {
    if (output->is_array()) {
      fields.extend = false;
      for (const auto& f : *output) {
        if (f.is_string()) fields.fields.push_back(f.get<std::string>());
      }
    } else if (!(output->is_string() && *output == "extend")) {
      fields.extend = false;
    }
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> terms;
  if (const ojson* filter = given(p, "filter"); filter && filter->is_object()) {
    for (const auto& item : filter->items()) {
      if (item.key() == "host" || item.key() == "name" || item.key() == "templateid") {
        if (!item.value().is_null()) terms.emplace_back(item.key(), scalar_list(item.value()));
      }
    }
  }
  std::optional<std::vector<std::uint64_t>> templateids;
  if (const ojson* v = given(p, "templateids")) templateids = id_list(*v);
  std::optional<std::set<std::uint64_t>> of_hosts;
  if (const ojson* v = given(p, "hostids")) {
    of_hosts.emplace();
    std::shared_lock lock(data_mutex_);
    for (std::uint64_t hostid : id_list(*v)) {
      if (const Host* h = find_host(hostid))
        of_hosts->insert(h->templates.begin(), h->templates.end());
    }
  }
  static const std::vector<std::string_view> sort_columns = {"hostid", "host", "name"};
  std::vector<SortKey> sort = read_sort(p, sort_columns);
  std::optional<std::size_t> limit = read_limit(p);
  std::vector<std::uint64_t> selected;
  for (std::uint64_t id = kTemplateFirst; id <= kTemplateLast; ++id) {
    if (templateids &&
        std::find(templateids->begin(), templateids->end(), id) == templateids->end()) {
      continue;
    }
    if (of_hosts && !of_hosts->contains(id)) continue;
    bool ok = true;
    for (const auto& [field, values] : terms) {
      std::string value = field == "templateid" ? std::to_string(id) : template_name(id);
      ok = ok && contains(values, value);
    }
    if (ok) selected.push_back(id);
  }
  if (truthy(given(p, "countOutput"))) return json_string(std::to_string(selected.size()));
  if (!sort.empty()) {
    std::stable_sort(selected.begin(), selected.end(), [&](std::uint64_t a, std::uint64_t b) {
      for (const SortKey& key : sort) {
        int c = key.field == "hostid" ? (a < b   ? -1
                                         : a > b ? 1
                                                 : 0)
                                      : template_name(a).compare(template_name(b));
        if (c != 0) return key.descending ? c > 0 : c < 0;
      }
      return false;
    });
  }
  if (limit && selected.size() > *limit) selected.resize(*limit);
  bool preserve = truthy(given(p, "preservekeys"));
  std::string out = preserve && !selected.empty() ? "{" : "[";
  for (std::size_t n = 0; n < selected.size(); ++n) {
    std::uint64_t id = selected[n];
    if (n > 0) out += ',';
    if (preserve) {
      append_quoted(out, std::to_string(id));
      out += ':';
    }
    out += '{';
    Members m(out);
    m.string("templateid", std::to_string(id));
    if (fields.wants("host")) m.string("host", template_name(id));
    if (fields.wants("name")) m.string("name", template_name(id));
    if (fields.wants("description")) m.string("description", "");
    if (fields.wants("status")) m.string("status", "3");
    if (fields.wants("uuid")) m.string("uuid", uuid_of(2, id));
    out += '}';
  }
  out += preserve && !selected.empty() ? "}" : "]";
  return out;
}

// =========================================================================================

FakeZabbix::FakeZabbix(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeZabbix::~FakeZabbix() = default;

std::string FakeZabbix::url() const {
  return impl_->url();
}
std::uint16_t FakeZabbix::port() const {
  return impl_->port();
}
void FakeZabbix::stop() {
  impl_->stop();
}
nlohmann::json FakeZabbix::desired_host_configs() const {
  return impl_->desired_host_configs();
}
std::vector<FakeZabbix::Drift> FakeZabbix::drifted() const {
  return impl_->drifted();
}
std::vector<std::string> FakeZabbix::missing_hosts() const {
  return impl_->missing_hosts();
}
void FakeZabbix::write_desired(const std::filesystem::path& path) const {
  impl_->write_desired(path);
}
std::string FakeZabbix::add_host(const nlohmann::json& zabbix_host) {
  return impl_->add_host(zabbix_host);
}
std::optional<nlohmann::json> FakeZabbix::host_by_name(const std::string& host) const {
  return impl_->host_by_name(host);
}
std::size_t FakeZabbix::host_count() const {
  return impl_->host_count();
}
void FakeZabbix::set_latency(std::chrono::milliseconds latency) {
  impl_->set_latency(latency);
}
void FakeZabbix::set_version(std::string version) {
  impl_->set_version(std::move(version));
}
std::string FakeZabbix::version() const {
  return impl_->version();
}
void FakeZabbix::set_token(std::string token) {
  impl_->set_token(std::move(token));
}
void FakeZabbix::expire_token_after(std::size_t calls) {
  impl_->expire_token_after(calls);
}
void FakeZabbix::fail_next(FailureKind kind, std::size_t count, std::string method) {
  impl_->add_failure(FailureRule{kind, count, std::move(method), 0});
}
void FakeZabbix::fail_after(std::size_t n_requests, FailureKind kind, std::size_t count) {
  impl_->add_failure(FailureRule{kind, count, "", n_requests});
}
void FakeZabbix::clear_failures() {
  impl_->clear_failures();
}
std::size_t FakeZabbix::requests() const {
  return impl_->requests();
}
std::size_t FakeZabbix::calls(std::string_view method) const {
  return impl_->calls(method);
}
std::size_t FakeZabbix::calls() const {
  return impl_->calls();
}
std::size_t FakeZabbix::hosts_returned() const {
  return impl_->hosts_returned();
}
std::optional<TestRequest> FakeZabbix::last_request() const {
  return impl_->last_request();
}
std::size_t FakeZabbix::max_in_flight() const {
  return impl_->max_in_flight();
}
void FakeZabbix::reset_counters() {
  impl_->reset_counters();
}

}  // namespace jobhost::testing
