#include "fakes/zabbix/frontend.h"

#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// The methods a client calls around its real work: apiinfo.version to pick its rules, and
// user.login/logout/checkAuthentication for sessions (the API token needs none of them).
namespace jobhost::testing::fake_zabbix {

std::string Frontend::apiinfo_version(const ojson& params, const RequestSettings& settings) {
  if (params.is_object()) check_fields(params, "/", {});
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  return json_string(settings.version_text);
}

std::string Frontend::user_login(const ojson& params) {
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
  std::string session = credentials_.open_session();
  return user_data ? user_object(session) : json_string(session);
}

std::string Frontend::user_object(const std::string& sessionid) const {
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

std::string Frontend::user_logout(const std::optional<std::string>& auth) {
  credentials_.end_session(auth);
  return "true";
}

std::string Frontend::user_check_authentication(const ojson& params) {
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  const ojson& p = params.is_object() ? params : empty_object();
  check_fields(p, "/", {"sessionid", "token", "extend"});
  const ojson* sessionid = member(p, "sessionid");
  const ojson* token = member(p, "token");
  if (sessionid == nullptr && token == nullptr) throw_params(invalid("/", missing("sessionid")));
  if (token != nullptr) {
    std::string value = get_string(*token, "/token");
    if (!credentials_.is_token(value)) throw_params("Not authorized.");
    return user_object(value);
  }
  std::string value = get_string(*sessionid, "/sessionid");
  if (!credentials_.is_open_session(value)) {
    throw_params("Session terminated, re-login, please.");
  }
  return user_object(value);
}

}  // namespace jobhost::testing::fake_zabbix
