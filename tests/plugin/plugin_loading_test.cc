// Every way a plugin file can be refused: the host names the file and the reason, and keeps
// running with the other plugins.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/loader.h"
#include "support/host_fixture.h"
#include "support/temp_dir.h"

namespace jobhost {
namespace {

using ::testing::HasSubstr;

class PluginLoadingTest : public ::testing::Test {
 protected:
  // Opens a host with testkit plus `other`, and returns the reason `other` was refused.
  std::string refusal_of(const std::string& other, const std::string& plugins_yaml = {}) {
    testing::HostSetup setup;
    setup.store = {testing::StoreKind::sqlite, dir_.file("jobhost.db").string()};
    setup.plugin_files = {testing::test_plugin("testkit"), testing::test_plugin(other)};
    setup.plugins_yaml = plugins_yaml;
    host_ = testing::open_test_host(setup);
    EXPECT_NE(host_->plugins().find_job_type("testkit.noop"), nullptr)
        << "the good plugin must still load next to " << other;
    return testing::refusal_for(*host_, other + ".so");
  }

  testing::TempDir dir_{"plugin-loading"};
  std::unique_ptr<Host> host_;
};

TEST_F(PluginLoadingTest, NotASharedLibrary) {
  EXPECT_THAT(refusal_of("not_elf"), HasSubstr("cannot load it as a shared library"));
  EXPECT_THAT(refusal_of("not_elf"), HasSubstr("invalid ELF header"));
}

TEST_F(PluginLoadingTest, NoEntrySymbol) {
  EXPECT_THAT(refusal_of("no_entry"), HasSubstr("does not export jobhost_plugin_v1()"));
}

TEST_F(PluginLoadingTest, OtherMajorNamesBothVersions) {
  EXPECT_THAT(refusal_of("abi_major2"),
              HasSubstr("built for jobhost ABI 2.0, but this host speaks ABI 1.4"));
}

TEST_F(PluginLoadingTest, NewerMinorNamesPluginAndBothVersions) {
  EXPECT_EQ(refusal_of("newer_minor"),
            "plugin 'newerminor' needs jobhost ABI 1.5, newer than this host's ABI 1.4: upgrade "
            "jobhost, or build the plugin against an SDK of ABI 1.4 or older");
}

TEST_F(PluginLoadingTest, StructSizeThatDoesNotFit) {
  EXPECT_THAT(refusal_of("small_struct"),
              HasSubstr("descriptor is 16 bytes, smaller than the 112 bytes of ABI 1.0"));
}

// ABI 1.4's read_only lies in the 1.3 job type's tail padding (the struct did not grow): it is
// read from plugins of minor 4 only, never from an older plugin's padding bytes.
TEST_F(PluginLoadingTest, ReadOnlyIsReadOnlyFromPluginsOfMinorFour) {
  EXPECT_EQ(refusal_of("old_minor_padding"), "") << "a 1.3 plugin loads";
  const auto old = host_->plugins().find_job_type("oldminorpadding.noop");
  ASSERT_NE(old, nullptr);
  EXPECT_FALSE(old->read_only) << "a non-zero padding byte of a 1.3 plugin is not read_only";
  EXPECT_EQ(host_->plugins().find_plugin("oldminorpadding")->spec.abi_minor, 3);
  const auto query = host_->plugins().find_job_type("testkit.query");
  ASSERT_NE(query, nullptr);
  EXPECT_TRUE(query->read_only) << "testkit (ABI 1.4) declares it read_only";
  EXPECT_FALSE(host_->plugins().find_job_type("testkit.noop")->read_only);
}

TEST_F(PluginLoadingTest, EntryReturningNull) {
  EXPECT_THAT(refusal_of("returns_null"), HasSubstr("returned no descriptor (NULL)"));
}

TEST_F(PluginLoadingTest, DuplicatePluginName) {
  EXPECT_THAT(refusal_of("testkit_twin"), HasSubstr("a plugin named 'testkit' is already loaded"));
}

TEST_F(PluginLoadingTest, DuplicateJobType) {
  EXPECT_THAT(refusal_of("dup_job"), HasSubstr("job type 'dupjob.noop' is declared twice"));
}

TEST_F(PluginLoadingTest, JobTypesLiveInThePluginsNamespace) {
  EXPECT_EQ(refusal_of("ns_short"), "") << "ns-short may name its types ns.*";
  EXPECT_NE(host_->plugins().find_job_type("ns.noop"), nullptr);
  EXPECT_THAT(refusal_of("ns_foreign"),
              HasSubstr("job type #1 'other.noop': name must be 'ns-foreign.<job>' or 'ns.<job>'"));
}

TEST_F(PluginLoadingTest, InitThatFailsShowsItsMessage) {
  EXPECT_EQ(refusal_of("initfail"),
            "its init failed: cannot reach the moon: set plugins.initfail.moon_url");
  EXPECT_EQ(host_->plugins().find_plugin("initfail"), nullptr) << "a failed plugin is unloaded";
}

TEST_F(PluginLoadingTest, InvalidSettingsNameFileLineAndKey) {
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, dir_.file("jobhost.db").string()};
  setup.plugin_files = {testing::test_plugin("testkit"), testing::test_plugin("frozen_v1")};
  setup.plugins_yaml = "  testkit:\n    limit: 50\n";
  auto host = testing::open_test_host(setup);
  // The YAML puts `limit: 50` on the last line; its value starts in column 12.
  const std::string yaml = testing::host_yaml(setup);
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.end(), '\n'));
  EXPECT_EQ(testing::refusal_for(*host, "testkit.so"),
            "its settings are invalid:\ntest.yaml:" + std::to_string(line) +
                ":12: plugins.testkit.limit: must be <= 10");
  EXPECT_EQ(host->plugins().find_plugin("testkit"), nullptr);
  EXPECT_NE(host->plugins().find_plugin("frozen"), nullptr) << "the other plugin still loads";
  for (const auto& r : host->refusals())
    EXPECT_EQ(r.reason.find("no plugin named"), std::string::npos)
        << "testkit was found, only refused: " << r.reason;
}

