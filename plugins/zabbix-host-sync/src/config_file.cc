#include "config_file.h"

#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/yaml.h>

namespace zhs {

namespace {

// Where each node of a YAML document is, by JSON pointer ("/host_configs/3/status"). JSON
// files are parsed without one: nlohmann gives no node positions, and a 100,000-host file
// through yaml-cpp costs gigabytes; their messages name the entry and field instead.
using Positions = std::unordered_map<std::string, std::pair<int, int>>;

// A YAML document as JSON (scalars stay text: the checks below read them as the user wrote
// them), recording positions.
nlohmann::json yaml_to_json(const YAML::Node& n, const std::string& pointer, Positions& at) {
  if (n.Mark().line >= 0) at[pointer] = {n.Mark().line + 1, n.Mark().column + 1};
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& kv : n) {
        const std::string key = kv.first.Scalar();
        const std::string child = pointer + "/" + key;
        if (kv.first.Mark().line >= 0)
          at[child + "#key"] = {kv.first.Mark().line + 1, kv.first.Mark().column + 1};
        o[key] = yaml_to_json(kv.second, child, at);
      }
      return o;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      for (size_t i = 0; i < n.size(); ++i)
        a.push_back(yaml_to_json(n[i], pointer + "/" + std::to_string(i), at));
      return a;
    }
    case YAML::NodeType::Scalar:
      return n.Scalar();
    default:
      return nullptr;
  }
}

std::string kind(const nlohmann::json& n) {
  if (n.is_array()) return "a list";
  if (n.is_object()) return "a map";
  if (n.is_null()) return "nothing";
  return "a value";
}

// Collects the problems of one entry, each prefixed with where it is.
class EntryCheck {
 public:
  EntryCheck(std::vector<std::string>& errors, const std::string& file, const Positions& at,
             size_t index, std::string pointer)
      : errors_(errors), file_(file), at_(at), index_(index), pointer_(std::move(pointer)) {}

  void set_host(const std::string& host) { host_ = host; }
  const std::string& pointer() const { return pointer_; }

  // `path` is relative to the entry ("status", "interfaces/0/port"; "" the entry itself).
  void fail(const std::string& path, const std::string& field, const std::string& what) {
    std::string where = file_;
    const std::string p = path.empty() ? pointer_ : pointer_ + "/" + path;
    auto it = at_.find(p);
    if (it == at_.end()) it = at_.find(p + "#key");
    if (it != at_.end())
      where += ":" + std::to_string(it->second.first) + ":" + std::to_string(it->second.second);
    std::string entry = "host_configs[" + std::to_string(index_) + "]";
    if (!host_.empty()) entry += " (" + host_ + ")";
    errors_.push_back(where + ": " + entry + (field.empty() ? "" : ": " + field) + ": " + what);
  }

  // A single value as text (numbers and booleans as written), or nullopt (reported).
  std::optional<std::string> text(const nlohmann::json& n, const std::string& path,
                                  const std::string& field) {
    if (n.is_string()) return n.get<std::string>();
    if (n.is_boolean()) return n.get<bool>() ? "true" : "false";
    if (n.is_number_integer()) return std::to_string(n.get<int64_t>());
    if (n.is_number()) return n.dump();
    fail(path, field, "expected a single value, got " + kind(n));
    return std::nullopt;
  }

  // One of `names` (by name or by its Zabbix code), returning the code.
  std::optional<int> coded(const nlohmann::json& n, const std::string& path,
                           const std::vector<std::pair<std::string, int>>& names) {
    auto t = text(n, path, path);
    if (!t) return std::nullopt;
    std::string expected;
    for (const auto& [name, code] : names) {
      if (*t == name || *t == std::to_string(code)) return code;
      expected += (expected.empty() ? "" : ", ") + name + " (" + std::to_string(code) + ")";
    }
    fail(path, path, "expected one of " + expected + ", got '" + *t + "'");
    return std::nullopt;
  }

  std::optional<std::string> id(const nlohmann::json& n, const std::string& path,
                                const std::string& field) {
    auto t = text(n, path, field);
    if (!t) return std::nullopt;
    if (t->empty() || t->size() > 20 || t->find_first_not_of("0123456789") != std::string::npos) {
      fail(path, field, "expected a Zabbix id (digits), got '" + *t + "'");
      return std::nullopt;
    }
    return t;
  }

