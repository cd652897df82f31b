#include "config_file.h"

#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace zhs {

namespace {

// Collects the problems of one entry, each prefixed with where it is.
class EntryCheck {
 public:
  EntryCheck(std::vector<std::string>& errors, std::string file, size_t index)
      : errors_(errors), file_(std::move(file)), index_(index) {}

  void set_host(const std::string& host) { host_ = host; }

  void fail(const YAML::Node& at, const std::string& field, const std::string& what) {
    std::string where = file_;
    const YAML::Mark m = at.Mark();
    if (m.line >= 0) where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    std::string entry = "host_configs[" + std::to_string(index_) + "]";
    if (!host_.empty()) entry += " (" + host_ + ")";
    errors_.push_back(where + ": " + entry + (field.empty() ? "" : ": " + field) + ": " + what);
  }

  // A scalar as text, or nullopt (reported) when the node is not a scalar.
  std::optional<std::string> text(const YAML::Node& n, const std::string& field) {
    if (!n.IsScalar()) {
      fail(n, field, "expected a single value, got " + kind(n));
      return std::nullopt;
    }
    return n.Scalar();
  }

  // One of `names` (by name or by its Zabbix code), returning the code.
  std::optional<int> coded(const YAML::Node& n, const std::string& field,
                           const std::vector<std::pair<std::string, int>>& names) {
    auto t = text(n, field);
    if (!t) return std::nullopt;
    std::string expected;
    for (const auto& [name, code] : names) {
      if (*t == name || *t == std::to_string(code)) return code;
      expected += (expected.empty() ? "" : ", ") + name + " (" + std::to_string(code) + ")";
    }
    fail(n, field, "expected one of " + expected + ", got '" + *t + "'");
    return std::nullopt;
  }

  std::optional<std::string> id(const YAML::Node& n, const std::string& field) {
    auto t = text(n, field);
    if (!t) return std::nullopt;
    if (t->empty() || t->size() > 20 || t->find_first_not_of("0123456789") != std::string::npos) {
      fail(n, field, "expected a Zabbix id (digits), got '" + *t + "'");
      return std::nullopt;
    }
    return t;
  }

  std::optional<bool> boolean(const YAML::Node& n, const std::string& field) {
    auto t = text(n, field);
    if (!t) return std::nullopt;
    if (*t == "true" || *t == "1") return true;
    if (*t == "false" || *t == "0") return false;
    fail(n, field, "expected true or false, got '" + *t + "'");
    return std::nullopt;
  }

  static std::string kind(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Map:
        return "a map";
      case YAML::NodeType::Null:
        return "nothing";
      default:
        return "a value";
    }
  }

 private:
  std::vector<std::string>& errors_;
  std::string file_;
  size_t index_;
  std::string host_;
};

bool valid_technical_name(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ' ' || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return s.front() != ' ' && s.back() != ' ';
}

const std::vector<std::pair<std::string, int>> kStatus = {{"enabled", 0}, {"disabled", 1}};
const std::vector<std::pair<std::string, int>> kMonitoredBy = {
    {"server", 0}, {"proxy", 1}, {"proxy_group", 2}};
const std::vector<std::pair<std::string, int>> kInventory = {
    {"disabled", -1}, {"manual", 0}, {"automatic", 1}};
const std::vector<std::pair<std::string, int>> kInterfaceType = {
    {"agent", 1}, {"snmp", 2}, {"ipmi", 3}, {"jmx", 4}};
const std::set<std::string> kFields = {
    "host",          "name",           "status", "description", "monitored_by", "proxyid",
    "proxy_groupid", "inventory_mode", "groups", "templates",   "tags",         "interfaces"};

std::vector<std::string> id_list(EntryCheck& check, const YAML::Node& n, const std::string& field) {
  std::vector<std::string> out;
  if (!n.IsSequence()) {
    check.fail(n, field, "expected a list of ids, got " + EntryCheck::kind(n));
    return out;
  }
  for (size_t i = 0; i < n.size(); ++i)
    if (auto id = check.id(n[i], field + "[" + std::to_string(i) + "]")) out.push_back(*id);
  return out;
}

