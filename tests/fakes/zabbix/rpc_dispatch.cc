#include "fakes/zabbix/frontend.h"

#include <functional>
#include <map>
#include <set>

#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// CLocalApiClient: which method a call names, whether it needs credentials and which it
// carries, then the method itself.
namespace jobhost::testing::fake_zabbix {
namespace {

// Which APIs exist in real Zabbix: a method of one the fake leaves out answers -32603, of an
// unknown one -32601, as a client would see it.
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

// Where a call's credentials came from (CJsonRpc::AUTH_TYPE_*).
enum class AuthSource { cookie, header, param };

}  // namespace

std::string Frontend::dispatch(const std::string& api, const std::string& method,
                               const std::string& api_sent, const std::string& method_sent,
                               const ojson& call, const CallContext& context) {
  const RequestSettings& settings = context.settings;
  if (!real_apis().contains(api)) {
    throw ApiError{kMethodNotFound, "Incorrect API \"" + api_sent + "\"."};
  }
  auto methods = real_methods().find(api);
  if (methods != real_methods().end() && !methods->second.contains(method)) {
    throw ApiError{kMethodNotFound, "Incorrect method \"" + api_sent + "." + method_sent + "\"."};
  }
  std::string name = api + "." + method;
  counters_.count_call(name);

  // Where the credentials come from: the Bearer header first, then (up to 7.0) the body.
  AuthSource source = AuthSource::cookie;
  std::optional<std::string> auth;
  std::string header = context.request.header("authorization");
  if (header.rfind("Bearer ", 0) == 0 && header.size() > 7) {
    source = AuthSource::header;
    auth = header.substr(7);
  } else if (const ojson* body_auth = member(call, "auth"); body_auth && !settings.version.v72()) {
    source = AuthSource::param;
    if (body_auth->is_string()) auth = body_auth->get<std::string>();
  }
  bool needs_auth = !((api == "user" && (method == "login" || method == "checkauthentication")) ||
                      (api == "apiinfo" && method == "version"));
  if (!needs_auth) {
    if (source != AuthSource::cookie && auth.has_value()) {
      throw_params("The \"" + api_sent + "." + method_sent + "\" method must be called without " +
                   (settings.version.v72() ? "authorization header." : "the \"auth\" parameter."));
    }
  } else {
    credentials_.authenticate(auth);
  }

  const ojson& params = *member(call, "params");
  if (name == "apiinfo.version") return apiinfo_version(params, settings);
  if (name == "user.login") return user_login(params);
  if (name == "user.logout") return user_logout(auth);
  if (name == "user.checkauthentication") return user_check_authentication(params);
  if (name == "host.get") return host_get(params, settings);
  if (name == "host.create") return host_create(params, settings);
  if (name == "host.update") return host_update(params, settings);
  if (name == "host.delete") return host_delete(params);
  if (name == "hostgroup.get") return hostgroup_get(params);
  if (name == "template.get") return template_get(params, settings);
  throw ApiError{kInternalError, "fake-zabbix does not implement \"" + name + "\"."};
}

}  // namespace jobhost::testing::fake_zabbix