  std::optional<bool> boolean(const nlohmann::json& n, const std::string& path,
                              const std::string& field) {
    auto t = text(n, path, field);
    if (!t) return std::nullopt;
    if (*t == "true" || *t == "1") return true;
    if (*t == "false" || *t == "0") return false;
    fail(path, field, "expected true or false, got '" + *t + "'");
    return std::nullopt;
  }

 private:
  std::vector<std::string>& errors_;
  const std::string& file_;
  const Positions& at_;
  size_t index_;
  std::string pointer_;
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

bool present(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && !it->is_null();
}

std::vector<std::string> id_list(EntryCheck& check, const nlohmann::json& n,
                                 const std::string& field) {
  std::vector<std::string> out;
  if (!n.is_array()) {
    check.fail(field, field, "expected a list of ids, got " + kind(n));
    return out;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string path = field + "/" + std::to_string(i);
    if (auto id = check.id(n[i], path, field + "[" + std::to_string(i) + "]")) out.push_back(*id);
  }
  return out;
}

std::vector<Tag> tag_list(EntryCheck& check, const nlohmann::json& n) {
  std::vector<Tag> out;
  if (!n.is_array()) {
    check.fail("tags", "tags", "expected a list of {tag, value}, got " + kind(n));
    return out;
  }
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    const std::string path = "tags/" + std::to_string(i);
    const nlohmann::json& t = n[i];
    if (!t.is_object()) {
      check.fail(path, field, "expected {tag, value}, got " + kind(t));
      continue;
    }
    Tag tag;
    bool ok = true;
    for (const auto& [key, value] : t.items()) {
      if (key != "tag" && key != "value") {
        check.fail(path + "/" + key, field,
                   "unknown field '" + key + "' (a tag has tag and value)");
        ok = false;
      }
    }
    if (!present(t, "tag")) {
      check.fail(path, field + ".tag", "missing");
      ok = false;
    } else if (auto v = check.text(t["tag"], path + "/tag", field + ".tag")) {
      if (v->empty()) {
        check.fail(path + "/tag", field + ".tag", "must not be empty");
        ok = false;
      }
      tag.tag = *v;
    } else {
      ok = false;
    }
    if (present(t, "value")) {
      if (auto v = check.text(t["value"], path + "/value", field + ".value"))
        tag.value = *v;
      else
        ok = false;
    }
    if (ok) out.push_back(std::move(tag));
  }
  return out;
}