std::vector<Tag> tag_list(EntryCheck& check, const YAML::Node& n) {
  std::vector<Tag> out;
  if (!n.IsSequence()) {
    check.fail(n, "tags", "expected a list of {tag, value}, got " + EntryCheck::kind(n));
    return out;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    const YAML::Node t = n[i];
    if (!t.IsMap()) {
      check.fail(t, field, "expected {tag, value}, got " + EntryCheck::kind(t));
      continue;
    }
    Tag tag;
    bool ok = true;
    for (const auto& kv : t) {
      const std::string key = kv.first.Scalar();
      if (key != "tag" && key != "value") {
        check.fail(kv.first, field, "unknown field '" + key + "' (a tag has tag and value)");
        ok = false;
      }
    }
    if (!t["tag"]) {
      check.fail(t, field + ".tag", "missing");
      ok = false;
    } else if (auto v = check.text(t["tag"], field + ".tag")) {
      if (v->empty()) {
        check.fail(t["tag"], field + ".tag", "must not be empty");
        ok = false;
      }
      tag.tag = *v;
    } else {
      ok = false;
    }
    if (t["value"] && !t["value"].IsNull()) {
      if (auto v = check.text(t["value"], field + ".value"))
        tag.value = *v;
      else
        ok = false;
    }
    if (ok) out.push_back(std::move(tag));
  }
  return out;
}

std::vector<Interface> interface_list(EntryCheck& check, const YAML::Node& n) {
  std::vector<Interface> out;
  if (!n.IsSequence()) {
    check.fail(n, "interfaces", "expected a list of interfaces, got " + EntryCheck::kind(n));
    return out;
  }
  static const std::set<std::string> known = {"type", "main", "useip", "ip", "dns", "port"};
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string field = "interfaces[" + std::to_string(i) + "]";
    const YAML::Node f = n[i];
    if (!f.IsMap()) {
      check.fail(f, field,
                 "expected an interface {type, ip, port, ...}, got " + EntryCheck::kind(f));
      continue;
    }
    bool ok = true;
    for (const auto& kv : f) {
      if (!known.count(kv.first.Scalar())) {
        check.fail(kv.first, field, "unknown field '" + kv.first.Scalar() + "'");
        ok = false;
      }
    }
    Interface itf;
    if (!f["type"]) {
      check.fail(f, field + ".type", "missing (agent, snmp, ipmi or jmx)");
      ok = false;
    } else if (auto t = check.coded(f["type"], field + ".type", kInterfaceType)) {
      itf.type = *t;
    } else {
      ok = false;
    }
    if (f["main"]) {
      if (auto b = check.boolean(f["main"], field + ".main"))
        itf.main = *b;
      else
        ok = false;
    }
    if (f["useip"]) {
      if (auto b = check.boolean(f["useip"], field + ".useip"))
        itf.useip = *b;
      else
        ok = false;
    }
    for (const auto& [key, target] : {std::pair<const char*, std::string*>{"ip", &itf.ip},
                                      std::pair<const char*, std::string*>{"dns", &itf.dns},
                                      std::pair<const char*, std::string*>{"port", &itf.port}}) {
      if (!f[key] || f[key].IsNull()) continue;
      if (auto v = check.text(f[key], field + "." + key))
        *target = *v;
      else
        ok = false;
    }
    if (ok && itf.useip && itf.ip.empty()) {
      check.fail(f, field + ".ip", "missing (useip is true: Zabbix connects by IP)");
      ok = false;
    }
    if (ok && !itf.useip && itf.dns.empty()) {
      check.fail(f, field + ".dns", "missing (useip is false: Zabbix connects by DNS name)");
      ok = false;
    }
    if (ok && itf.port.empty()) {
      check.fail(f, field + ".port", "missing");
      ok = false;
    }
    if (ok && itf.port.find('{') == std::string::npos) {  // a {$MACRO} is allowed as is
      const bool digits = itf.port.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || itf.port.size() > 5 || std::stoi(itf.port) < 1 ||
          std::stoi(itf.port) > 65535) {
        check.fail(f["port"], field + ".port",
                   "expected 1..65535 or a {$MACRO}, got '" + itf.port + "'");
        ok = false;
      }
    }
    if (ok) out.push_back(std::move(itf));
  }
  // Zabbix requires exactly one main interface per type in use.
  for (int type = 1; type <= 4; ++type) {
    int of_type = 0, mains = 0;
    for (const auto& i : out) {
      if (i.type != type) continue;
      ++of_type;
      mains += i.main ? 1 : 0;
    }
    if (of_type > 0 && mains != 1)
      check.fail(n, "interfaces",
                 std::string("exactly one ") + interface_type_name(type) +
                     " interface must be main (set main: false on the others), found " +
                     std::to_string(mains));
  }
  return out;
}

