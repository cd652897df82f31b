// jobhost-bench hedgehog: hedgehog.fabric_sync of one fabric of N objects across the 12 kinds
// against the fake Kubernetes API (a separate process, so the figures are the host's own), on
// the SQLite store: the first (full) sync, then a re-sync with nothing changed. Checks that the
// syncs created, and then left unchanged, exactly the objects the fake serves.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "bench.h"
#include "fake_server.h"
#include "host/host.h"
#include "support/host_fixture.h"
#include "support/temp_dir.h"

namespace jobhost::bench {
namespace {

// One sync; returns its result after checking it completed.
nlohmann::json timed_sync(Host& host, double& seconds) {
  const double start = monotonic_seconds();
  auto outcome = host.run_now("hedgehog.fabric_sync", {{"fabric", "bench"}});
  seconds = monotonic_seconds() - start;
  if (outcome.status != jobs::JobStatus::completed || !outcome.result)
    throw BenchFailure("sync: " + outcome.error);
  return nlohmann::json::parse(*outcome.result);
}

int run_hedgehog(Args& args) {
  const int64_t objects = args.take_int("objects", 20000, 12, 5000000);
  const int64_t latency_ms = args.take_int("latency-ms", 1, 0, 10000);
  const int64_t page_size = args.take_int("page-size", 500, 1, 10000);
  const int64_t in_flight = args.take_int("in-flight", 4, 1, 32);
  const std::string base = args.take_or("dir", "");
  args.finish();

  const std::string plugin = testing::built_plugin("hedgehog-fabric-sync");
  if (!std::filesystem::exists(plugin)) throw BenchFailure(plugin + " does not exist: build it");
  FakeServer server({"fake-kubernetes", "--objects", std::to_string(objects), "--latency-ms",
                     std::to_string(latency_ms)});

  testing::TempDir dir("bench-hedgehog", base);
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, dir.file("jobhost.db").string()};
  setup.plugin_files = {plugin};
  setup.plugins_yaml = "  hedgehog-fabric-sync:\n    fabrics:\n      - {name: bench, url: \"" +
                       server.url() + "\", token: fake-k8s-token, sync_enabled: false}\n" +
                       "    page_size: " + std::to_string(page_size) +
                       "\n    max_in_flight: " + std::to_string(in_flight) + "\n";
  auto host = testing::open_test_host(setup);
  if (!host->refusals().empty()) throw BenchFailure(host->refusals().front().reason);

  note("full sync of " + std::to_string(objects) + " objects");
  double full_s = 0, resync_s = 0;
  const auto full = timed_sync(*host, full_s);
  if (full["created"] != objects || full["objects"] != objects)
    throw BenchFailure("the full sync did not create the fake's objects: " + full.dump());
  note("re-sync with nothing changed");
  const auto again = timed_sync(*host, resync_s);
  if (again["unchanged"] != objects || again["created"] != 0 || again["updated"] != 0 ||
      again["deleted"] != 0)
    throw BenchFailure("the re-sync changed something: " + again.dump());

  print_figure("store", std::string_view("sqlite"));
  print_figure("objects", objects);
  print_figure("latency_ms", latency_ms);
  print_figure("page_size", page_size);
  print_figure("max_in_flight", in_flight);
  print_figure("requests", full["requests"].get<int64_t>());
  print_figure("full_sync_s", full_s);
  print_figure("resync_s", resync_s);
  print_figure("objects_per_s", static_cast<double>(objects) / full_s, 0);
  print_figure("peak_rss_kb", peak_rss_kb());
  return 0;
}

}  // namespace

JOBHOST_BENCHMARK("hedgehog",
                  "[--objects N] [--latency-ms L] [--page-size P] [--in-flight N] [--dir PATH]",
                  "hedgehog.fabric_sync of one fabric of N objects against the fake Kubernetes "
                  "API (SQLite): full sync and no-change re-sync seconds, peak RSS",
                  run_hedgehog);

}  // namespace jobhost::bench