std::vector<Interface> interface_list(EntryCheck& check, const nlohmann::json& n) {
  std::vector<Interface> out;
  if (!n.is_array()) {
    check.fail("interfaces", "interfaces", "expected a list of interfaces, got " + kind(n));
    return out;
  }
  static const std::set<std::string> known = {"type", "main", "useip", "ip", "dns", "port"};
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string field = "interfaces[" + std::to_string(i) + "]";
    const std::string path = "interfaces/" + std::to_string(i);
    const nlohmann::json& f = n[i];
    if (!f.is_object()) {
      check.fail(path, field, "expected an interface {type, ip, port, ...}, got " + kind(f));
      continue;
    }
    bool ok = true;
    for (const auto& [key, value] : f.items()) {
      if (!known.count(key)) {
        check.fail(path + "/" + key, field, "unknown field '" + key + "'");
        ok = false;
      }
    }
    Interface itf;
    if (!present(f, "type")) {
      check.fail(path, field + ".type", "missing (agent, snmp, ipmi or jmx)");
      ok = false;
    } else if (auto t = check.coded(f["type"], path + "/type", kInterfaceType)) {
      itf.type = *t;
    } else {
      ok = false;
    }
    for (const auto& [key, target] : {std::pair<const char*, bool*>{"main", &itf.main},
                                      std::pair<const char*, bool*>{"useip", &itf.useip}}) {
      if (!present(f, key)) continue;
      if (auto b = check.boolean(f[key], path + "/" + key, field + "." + key))
        *target = *b;
      else
        ok = false;
    }
    for (const auto& [key, target] : {std::pair<const char*, std::string*>{"ip", &itf.ip},
                                      std::pair<const char*, std::string*>{"dns", &itf.dns},
                                      std::pair<const char*, std::string*>{"port", &itf.port}}) {
      if (!present(f, key)) continue;
      if (auto v = check.text(f[key], path + "/" + key, field + "." + key))
        *target = *v;
      else
        ok = false;
    }
    if (ok && itf.useip && itf.ip.empty()) {
      check.fail(path, field + ".ip", "missing (useip is true: Zabbix connects by IP)");
      ok = false;
    }
    if (ok && !itf.useip && itf.dns.empty()) {
      check.fail(path, field + ".dns", "missing (useip is false: Zabbix connects by DNS name)");
      ok = false;
    }
    if (ok && itf.port.empty()) {
      check.fail(path, field + ".port", "missing");
      ok = false;
    }
    if (ok && itf.port.find('{') == std::string::npos) {  // a {$MACRO} is allowed as is
      const bool digits = itf.port.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || itf.port.size() > 5 || std::stoi(itf.port) < 1 ||
          std::stoi(itf.port) > 65535) {
        check.fail(path + "/port", field + ".port",
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
      check.fail("interfaces", "interfaces",
                 std::string("exactly one ") + interface_type_name(type) +
                     " interface must be main (set main: false on the others), found " +
                     std::to_string(mains));
  }
  return out;
}

std::optional<HostConfig> read_entry(EntryCheck& check, const nlohmann::json& e) {
  if (!e.is_object()) {
    check.fail("", "", "expected a map of HostConfig fields, got " + kind(e));
    return std::nullopt;
  }
  HostConfig c;
  if (!present(e, "host")) {
    check.fail("", "host", "missing (the host's technical name in Zabbix)");
  } else if (auto h = check.text(e["host"], "host", "host")) {
    check.set_host(*h);
    if (!valid_technical_name(*h))
      check.fail("host", "host",
                 "'" + *h +
                     "' is not a valid technical name (1-128 letters, digits, spaces, '.', '_', "
                     "'-'; no leading or trailing space)");
    c.host = *h;
  }
  for (const auto& [key, value] : e.items())
    if (!kFields.count(key))
      check.fail(key, key,
                 "unknown field (known: host, name, status, description, monitored_by, "
                 "proxyid, proxy_groupid, inventory_mode, groups, templates, tags, interfaces)");
  c.name = c.host;
  if (present(e, "name")) {
    if (auto v = check.text(e["name"], "name", "name")) {
      if (v->size() > 128)
        check.fail("name", "name", "longer than 128 characters");
      else if (!v->empty())
        c.name = *v;
    }
  }
  auto code = [&](const char* field, const auto& names, int& target) {
    if (!present(e, field)) return;
    if (auto v = check.coded(e[field], field, names)) target = *v;
  };
  code("status", kStatus, c.status);
  code("monitored_by", kMonitoredBy, c.monitored_by);
  code("inventory_mode", kInventory, c.inventory_mode);
  if (present(e, "description")) {
    if (auto v = check.text(e["description"], "description", "description")) c.description = *v;
  }
  for (const auto& [field, target] :
       {std::pair<const char*, std::string*>{"proxyid", &c.proxyid},
        std::pair<const char*, std::string*>{"proxy_groupid", &c.proxy_groupid}}) {
    if (!present(e, field)) continue;
    if (auto v = check.id(e[field], field, field)) *target = *v;
  }
  if (c.monitored_by == 1 && c.proxyid == "0")
    check.fail("", "proxyid", "required when monitored_by is proxy");
  if (c.monitored_by == 2 && c.proxy_groupid == "0")
    check.fail("", "proxy_groupid", "required when monitored_by is proxy_group");
  if (!present(e, "groups")) {
    check.fail("", "groups", "missing (Zabbix requires at least one host group id)");
  } else {
    c.groups = id_list(check, e["groups"], "groups");
    if (e["groups"].is_array() && e["groups"].empty())
      check.fail("groups", "groups", "empty (Zabbix requires at least one host group id)");
  }
  if (present(e, "templates")) c.templates = id_list(check, e["templates"], "templates");
  if (present(e, "tags")) c.tags = tag_list(check, e["tags"]);
  if (present(e, "interfaces")) c.interfaces = interface_list(check, e["interfaces"]);
  c.canonicalize();
  return c;
}

}  // namespace

