#include "fakes/zabbix/frontend.h"

#include <cstddef>
#include <utility>
#include <vector>

#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// The JSON-RPC envelope (CJsonRpc): one call or a batch, each call validated before it is
// dispatched, notifications (calls without an id) never answered.
namespace jobhost::testing::fake_zabbix {

// CJsonRpc::execute
std::string Frontend::process(const ojson& body, const CallContext& context) {
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
std::optional<std::string> Frontend::execute_call(const ojson& call, const CallContext& context) {
  const ApiVersion& version = context.settings.version;
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

}  // namespace jobhost::testing::fake_zabbix
