// docs/troubleshooting.md lists every refusal and validation message an operator can meet.
// This test reads the page and provokes each message it lists, mostly through the real
// `jobhost` binary (the remote failures against the fake Zabbix, Meraki and Kubernetes
// servers): a page entry without a provocation, a provocation without a page entry, and a
// message whose text no longer matches the page all fail.
//
// The page's convention: `<!-- id: NAME -->` before a fenced block holding the message;
// `<...>` in the block matches any text within a line, a line that is only `...` any lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_harness.h"
#include "fakes/kubernetes/fake_kubernetes.h"
#include "fakes/meraki/fake_meraki.h"
#include "fakes/zabbix/fake_zabbix.h"
#include "support/pg_server.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::describe;
using testing::test_plugin;

struct PageEntry {
  std::string id;
  std::string message;  // the fenced block's lines, joined by '\n'
  int line = 0;         // of the id comment, for failure messages
};

std::string page_path() {
  return std::string(JOBHOST_SOURCE_DIR) + "/docs/troubleshooting.md";
}

// Every `<!-- id: NAME -->` with the fenced block that follows it.
std::vector<PageEntry> read_page() {
  std::ifstream in(page_path());
  std::vector<PageEntry> entries;
  const std::regex id_comment(R"(^<!-- id: ([a-z0-9-]+) -->\s*$)");
  std::optional<PageEntry> pending;
  bool in_block = false;
  std::vector<std::string> block;
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::smatch m;
    if (!in_block && std::regex_match(line, m, id_comment)) {
      if (pending) ADD_FAILURE() << "id " << pending->id << " has no fenced block";
      pending = PageEntry{m[1].str(), "", number};
      continue;
    }
    if (line.starts_with("```")) {
      if (!in_block) {
        in_block = true;
        block.clear();
        continue;
      }
      in_block = false;
      if (pending) {
        for (size_t i = 0; i < block.size(); ++i) pending->message += (i ? "\n" : "") + block[i];
        entries.push_back(*pending);
        pending.reset();
      }
      continue;
    }
    if (in_block) block.push_back(line);
  }
  if (pending) ADD_FAILURE() << "id " << pending->id << " has no fenced block";
  return entries;
}

