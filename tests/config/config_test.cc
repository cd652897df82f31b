// Loading the host's config file: values, defaults, paths, and every kind of problem reported
// with its exact position and key path.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "config/fake_env.h"
#include "config/loader.h"
#include "config/temp_dir.h"

namespace jobhost::config {
namespace {

using testing::fake_env;
using testing::not_set;
using testing::TempDir;

// Every problem of `yaml`, formatted as the user sees them.
std::string problems_of(const std::string& yaml, const LoadOptions& options = {}) {
  return format_problems(check_config_string(yaml, "t.yaml", options));
}

TEST(LoadConfig, ReadsEveryKeyAndResolvesPathsAgainstTheFilesDirectory) {
  TempDir dir;
  const auto file = dir.write("etc/jobhost.yaml", R"(host:
  name: node-1
  heartbeat_s: 2
  lost_after_s: 9
store:
  driver: sqlite
  path: data/jobhost.db
  synchronous: normal
  busy_timeout_ms: 5000
plugin_dirs: [ /usr/lib/jobhost/plugins, plugins ]
plugin_files: [ ./extra/../extra/libfoo.so ]
workers: 8
event_log: false
log:
  level: debug
  format: json
plugins:
  zabbix:
    url: https://zabbix.example.com
    token: ${ZABBIX_TOKEN}
)");
  const HostConfig config =
      load_config_file(file.string(), {.env = fake_env({{"ZABBIX_TOKEN", "tok"}})});
  const auto etc = dir.path() / "etc";

  EXPECT_EQ(config.source, file.string());
  EXPECT_EQ(config.host_name, "node-1");
  EXPECT_EQ(config.heartbeat_s, 2);
  EXPECT_EQ(config.lost_after_s, 9);
  EXPECT_EQ(config.store.driver, StoreConfig::Driver::sqlite);
  EXPECT_EQ(config.store.sqlite_path, etc / "data/jobhost.db");
  EXPECT_EQ(config.store.synchronous, StoreConfig::Synchronous::normal);
  EXPECT_EQ(config.store.busy_timeout_ms, 5000);
  ASSERT_EQ(config.plugin_dirs.size(), 2u);
  EXPECT_EQ(config.plugin_dirs[0], "/usr/lib/jobhost/plugins");
  EXPECT_EQ(config.plugin_dirs[1], etc / "plugins");
  ASSERT_EQ(config.plugin_files.size(), 1u);
  EXPECT_EQ(config.plugin_files[0], etc / "extra/libfoo.so");
  EXPECT_EQ(config.workers, 8);
  EXPECT_FALSE(config.event_log);
  EXPECT_EQ(config.log.level, LogConfig::Level::debug);
  EXPECT_EQ(config.log.format, LogConfig::Format::json);

  ASSERT_EQ(config.plugins.size(), 1u);
  const PluginSection& zabbix = config.plugins.at("zabbix");
  EXPECT_EQ(zabbix.file, file.string());
  EXPECT_EQ(zabbix.line, 18);
  EXPECT_EQ(zabbix.column, 3);
  EXPECT_EQ(zabbix.node["url"].Scalar(), "https://zabbix.example.com");
  EXPECT_EQ(zabbix.node["token"].Scalar(), "tok");
  EXPECT_EQ(zabbix.node["token"].Mark().line, 19);  // marks survive expansion (0-based)
}

TEST(LoadConfig, EmptyFileGivesTheDefaults) {
  TempDir dir;
  for (const char* text : {"", "# nothing but a comment\n", "workers:\nhost:\n"}) {
    SCOPED_TRACE(text);
    const HostConfig config = load_config_string(text, "t.yaml", {.base_dir = dir.path()});
    EXPECT_EQ(config.source, "t.yaml");
    EXPECT_EQ(config.host_name, machine_host_name());
    EXPECT_EQ(config.store.driver, StoreConfig::Driver::sqlite);
    EXPECT_EQ(config.store.sqlite_path, dir.path() / "jobhost.db");
    EXPECT_EQ(config.store.synchronous, StoreConfig::Synchronous::full);
    EXPECT_EQ(config.store.busy_timeout_ms, 30000);
    EXPECT_EQ(config.store.pg_connection, "");
    EXPECT_TRUE(config.plugin_dirs.empty());
    EXPECT_TRUE(config.plugin_files.empty());
    EXPECT_EQ(config.workers, 4);
    EXPECT_TRUE(config.event_log);
    EXPECT_EQ(config.log.level, LogConfig::Level::info);
    EXPECT_EQ(config.log.format, LogConfig::Format::text);
    EXPECT_TRUE(config.plugins.empty());
  }
}

TEST(LoadConfig, BuiltInDefaultsUseTheCurrentDirectory) {
  const HostConfig config = default_host_config();
  EXPECT_EQ(config.source, "<built-in defaults>");
  EXPECT_EQ(config.store.sqlite_path, std::filesystem::current_path() / "jobhost.db");
  EXPECT_EQ(config.workers, 4);
  EXPECT_TRUE(config.event_log);
  EXPECT_EQ(config.log.level, LogConfig::Level::info);
  EXPECT_EQ(config.log.format, LogConfig::Format::text);
  EXPECT_FALSE(config.host_name.empty());
}

TEST(LoadConfig, PostgresqlTakesTheConnectionStringWithTheEnvironmentExpanded) {
  const HostConfig config = load_config_string(
      "store:\n"
      "  driver: postgresql\n"
      "  connection: \"host=127.0.0.1 dbname=jobhost password=${PGPASSWORD}\"\n",
      "t.yaml", {.env = fake_env({{"PGPASSWORD", "pw$1"}})});
  EXPECT_EQ(config.store.driver, StoreConfig::Driver::postgresql);
  EXPECT_EQ(config.store.pg_connection, "host=127.0.0.1 dbname=jobhost password=pw$1");
}

TEST(LoadConfig, SqliteInMemoryPathIsNotResolved) {
  const HostConfig config = load_config_string("store: { path: ':memory:' }\n", "t.yaml");
  EXPECT_EQ(config.store.sqlite_path, ":memory:");
}

TEST(LoadConfig, ThrowsConfigErrorWithEveryProblemOnePerLine) {
  try {
    load_config_string("workers: 0\nlog:\n  format: xml\n", "jobhost.yaml");
    FAIL() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "jobhost.yaml:1:10: workers: must be >= 1\n"
                 "jobhost.yaml:3:11: log.format: must be one of: text, json");
    ASSERT_EQ(error.problems().size(), 2u);
    EXPECT_EQ(error.problems()[1], (ConfigProblem{.file = "jobhost.yaml",
                                                  .line = 3,
                                                  .column = 11,
                                                  .key_path = "log.format",
                                                  .message = "must be one of: text, json"}));
  }
}

TEST(ConfigProblems, SyntaxErrorHasYamlCppsPosition) {
  EXPECT_EQ(problems_of("workers: 4\nplugin_dirs: [a, b\n"),
            "t.yaml:3:1: end of sequence flow not found");
  EXPECT_EQ(problems_of("store:\n  driver: sqlite\n path: x\n"),
            "t.yaml:3:2: end of map not found");
}

TEST(ConfigProblems, UnknownKeysSuggestTheClosestKnownKey) {
  EXPECT_EQ(problems_of("wokers: 4\n"
                        "store:\n"
                        "  drivr: sqlite\n"
                        "colour: blue\n"
                        "log: { lvl: info }\n"),
            "t.yaml:1:1: wokers: unknown key 'wokers' (did you mean 'workers'?)\n"
            "t.yaml:3:3: store.drivr: unknown key 'drivr' (did you mean 'driver'?)\n"
            "t.yaml:4:1: colour: unknown key 'colour'\n"
            "t.yaml:5:8: log.lvl: unknown key 'lvl' (did you mean 'level'?)");
}

TEST(ConfigProblems, WrongTypesAreAllReportedAtTheirValues) {
  EXPECT_EQ(problems_of("workers: many\n"
                        "event_log: yes\n"
                        "log:\n"
                        "  level: loud\n"
                        "  format: xml\n"
                        "plugin_dirs: /opt/p\n"
                        "store: sqlite\n"
                        "host:\n"
                        "  name: [a, b]\n"
                        "plugin_files: [ok.so, [x], \"\"]\n"),
            "t.yaml:1:10: workers: must be an integer\n"
            "t.yaml:2:12: event_log: must be true or false\n"
            "t.yaml:4:10: log.level: must be one of: trace, debug, info, warn, error, off\n"
            "t.yaml:5:11: log.format: must be one of: text, json\n"
            "t.yaml:6:14: plugin_dirs: must be a list of strings\n"
            "t.yaml:7:8: store: must be a map\n"
            "t.yaml:9:9: host.name: must be a string\n"
            "t.yaml:10:23: plugin_files[1]: must be a string\n"
            "t.yaml:10:28: plugin_files[2]: must not be empty");
}

TEST(ConfigProblems, BlockListItemsAreReportedByIndex) {
  EXPECT_EQ(problems_of("plugin_dirs:\n"
                        "  - /a\n"
                        "  - /b\n"
                        "  - { x: 1 }\n"),
            "t.yaml:4:5: plugin_dirs[2]: must be a string");
}

TEST(ConfigProblems, OutOfRangeValues) {
  EXPECT_EQ(problems_of("workers: 257\n"
                        "store:\n"
                        "  busy_timeout_ms: -1\n"),
            "t.yaml:1:10: workers: must be <= 256\n"
            "t.yaml:3:20: store.busy_timeout_ms: must be >= 0");
  EXPECT_EQ(problems_of("store: { busy_timeout_ms: 3600001 }\n"),
            "t.yaml:1:27: store.busy_timeout_ms: must be <= 3600000");
  EXPECT_EQ(problems_of("workers: 99999999999999999999999\n"),
            "t.yaml:1:10: workers: must be <= 256");
  EXPECT_EQ(problems_of("workers: 1\n"), "");
  EXPECT_EQ(problems_of("workers: 256\n"), "");
}

// HTTPS needs the certificate and its key; one of them alone is refused rather than served as
// plain HTTP.
TEST(ConfigProblems, TlsCertificateAndKeyGoTogether) {
  EXPECT_EQ(problems_of("http:\n  tls_cert: cert.pem\n"),
            "t.yaml:1:1: http.tls_key: is required when http.tls_cert is set (the two go "
            "together)");
  EXPECT_EQ(problems_of("http:\n  tls_key: key.pem\n"),
            "t.yaml:1:1: http.tls_cert: is required when http.tls_key is set (the two go "
            "together)");
  EXPECT_EQ(problems_of("http:\n  tls_cert: cert.pem\n  tls_key: key.pem\n"), "");
  EXPECT_EQ(problems_of("http: { port: 70000 }\n"), "t.yaml:1:15: http.port: must be <= 65535");
}

TEST(LoadConfig, HttpSectionAndTheTokenFromTheEnvironment) {
  TempDir dir;
  const auto file = dir.write("jobhost.yaml",
                              "http:\n  address: 0.0.0.0\n  port: 9090\n"
                              "  protect_reads: true\n  tls_cert: c.pem\n"
                              "  tls_key: k.pem\n");
  const HostConfig config = load_config_file(file.string(), {});
  EXPECT_TRUE(config.http.enabled);
  EXPECT_EQ(config.http.address, "0.0.0.0");
  EXPECT_EQ(config.http.port, 9090);
  EXPECT_TRUE(config.http.protect_reads);
  EXPECT_EQ(config.http.tls_cert, dir.path() / "c.pem");
  EXPECT_EQ(config.http.tls_key, dir.path() / "k.pem");
  const HostConfig defaults = load_config_string("{}\n", "t.yaml");
  EXPECT_EQ(defaults.http.address, "127.0.0.1");
  EXPECT_EQ(defaults.http.port, 8080);
}

// A live host that misses one beat must not be declared lost (its jobs would be taken away).
TEST(ConfigProblems, LostAfterMustLeaveRoomForAMissedHeartbeat) {
  EXPECT_EQ(problems_of("host: { heartbeat_s: 10, lost_after_s: 15 }\n"),
            "t.yaml:1:26: host.lost_after_s: host.lost_after_s (15) must be at least twice "
            "host.heartbeat_s (10), or a live host that misses one beat is declared lost");
  // The default lost_after_s (30) against a slow beat: the beat is what was set.
  EXPECT_EQ(problems_of("host:\n  heartbeat_s: 20\n"),
            "t.yaml:2:3: host.heartbeat_s: host.lost_after_s (30) must be at least twice "
            "host.heartbeat_s (20), or a live host that misses one beat is declared lost");
  EXPECT_EQ(problems_of("host: { heartbeat_s: 1, lost_after_s: 2 }\n"), "");
  EXPECT_EQ(problems_of("host: { heartbeat_s: 0 }\n"),
            "t.yaml:1:22: host.heartbeat_s: must be >= 1");
}

TEST(ConfigProblems, StoreKeysMustFitTheDriver) {
  EXPECT_EQ(problems_of("store:\n"
                        "  connection: \"host=db\"\n"),
            "t.yaml:2:3: store.connection: only valid when store.driver is postgresql");
  EXPECT_EQ(problems_of("store:\n"
                        "  driver: postgresql\n"
                        "  path: x.db\n"
                        "  busy_timeout_ms: 10\n"
                        "  synchronous: full\n"),
            "t.yaml:1:1: store.connection: is required when store.driver is postgresql\n"
            "t.yaml:3:3: store.path: only valid when store.driver is sqlite\n"
            "t.yaml:4:3: store.busy_timeout_ms: only valid when store.driver is sqlite\n"
            "t.yaml:5:3: store.synchronous: only valid when store.driver is sqlite");
}

TEST(ConfigProblems, AnInvalidDriverIsReportedOnce) {
  EXPECT_EQ(problems_of("store:\n"
                        "  driver: mysql\n"
                        "  connection: x\n"),
            "t.yaml:2:11: store.driver: must be one of: sqlite, postgresql");
}

TEST(ConfigProblems, DuplicateKeys) {
  EXPECT_EQ(problems_of("workers: 2\n"
                        "log: { level: info }\n"
                        "workers: 3\n"),
            "t.yaml:3:1: workers: duplicate key (first set on line 1)");
}

TEST(ConfigProblems, DocumentMustBeAMap) {
  EXPECT_EQ(problems_of("- workers\n- 4\n"),
            "t.yaml:1:1: the configuration must be a map of keys, like `workers: 4`");
}

TEST(ConfigProblems, PluginSectionsMustBeMaps) {
  EXPECT_EQ(problems_of("plugins:\n"
                        "  zabbix: 5\n"
                        "  meraki:\n"
                        "plugins2: {}\n"),
            "t.yaml:2:11: plugins.zabbix: must be a map\n"
            "t.yaml:4:1: plugins2: unknown key 'plugins2' (did you mean 'plugins'?)");
  const HostConfig config = load_config_string("plugins:\n  meraki:\n", "t.yaml");
  ASSERT_TRUE(config.plugins.contains("meraki"));
  EXPECT_TRUE(config.plugins.at("meraki").node.IsNull());
}

TEST(ConfigProblems, MissingFileNamesThePath) {
  TempDir dir;
  const std::string missing = (dir.path() / "nowhere/jobhost.yaml").string();
  EXPECT_EQ(format_problems(check_config_file(missing)),
            missing + ": configuration file not found");
  try {
    load_config_file(missing);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.what(), missing + ": configuration file not found");
  }
}