std::optional<HostConfig> read_entry(EntryCheck& check, const YAML::Node& e) {
  if (!e.IsMap()) {
    check.fail(e, "", "expected a map of HostConfig fields, got " + EntryCheck::kind(e));
    return std::nullopt;
  }
  HostConfig c;
  bool ok = true;
  if (!e["host"]) {
    check.fail(e, "host", "missing (the host's technical name in Zabbix)");
    ok = false;
  } else if (auto h = check.text(e["host"], "host")) {
    if (!valid_technical_name(*h)) {
      check.fail(e["host"], "host",
                 "'" + *h +
                     "' is not a valid technical name (1-128 letters, digits, spaces, '.', '_', "
                     "'-'; no leading or trailing space)");
      ok = false;
    }
    c.host = *h;
    check.set_host(*h);
  } else {
    ok = false;
  }
  for (const auto& kv : e) {
    const std::string key = kv.first.Scalar();
    if (!kFields.count(key)) {
      check.fail(kv.first, key,
                 "unknown field (known: host, name, status, description, "
                 "monitored_by, proxyid, proxy_groupid, inventory_mode, groups, "
                 "templates, tags, interfaces)");
      ok = false;
    }
  }
  c.name = c.host;
  if (e["name"]) {
    if (auto v = check.text(e["name"], "name")) {
      if (v->size() > 128) {
        check.fail(e["name"], "name", "longer than 128 characters");
        ok = false;
      } else if (!v->empty()) {
        c.name = *v;
      }
    } else {
      ok = false;
    }
  }
  auto code = [&](const char* field, const auto& names, int& target) {
    if (!e[field]) return;
    if (auto v = check.coded(e[field], field, names))
      target = *v;
    else
      ok = false;
  };
  code("status", kStatus, c.status);
  code("monitored_by", kMonitoredBy, c.monitored_by);
  code("inventory_mode", kInventory, c.inventory_mode);
  if (e["description"] && !e["description"].IsNull()) {
    if (auto v = check.text(e["description"], "description"))
      c.description = *v;
    else
      ok = false;
  }
  for (const auto& [field, target] :
       {std::pair<const char*, std::string*>{"proxyid", &c.proxyid},
        std::pair<const char*, std::string*>{"proxy_groupid", &c.proxy_groupid}}) {
    if (!e[field]) continue;
    if (auto v = check.id(e[field], field))
      *target = *v;
    else
      ok = false;
  }
  if (c.monitored_by == 1 && c.proxyid == "0") {
    check.fail(e, "proxyid", "required when monitored_by is proxy");
    ok = false;
  }
  if (c.monitored_by == 2 && c.proxy_groupid == "0") {
    check.fail(e, "proxy_groupid", "required when monitored_by is proxy_group");
    ok = false;
  }
  if (!e["groups"]) {
    check.fail(e, "groups", "missing (Zabbix requires at least one host group id)");
    ok = false;
  } else {
    c.groups = id_list(check, e["groups"], "groups");
    if (e["groups"].IsSequence() && e["groups"].size() == 0) {
      check.fail(e["groups"], "groups", "empty (Zabbix requires at least one host group id)");
      ok = false;
    }
  }
  if (e["templates"] && !e["templates"].IsNull())
    c.templates = id_list(check, e["templates"], "templates");
  if (e["tags"] && !e["tags"].IsNull()) c.tags = tag_list(check, e["tags"]);
  if (e["interfaces"] && !e["interfaces"].IsNull())
    c.interfaces = interface_list(check, e["interfaces"]);
  if (!ok) return std::nullopt;
  c.canonicalize();
  return c;
}

}  // namespace

ConfigFileResult parse_config_text(const std::string& text, const std::string& name) {
  ConfigFileResult r;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    r.errors.push_back(name + ":" + std::to_string(e.mark.line + 1) + ":" +
                       std::to_string(e.mark.column + 1) + ": not valid YAML or JSON: " + e.msg);
    return r;
  }
  YAML::Node list = root;
  if (root.IsMap()) {
    list = root["host_configs"];
    if (!list) {
      r.errors.push_back(name + ": expected a list of HostConfigs or a map with `host_configs:`");
      return r;
    }
  }
  if (!list.IsSequence()) {
    r.errors.push_back(name + ": host_configs: expected a list, got " + EntryCheck::kind(list));
    return r;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    const size_t errors_before = r.errors.size();
    EntryCheck check(r.errors, name, i);
    auto c = read_entry(check, list[i]);
    if (c && !seen.insert(c->host).second) {
      check.fail(list[i]["host"], "host", "'" + c->host + "' appears more than once in the file");
      c.reset();
    }
    if (c && r.errors.size() == errors_before) r.configs.push_back(std::move(*c));
  }
  return r;
}

ConfigFileResult read_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigFileResult r;
    r.errors.push_back(path + ": cannot open the file (does it exist and can the host read it?)");
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config_text(text.str(), path);
}

}  // namespace zhs