std::string escaped(const std::string& text) {
  static const std::string special = R"(\^$.|?*+()[]{})";
  std::string out;
  for (char c : text) {
    if (special.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// The page's message as a regular expression: `<...>` any text within a line, a `...` line
// any number of lines, the rest literally.
std::regex pattern_of(const std::string& message) {
  std::string pattern;
  std::istringstream lines(message);
  bool first = true;
  for (std::string line; std::getline(lines, line);) {
    if (line == "...") {
      pattern += "(?:\\n[^\\n]*)*?";
      continue;
    }
    if (!first) pattern += "\\n";
    first = false;
    size_t at = 0;
    while (at < line.size()) {
      const size_t open = line.find('<', at);
      const size_t close = open == std::string::npos ? open : line.find('>', open);
      if (open == std::string::npos || close == std::string::npos) {
        pattern += escaped(line.substr(at));
        break;
      }
      pattern += escaped(line.substr(at, open - at)) + "[^\\n]*?";
      at = close + 1;
    }
  }
  return std::regex(pattern);
}

// What the user sees: stdout, then stderr.
std::string seen(const std::vector<std::string>& args, const testing::RunResult& r) {
  return "$ jobhost " + ::testing::PrintToString(args) + " (exit code " +
         std::to_string(r.exit_code) + ")\n" + r.out + "\n" + r.err;
}

std::string run_cli(const Cli& cli, const std::vector<std::string>& args) {
  return seen(args, cli.run(args));
}

// `jobhost plugins` with testkit and `others`, and `plugins_yaml` as the plugins: section.
std::string plugins_with(const std::vector<std::string>& others,
                         const std::string& plugins_yaml = "",
                         const std::vector<std::string>& dirs = {}) {
  testing::HostSetup setup = testing::sqlite_setup("troubleshooting-plugins");
  for (const auto& o : others) setup.plugin_files.push_back(o);
  setup.plugin_dirs = dirs;
  setup.plugins_yaml = plugins_yaml;
  Cli cli(setup);
  return run_cli(cli, {"plugins"});
}

std::string config_check(const std::string& yaml) {
  testing::TempDir dir("jobhost-troubleshooting");
  const std::string file = dir.file("jobhost.yaml").string();
  std::ofstream(file) << yaml;
  const std::vector<std::string> args = {"config", "check", file};
  return seen(args, testing::run_jobhost(args));
}

std::string testkit_command(const std::vector<std::string>& args) {
  Cli cli(testing::sqlite_setup("troubleshooting-jobs"));
  return run_cli(cli, args);
}

std::string writable_plugin_file() {
  testing::TempDir dir("jobhost-troubleshooting");
  const auto copy = dir.file("frozen_v1.so");
  std::filesystem::copy_file(test_plugin("frozen_v1"), copy);
  std::filesystem::permissions(copy, std::filesystem::perms::others_write,
                               std::filesystem::perm_options::add);
  return plugins_with({copy.string()});
}

std::string writable_plugin_dir() {
  testing::TempDir dir("jobhost-troubleshooting");
  const auto plugins = dir.file("plugins");
  std::filesystem::create_directory(plugins);
  std::filesystem::copy_file(test_plugin("frozen_v1"), plugins / "frozen_v1.so");
  std::filesystem::permissions(plugins, std::filesystem::perms::all);
  return plugins_with({}, "", {plugins.string()});
}

// As root the copy is given to gid 1 (daemon): root's own group may write plugins.
std::string group_writable_plugin_file() {
  testing::TempDir dir("jobhost-troubleshooting");
  const auto copy = dir.file("frozen_v1.so");
  std::filesystem::copy_file(test_plugin("frozen_v1"), copy);
  if (::geteuid() == 0) {
    EXPECT_EQ(::chown(copy.c_str(), 0, 1), 0) << copy;
  }
  std::filesystem::permissions(copy, std::filesystem::perms::group_write,
                               std::filesystem::perm_options::add);
  return plugins_with({copy.string()});
}
// A plugin file another user owns: only root can give one away (to uid 1, daemon).
std::optional<std::string> foreign_owned_plugin_file() {
  if (::geteuid() != 0) return std::nullopt;
  testing::TempDir dir("jobhost-troubleshooting");
  const auto copy = dir.file("frozen_v1.so");
  std::filesystem::copy_file(test_plugin("frozen_v1"), copy);
  EXPECT_EQ(::chown(copy.c_str(), 1, 0), 0) << copy;
  return plugins_with({copy.string()});
}
// Descriptors the SDK never produces: NULL, too small for the version prefix, and a job type
// outside the plugin's namespace.
std::string malformed_plugins() {
  return plugins_with(
      {test_plugin("returns_null"), test_plugin("small_struct"), test_plugin("ns_foreign")});
}
// A running PostgreSQL that refuses the login: a database and a role that do not exist.
std::optional<std::string> postgresql_refusing_login() {
  if (!testing::postgres_available() && !testing::running_in_ci()) return std::nullopt;
  testing::PgServer& server = testing::shared_pg_server();
  std::string shown;
  for (const std::string& connection :
       {server.connection_string("no_such_database"),
        "host=127.0.0.1 port=" + std::to_string(server.port()) + " dbname=jobhost user=nobody"}) {
    testing::HostSetup setup;
    setup.store = {testing::StoreKind::postgresql, connection};
    setup.plugin_files = {test_plugin("testkit")};
    Cli cli(setup);
    shown += run_cli(cli, {"jobs"}) + "\n";
  }
  return shown;
}
std::string sqlite_store_in(const std::string& path) {
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, path};
  setup.plugin_files = {test_plugin("testkit")};
  Cli cli(setup);
  return run_cli(cli, {"jobs"});
}

// A directory jobhost may not write into: read-only for a normal user, and for root (who
// may write anywhere) /proc, where no file can be created.
std::string sqlite_store_in_readonly_dir() {
  if (::geteuid() == 0) return sqlite_store_in("/proc/jobhost-troubleshooting.db");
  testing::TempDir dir("jobhost-troubleshooting");
  const auto readonly = dir.file("readonly");
  std::filesystem::create_directory(readonly);
  std::filesystem::permissions(
      readonly, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto out = sqlite_store_in((readonly / "jobhost.db").string());
  std::filesystem::permissions(readonly, std::filesystem::perms::owner_all);
  return out;
}

std::string postgresql_not_answering() {
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::postgresql,
                 "host=127.0.0.1 port=" + std::to_string(testing::closed_port()) +
                     " dbname=jobhost user=postgres password=secret connect_timeout=5"};
  setup.plugin_files = {test_plugin("testkit")};
  Cli cli(setup);
  return run_cli(cli, {"jobs"});
}

// `run-now TYPE params...` with one of the real plugins and its `section` in plugins:.
std::string run_plugin(const std::string& plugin, const std::string& section,
                       const std::vector<std::string>& run_args) {
  testing::HostSetup setup = testing::sqlite_setup("troubleshooting-remote");
  setup.plugin_files = {testing::built_plugin(plugin)};
  setup.plugins_yaml = section;
  Cli cli(setup);
  std::vector<std::string> args = {"run-now"};
  args.insert(args.end(), run_args.begin(), run_args.end());
  return run_cli(cli, args);
}

// The refresh of the HostConfigs imported from `zabbix`, with the token and extra settings of
// the plugin's section given.
std::string zabbix_refresh(const testing::FakeZabbix& zabbix, const std::string& token,
                           const std::string& extra_settings = "") {
  testing::HostSetup setup = testing::sqlite_setup("troubleshooting-zabbix");
  setup.plugin_files = {testing::built_plugin("zabbix-host-sync")};
  setup.plugins_yaml = "  zabbix-host-sync:\n    url: " + zabbix.url() + "\n    token: " + token +
                       "\n" + extra_settings;
  Cli cli(setup);
  const auto desired = cli.dir().file("desired.json");
  zabbix.write_desired(desired);
  const std::vector<std::string> import = {"run-now", "zabbix.import_host_configs", "--param",
                                           "file=" + desired.string()};
  auto imported = cli.run(import);
  EXPECT_EQ(imported.exit_code, 0) << describe(import, imported);
  return run_cli(cli, {"run-now", "zabbix.host_config_sync_refresh"});
}

// Zabbix refuses the token the refresh is given.
std::string zabbix_bad_token() {
  testing::FakeZabbixOptions options;
  options.hosts = 3;
  testing::FakeZabbix zabbix(options);
  return zabbix_refresh(zabbix, "not-the-token");
}

std::string meraki_section(const testing::FakeMeraki& meraki, const std::string& key,
                           const std::string& extra = "") {
  return "  meraki-sync:\n    api_key: " + key + "\n    base_url: \"" + meraki.api_url() +
         "\"\n    scheduled_sync_mode: auto\n" + extra;
}

std::string meraki_bad_key() {
  testing::FakeMerakiOptions options;
  options.networks = 2;
  options.devices = 4;
  testing::FakeMeraki meraki(options);
  return run_plugin("meraki-sync", meraki_section(meraki, "not-the-key"), {"meraki.sync"});
}

std::string meraki_rate_limited() {
  testing::FakeMerakiOptions options;
  options.networks = 2;
  options.devices = 4;
  options.retry_after_s = 1;
  testing::FakeMeraki meraki(options);
  meraki.fail_next(testing::MerakiFailure::too_many_requests, 50, "/devices");
  return run_plugin("meraki-sync", meraki_section(meraki, options.api_key, "    retry_429: 1\n"),
                    {"meraki.sync"});
}

// A proxy in front of Zabbix answers every host.get with 429 (a short Retry-After keeps the
// two waits fast); the refresh of the imported HostConfigs gives up after retry_429.
std::string zabbix_rate_limited() {
  testing::FakeZabbixOptions options;
  options.hosts = 3;
  options.retry_after = std::chrono::milliseconds(50);
  testing::FakeZabbix zabbix(options);
  zabbix.fail_next(testing::FailureKind::too_many_requests, 50, "host.get");
  return zabbix_refresh(zabbix, options.token, "    retry_429: 2\n");
}

// The API server's priority and fairness answers every list of vpcs with 429.
std::string kubernetes_rate_limited() {
  testing::FakeKubernetesOptions options;
  options.objects = 12;
  options.retry_after = std::chrono::milliseconds(50);
  testing::FakeKubernetes kubernetes(options);
  kubernetes.fail_next(testing::KubeFailure::too_many_requests, 50, "/vpcs");
  return run_plugin("hedgehog-fabric-sync",
                    "  hedgehog-fabric-sync:\n    fabrics:\n      - {name: lab, url: \"" +
                        kubernetes.url() + "\", token: " + options.token + "}\n    retry_429: 2\n",
                    {"hedgehog.fabric_sync", "--param", "fabric=lab"});
}

std::string kubernetes_bad_token() {
  testing::FakeKubernetes kubernetes;
  return run_plugin("hedgehog-fabric-sync",
                    "  hedgehog-fabric-sync:\n    fabrics:\n      - {name: lab, url: \"" +
                        kubernetes.url() + "\", token: not-the-token}\n",
                    {"hedgehog.fabric_sync", "--param", "fabric=lab"});
}

// Each page id and what provokes its message; the result is everything the user saw, nullopt
// when this machine cannot provoke it (a file owned by another user needs root; PostgreSQL
// missing outside CI): the test then says so instead of passing silently.
using Provocation = std::function<std::optional<std::string>()>;

std::map<std::string, Provocation> provocations() {
  const std::string testkit_yaml_head = "plugin_files:\n  - \"" + test_plugin("testkit") + "\"\n";
  return {
      {"plugin-not-elf", [] { return plugins_with({test_plugin("not_elf")}); }},
      {"plugin-no-entry", [] { return plugins_with({test_plugin("no_entry")}); }},
      {"plugin-abi-major", [] { return plugins_with({test_plugin("abi_major2")}); }},
      {"plugin-abi-newer-minor", [] { return plugins_with({test_plugin("newer_minor")}); }},
      {"plugin-init-failed", [] { return plugins_with({test_plugin("initfail")}); }},
      {"plugin-settings-invalid", [] { return plugins_with({}, "  testkit:\n    limit: 50\n"); }},
      {"plugin-duplicate-name", [] { return plugins_with({test_plugin("testkit_twin")}); }},
      {"plugin-duplicate-job-type", [] { return plugins_with({test_plugin("dup_job")}); }},
      {"plugin-file-writable", writable_plugin_file},
      {"plugin-dir-writable", writable_plugin_dir},
      {"plugin-file-group-writable", group_writable_plugin_file},
      {"plugin-owner-foreign", foreign_owned_plugin_file},
      {"plugin-malformed", malformed_plugins},
      {"plugin-section-unknown", [] { return plugins_with({}, "  zabix:\n    url: x\n"); }},
      {"config-unusable",
       [] {
         Cli cli(std::string("workers: 0\n"));
         return run_cli(cli, {"run-now", "testkit.noop"});
       }},
      {"config-file-not-found",
       [] {
         const std::vector<std::string> args = {"config", "check", "/nonexistent/jobhost.yaml"};
         return seen(args, testing::run_jobhost(args));
       }},
      {"config-unknown-key",
       [] { return config_check("store:\n  driver: sqlite\n  busy_timout_ms: 100\n"); }},
      {"config-wrong-type", [] { return config_check("event_log: maybe\n"); }},
      {"config-out-of-range", [] { return config_check("workers: 0\n"); }},
      {"config-env-missing",
       [testkit_yaml_head] {
         ::unsetenv("TROUBLESHOOTING_UNSET_VARIABLE");
         return config_check(
             testkit_yaml_head +
             "plugins:\n  testkit:\n    label: ${TROUBLESHOOTING_UNSET_VARIABLE}\n");
       }},
      {"job-type-unknown",
       [] {
         return testkit_command({"run-now", "testkit.nope"});
       }},
      {"param-unknown",
       [] {
         return testkit_command({"run-now", "testkit.write", "--param", "rowz=3"});
       }},
      {"param-wrong-type",
       [] {
         return testkit_command({"run-now", "testkit.write", "--param", "rows=abc"});
       }},
      {"param-missing",
       [] {
         return testkit_command({"enqueue", "testkit.single"});
       }},
      {"param-syntax",
       [] {
         return testkit_command({"run-now", "testkit.write", "--param", "x"});
       }},
      {"singleton-taken",
       [] {
         Cli cli(testing::sqlite_setup("troubleshooting-singleton"));
         const std::vector<std::string> args = {"enqueue", "testkit.single", "--param", "key=a"};
         auto first = cli.run(args);
         EXPECT_EQ(first.exit_code, 0) << describe(args, first);
         return run_cli(cli, args);
       }},
      {"job-timeout",
       [] {
         return testkit_command({"run-now", "testkit.sleep", "--param", "ms=5000"});
       }},
      {"store-sqlite",
       [] {
         testing::TempDir dir("jobhost-troubleshooting");
         return sqlite_store_in((dir.file("no-such-dir") / "jobhost.db").string()) + "\n" +
                sqlite_store_in_readonly_dir();
       }},
      {"store-postgresql", postgresql_not_answering},
      {"store-postgresql-login", postgresql_refusing_login},
      {"zabbix-token-refused", zabbix_bad_token},
      {"meraki-key-refused", meraki_bad_key},
      {"kubernetes-token-refused", kubernetes_bad_token},
      {"meraki-rate-limited", meraki_rate_limited},
      {"zabbix-rate-limited", zabbix_rate_limited},
      {"kubernetes-rate-limited", kubernetes_rate_limited},
  };
}

TEST(TroubleshootingPageTest, EveryEntryHasAProvocationAndEveryProvocationAnEntry) {
  const auto entries = read_page();
  ASSERT_FALSE(entries.empty()) << "no `<!-- id: ... -->` entries in " << page_path();
  const auto provoked = provocations();
  std::set<std::string> ids;
  for (const auto& e : entries) {
    EXPECT_TRUE(ids.insert(e.id).second) << "id " << e.id << " appears twice in the page";
    EXPECT_TRUE(provoked.contains(e.id))
        << page_path() << ":" << e.line << ": id " << e.id << " has no provocation in this test";
    EXPECT_FALSE(e.message.empty()) << "id " << e.id << " has an empty message";
  }
  for (const auto& [id, provocation] : provoked)
    EXPECT_TRUE(ids.contains(id)) << "the test provokes " << id << ", which the page lacks";
}

TEST(TroubleshootingPageTest, EveryMessageOfThePageIsWhatTheProvocationShows) {
  const auto provoked = provocations();
  for (const auto& entry : read_page()) {
    SCOPED_TRACE("id " + entry.id);
    const auto it = provoked.find(entry.id);
    if (it == provoked.end()) continue;  // reported by the test above
    const std::optional<std::string> provoked_output = it->second();
    if (!provoked_output) {
      std::cout << "not provoked on this machine (needs root, or PostgreSQL): " << entry.id << "\n";
      continue;
    }
    const std::string& output = *provoked_output;
    // JOBHOST_TROUBLESHOOTING_SHOW=1 prints what each provocation showed (to write an entry).
    if (const char* show = std::getenv("JOBHOST_TROUBLESHOOTING_SHOW"); show && *show == '1')
      std::cout << "=== " << entry.id << "\n" << output << "\n";
    // `store-sqlite` shows the message twice (missing and read-only directory): both count.
    const auto pattern = pattern_of(entry.message);
    size_t matches = 0;
    for (std::sregex_iterator m(output.begin(), output.end(), pattern), end; m != end; ++m)
      ++matches;
    EXPECT_GE(matches, entry.id == "store-sqlite" ? 2u : 1u)
        << page_path() << ":" << entry.line << ": the message of " << entry.id
        << " is not in what its provocation showed.\nmessage:\n"
        << entry.message << "\nshown:\n"
        << output;
  }
}

TEST(TroubleshootingPageTest, PlaceholdersMatchWithinALine) {
  EXPECT_TRUE(std::regex_search("x: refused: a.so: bad", pattern_of("<file>: bad")));
  EXPECT_FALSE(std::regex_search("x\nrefused: bad", pattern_of("x<reason>bad")));
  EXPECT_TRUE(std::regex_search("a\nb\nc\nd", pattern_of("a\n...\nd")));
  EXPECT_TRUE(std::regex_search("price (1+1) [x]", pattern_of("price (1+1) [<what>]")));
}

}  // namespace
}  // namespace jobhost