TEST_F(PluginLoadingTest, SectionForAPluginThatIsNotLoaded) {
  refusal_of("frozen_v1", "  zabix:\n    url: x\n");
  bool found = false;
  for (const auto& r : host_->refusals())
    if (r.reason.find("plugins.zabix: no plugin named 'zabix' was found") != std::string::npos)
      found = true;
  EXPECT_TRUE(found);
}

TEST_F(PluginLoadingTest, MissingFileAndDirectory) {
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, dir_.file("jobhost.db").string()};
  setup.plugin_files = {dir_.file("nothing-here.so").string()};
  auto host = testing::open_test_host(setup);
  EXPECT_EQ(testing::refusal_for(*host, "nothing-here.so"), "plugin file does not exist");
}

TEST_F(PluginLoadingTest, GoodPluginsLoadFromADirectoryInNameOrder) {
  namespace fs = std::filesystem;
  fs::create_directories(dir_.file("plugins"));
  for (const char* name : {"testkit", "frozen_v1", "not_elf"})
    fs::copy_file(testing::test_plugin(name), dir_.file("plugins") / (std::string(name) + ".so"));
  std::ofstream(dir_.file("plugins") / "README.txt") << "not a plugin: ignored\n";
  auto cfg = "store: {driver: sqlite, path: " + dir_.file("j.db").string() +
             "}\nlog: {level: warn}\nplugin_dirs: [" + dir_.file("plugins").string() + "]\n";
  auto host = Host::open(config::load_config_string(cfg, "dir.yaml"));
  ASSERT_EQ(host->plugins().plugins().size(), 2u);
  EXPECT_EQ(host->plugins().plugins()[0]->spec.name, "frozen");
  EXPECT_EQ(host->plugins().plugins()[1]->spec.name, "testkit");
  EXPECT_EQ(host->refusals().size(), 1u);
  EXPECT_THAT(testing::refusal_for(*host, "not_elf.so"), HasSubstr("invalid ELF header"));
}

TEST_F(PluginLoadingTest, DescriptorIsCopiedWithItsDeclarations) {
  refusal_of("frozen_v1");
  const auto t = host_->plugins().find_job_type("testkit.single");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->singleton);
  EXPECT_EQ(t->key_param, "key");
  ASSERT_EQ(t->params.size(), 4u);
  EXPECT_TRUE(t->params[0].required);
  EXPECT_EQ(t->params[1].default_value.value_or(""), "0");
  const auto sleep = host_->plugins().find_job_type("testkit.sleep");
  ASSERT_NE(sleep, nullptr);
  EXPECT_EQ(sleep->timeout_s, 1u);
  auto p = host_->plugins().find_plugin("testkit");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->spec.version, "1.2.3");
  EXPECT_EQ(p->spec.abi_major, 1);
  EXPECT_EQ(p->spec.migrations.size(), 3u);
  EXPECT_EQ(p->spec.settings.size(), 8u);
  EXPECT_NE(p->spec.reconfigure, nullptr) << "testkit (ABI 1.4) declares on_reconfigure";
}

}  // namespace
}  // namespace jobhost