TEST(ConfigProblems, MissingRelativeFileAlsoNamesTheAbsolutePath) {
  EXPECT_EQ(format_problems(check_config_file("no-such-jobhost.yaml")),
            "no-such-jobhost.yaml: configuration file not found (looked for " +
                (std::filesystem::current_path() / "no-such-jobhost.yaml").string() + ")");
}

TEST(ConfigProblems, DirectoryIsNotAConfigFile) {
  TempDir dir;
  EXPECT_EQ(format_problems(check_config_file(dir.path().string())),
            dir.path().string() + ": cannot read configuration file: Is a directory");
}

TEST(ConfigProblems, CheckFileCollectsEverythingInFileOrder) {
  TempDir dir;
  const auto file = dir.write("jobhost.yaml",
                              "log:\n"
                              "  level: loud\n"
                              "workers: ${WORKERS}\n"
                              "store:\n"
                              "  driver: postgresql\n"
                              "  path: x.db\n"
                              "wokers: 3\n"
                              "plugins:\n"
                              "  zabbix:\n"
                              "    token: ${ZABBIX_TOKEN}\n");
  const std::string name = file.string();
  EXPECT_EQ(format_problems(check_config_file(name, {.env = fake_env({})})),
            name + ":2:10: log.level: must be one of: trace, debug, info, warn, error, off\n" +
                name + ":3:10: workers: " + not_set("WORKERS") + "\n" + name +
                ":4:1: store.connection: is required when store.driver is postgresql\n" + name +
                ":6:3: store.path: only valid when store.driver is sqlite\n" + name +
                ":7:1: wokers: unknown key 'wokers' (did you mean 'workers'?)\n" + name +
                ":10:12: plugins.zabbix.token: " + not_set("ZABBIX_TOKEN"));
}

