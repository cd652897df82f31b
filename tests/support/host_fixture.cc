#include "support/host_fixture.h"

#include <fstream>

#include "config/loader.h"

namespace jobhost::testing {

std::string test_plugin(const std::string& name) {
  return std::string(JOBHOST_BINARY_DIR) + "/test-plugins/" + name + ".so";
}

std::string built_plugin(const std::string& name) {
  return std::string(JOBHOST_BINARY_DIR) + "/lib/jobhost/plugins/" + name + ".so";
}

namespace {

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

}  // namespace

std::string host_yaml(const HostSetup& s) {
  std::string y = "host:\n  name: " + s.host_name + "\nstore:\n";
  if (s.store.kind == StoreKind::sqlite)
    y += "  driver: sqlite\n  path: " + quoted(s.store.location) + "\n";
  else
    y += "  driver: postgresql\n  connection: " + quoted(s.store.location) + "\n";
  y += "workers: " + std::to_string(s.workers) + "\n";
  y += std::string("event_log: ") + (s.event_log ? "true" : "false") + "\n";
  y += "log:\n  level: warn\n";
  if (!s.http_yaml.empty()) y += "http:\n" + s.http_yaml;
  if (!s.plugin_dirs.empty()) {
    y += "plugin_dirs:\n";
    for (const auto& d : s.plugin_dirs) y += "  - " + quoted(d) + "\n";
  }
  y += "plugin_files:\n";
  for (const auto& f : s.plugin_files) y += "  - " + quoted(f) + "\n";
  if (s.plugin_files.empty()) y += "  []\n";
  if (!s.plugins_yaml.empty()) y += "plugins:\n" + s.plugins_yaml;
  // "plugin_files:\n  []" is not valid YAML; write the flow form instead.
  auto pos = y.find("plugin_files:\n  []\n");
  if (pos != std::string::npos) y.replace(pos, 19, "plugin_files: []\n");
  return y;
}

std::string write_host_config(const HostSetup& setup, const std::string& dir) {
  const std::string path = dir + "/jobhost.yaml";
  std::ofstream(path) << host_yaml(setup);
  return path;
}

std::unique_ptr<Host> open_test_host(const HostSetup& setup) {
  return Host::open(config::load_config_string(host_yaml(setup), "test.yaml"));
}

std::string refusal_for(const Host& host, const std::string& file_suffix) {
  for (const auto& r : host.refusals()) {
    if (r.file.size() >= file_suffix.size() &&
        r.file.compare(r.file.size() - file_suffix.size(), file_suffix.size(), file_suffix) == 0)
      return r.reason;
  }
  return "";
}

}  // namespace jobhost::testing