namespace {

// Checks entries one by one, keeping the valid configs and every problem.
class EntryCollector {
 public:
  EntryCollector(ConfigFileResult& r, const std::string& name, const Positions& at)
      : r_(r), name_(name), at_(at) {}

  void add(const nlohmann::json& entry, const std::string& list_pointer) {
    const size_t index = next_++;
    const size_t errors_before = r_.errors.size();
    EntryCheck check(r_.errors, name_, at_, index, list_pointer + "/" + std::to_string(index));
    auto c = read_entry(check, entry);
    if (c && !c->host.empty() && !seen_.insert(c->host).second)
      check.fail("host", "host", "'" + c->host + "' appears more than once in the file");
    if (c && r_.errors.size() == errors_before && r_.errors.empty())
      r_.configs.push_back(std::move(*c));
  }

 private:
  ConfigFileResult& r_;
  const std::string& name_;
  const Positions& at_;
  size_t next_ = 0;
  std::set<std::string> seen_;
};

bool check_list_shape(ConfigFileResult& r, const nlohmann::json& root, const std::string& name,
                      const nlohmann::json*& list, std::string& pointer) {
  list = &root;
  if (root.is_object()) {
    auto it = root.find("host_configs");
    if (it == root.end()) {
      r.errors.push_back(name + ": expected a list of HostConfigs or a map with `host_configs:`");
      return false;
    }
    list = &*it;
    pointer = "/host_configs";
  }
  if (!list->is_array()) {
    r.errors.push_back(name + ": host_configs: expected a list, got " + kind(*list));
    return false;
  }
  return true;
}

// A JSON file: each entry is checked as soon as it is parsed and then dropped, so a file of
// 100,000 HostConfigs never sits in memory as a document.
void parse_json(ConfigFileResult& r, const std::string& text, const std::string& name) {
  using Event = nlohmann::json::parse_event_t;
  const Positions none;
  EntryCollector entries(r, name, none);
  int entry_depth = -1;  // depth of the list's elements: 1 for a top-level list, 2 in a map
  std::string pointer;
  auto on_event = [&](int depth, Event event, nlohmann::json& parsed) {
    if (depth == 0 && event == Event::array_start) entry_depth = 1;
    if (depth == 1 && event == Event::key) {
      const bool ours = parsed == "host_configs";
      entry_depth = ours ? 2 : -1;
      pointer = ours ? "/host_configs" : "";
    }
    if (depth != entry_depth) return true;
    const bool done =
        event == Event::object_end || event == Event::array_end || event == Event::value;
    if (!done) return true;
    entries.add(parsed, pointer);
    return false;  // checked: not kept in the document
  };
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text, on_event);
  } catch (const nlohmann::json::parse_error& e) {
    r.configs.clear();
    // nlohmann's message has the line and column.
    r.errors.push_back(name + ": not valid JSON: " + e.what());
    return;
  }
  const nlohmann::json* list = nullptr;
  check_list_shape(r, root, name, list, pointer);
}

}  // namespace

ConfigFileResult parse_config_text(const std::string& text, const std::string& name) {
  ConfigFileResult r;
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (text[first] == '{' || text[first] == '[')) {
    parse_json(r, text, name);
  } else {
    Positions at;
    nlohmann::json root;
    try {
      root = yaml_to_json(YAML::Load(text), "", at);
    } catch (const YAML::Exception& e) {
      r.errors.push_back(name + ":" + std::to_string(e.mark.line + 1) + ":" +
                         std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
      return r;
    }
    const nlohmann::json* list = nullptr;
    std::string pointer;
    if (check_list_shape(r, root, name, list, pointer)) {
      EntryCollector entries(r, name, at);
      for (const auto& entry : *list) entries.add(entry, pointer);
    }
  }
  if (!r.errors.empty()) r.configs.clear();
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