TEST(ConfigExpansion, HappensBeforeTypeChecks) {
  const HostConfig config = load_config_string(
      "workers: ${WORKERS}\nevent_log: ${EVENTS:-false}\nlog: { level: \"${LEVEL}\" }\n", "t.yaml",
      {.env = fake_env({{"WORKERS", "16"}, {"LEVEL", "warn"}})});
  EXPECT_EQ(config.workers, 16);
  EXPECT_FALSE(config.event_log);
  EXPECT_EQ(config.log.level, LogConfig::Level::warn);
  // An expanded value is checked like any other.
  EXPECT_EQ(problems_of("workers: ${WORKERS}\n", {.env = fake_env({{"WORKERS", "999"}})}),
            "t.yaml:1:10: workers: must be <= 256");
}

TEST(ConfigExpansion, ExpandedPathsAreResolvedAndSecretFilesReadRelativeToTheConfig) {
  TempDir dir;
  dir.write("secrets/zabbix", "s3cret\n");
  const auto file = dir.write("jobhost.yaml",
                              "plugin_dirs: [ \"${PLUGIN_HOME}/lib\" ]\n"
                              "plugins:\n"
                              "  zabbix:\n"
                              "    token: ${file:secrets/zabbix}\n");
  const HostConfig config =
      load_config_file(file.string(), {.env = fake_env({{"PLUGIN_HOME", "opt/jobhost"}})});
  ASSERT_EQ(config.plugin_dirs.size(), 1u);
  EXPECT_EQ(config.plugin_dirs[0], dir.path() / "opt/jobhost/lib");
  EXPECT_EQ(config.plugins.at("zabbix").node["token"].Scalar(), "s3cret");
}

TEST(ConfigExpansion, MissingSecretFileIsNamed) {
  TempDir dir;
  const std::string secret = (dir.path() / "missing").string();
  EXPECT_EQ(problems_of("plugins:\n  zabbix:\n    token: \"${file:" + secret + "}\"\n"),
            "t.yaml:3:12: plugins.zabbix.token: cannot read secret file '" + secret +
                "': No such file or directory");
}

TEST(ConfigExpansion, KeysAreNotExpandedAndAliasesExpandOnce) {
  const HostConfig config = load_config_string(
      "plugins:\n"
      "  demo:\n"
      "    ${KEY}: 1\n"
      "    price: &p \"$$$$5\"\n"
      "    again: *p\n",
      "t.yaml", {.env = fake_env({{"KEY", "expanded"}})});
  const YAML::Node& demo = config.plugins.at("demo").node;
  EXPECT_TRUE(demo["${KEY}"].IsDefined());
  EXPECT_EQ(demo["price"].Scalar(), "$$5");
  EXPECT_EQ(demo["again"].Scalar(), "$$5");
}

}  // namespace
}  // namespace jobhost::config
