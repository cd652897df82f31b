// idle-rss: the resident memory of a host with the example plugin loaded, before any job.
// Run on its own it starts its own store; dispatch runs it as a child on a store it made.
#include <filesystem>
#include <string>

#include "bench.h"
#include "host/host.h"
#include "idle_rss.h"
#include "support/host_fixture.h"
#include "support/process.h"

namespace jobhost::bench {

namespace {

int run_idle_rss(Args& args) {
  const std::string store_kind = args.take_or("store", "sqlite");
  auto sqlite_path = args.take("sqlite-path");
  auto connection = args.take("connection");
  args.finish();
  if (sqlite_path && connection) throw UsageError("give --sqlite-path or --connection, not both");

  const std::string plugin = testing::built_plugin("hello");
  if (!std::filesystem::exists(plugin))
    throw BenchFailure(plugin + " does not exist: build the `hello` target");

  // A store given by the parent, or one started here.
  std::unique_ptr<BenchStore> own;
  testing::StoreTarget target;
  if (sqlite_path) {
    target = {testing::StoreKind::sqlite, *sqlite_path};
  } else if (connection) {
    target = {testing::StoreKind::postgresql, *connection};
  } else {
    own = BenchStore::start(store_kind);
    target = own->fresh("idle_rss");
  }

  const int64_t before = rss_kb();
  testing::HostSetup setup;
  setup.store = target;
  setup.plugin_files = {plugin};
  auto host = testing::open_test_host(setup);
  if (!host->refusals().empty())
    throw BenchFailure("the host refused " + host->refusals().front().file + ": " +
                       host->refusals().front().reason);
  host->job_type("hello.greet");  // throws when the plugin did not load
  const int64_t idle = rss_kb();

  print_figure("store", target.kind == testing::StoreKind::sqlite ? "sqlite" : "postgres");
  print_figure("plugins", "hello");
  print_figure("process_rss_kb", before);
  print_figure("idle_rss_kb", idle);
  return 0;
}

}  // namespace

int64_t idle_rss_in_child(BenchStore& store) {
  const auto target = store.fresh("idle_rss");
  std::vector<std::string> argv = {self_executable(), "idle-rss", "--store", store.name()};
  if (target.kind == testing::StoreKind::sqlite) {
    argv.insert(argv.end(), {"--sqlite-path", target.location});
  } else {
    argv.insert(argv.end(), {"--connection", target.location});
  }
  auto result = testing::run_process(argv, {}, std::chrono::seconds(120));
  if (!result.success()) throw BenchFailure("jobhost-bench idle-rss failed: " + result.describe());
  const std::string key = "\nidle_rss_kb=";
  const std::string out = "\n" + result.out;
  auto pos = out.find(key);
  if (pos == std::string::npos)
    throw BenchFailure("jobhost-bench idle-rss printed no idle_rss_kb: " + result.out);
  return std::stoll(out.substr(pos + key.size()));
}

JOBHOST_BENCHMARK("idle-rss", "[--store sqlite|postgres] [--sqlite-path P | --connection C]",
                  "RSS of a host with the example plugin `hello` loaded, before any job",
                  run_idle_rss);

}  // namespace jobhost::bench
