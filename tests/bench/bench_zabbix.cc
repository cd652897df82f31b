// jobhost-bench zabbix: the zabbix-host-sync refresh of N HostConfigs against the fake Zabbix
// (a separate process, so the figures are the host's own), with added latency per request,
// on the SQLite store. Checks the run found exactly the drift and the missing hosts the fake
// generated, so no figure stands for work that did not happen.
#include <cmath>
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

int run_zabbix(Args& args) {
  const int64_t hosts = args.take_int("hosts", 100000, 1, 10000000);
  const int64_t latency_ms = args.take_int("latency-ms", 1, 0, 10000);
  const double drift = std::stod(args.take_or("drift", "0.05"));
  const double missing = std::stod(args.take_or("missing", "0.01"));
  const int64_t batch = args.take_int("batch", 500, 1, 10000);
  const int64_t in_flight = args.take_int("in-flight", 4, 1, 64);
  const std::string base = args.take_or("dir", "");
  args.finish();
  if (drift < 0 || missing < 0 || drift + missing > 1)
    throw UsageError("--drift and --missing: fractions from 0 to 1 that add up to at most 1");

  const std::string plugin = testing::built_plugin("zabbix-host-sync");
  if (!std::filesystem::exists(plugin)) throw BenchFailure(plugin + " does not exist: build it");

  testing::TempDir dir("bench-zabbix", base);
  const auto desired = dir.file("host_configs.json");
  FakeServer server({"fake-zabbix", "--hosts", std::to_string(hosts), "--drift",
                     std::to_string(drift), "--missing", std::to_string(missing), "--latency-ms",
                     std::to_string(latency_ms), "--write-desired", desired.string()});
  const std::string url = server.url();

  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, dir.file("jobhost.db").string()};
  setup.plugin_files = {plugin};
  setup.plugins_yaml = "  zabbix-host-sync:\n    url: " + url +
                       "\n    token: fake-token\n    batch_size: " + std::to_string(batch) +
                       "\n    max_in_flight: " + std::to_string(in_flight) + "\n";
  auto host = testing::open_test_host(setup);
  if (!host->refusals().empty()) throw BenchFailure(host->refusals().front().reason);

  note("importing the desired HostConfigs");
  double start = monotonic_seconds();
  auto imported = host->run_now("zabbix.import_host_configs", {{"file", desired.string()}});
  if (imported.status != jobs::JobStatus::completed)
    throw BenchFailure("import: " + imported.error);
  const double import_s = monotonic_seconds() - start;

  note("refreshing the sync status of every HostConfig");
  start = monotonic_seconds();
  auto refreshed = host->run_now("zabbix.host_config_sync_refresh", {});
  const double seconds = monotonic_seconds() - start;
  if (refreshed.status != jobs::JobStatus::completed || !refreshed.result)
    throw BenchFailure("refresh: " + refreshed.error);
  const auto r = nlohmann::json::parse(*refreshed.result);
  const auto expect_missing = static_cast<int64_t>(std::llround(hosts * missing));
  const auto expect_drift = static_cast<int64_t>(std::llround(hosts * drift));
  if (r["total"] != hosts || r["failed"] != expect_missing || r["out_of_sync"] != expect_drift)
    throw BenchFailure("the refresh did not find what the fake generated (" +
                       std::to_string(expect_drift) + " drifted, " +
                       std::to_string(expect_missing) + " missing): " + r.dump());

  print_figure("store", std::string_view("sqlite"));
  print_figure("hosts", hosts);
  print_figure("latency_ms", latency_ms);
  print_figure("batch_size", batch);
  print_figure("max_in_flight", in_flight);
  print_figure("import_s", import_s);
  print_figure("seconds", seconds);
  print_figure("hosts_checked", r["updated"].get<int64_t>() + r["failed"].get<int64_t>());
  print_figure("out_of_sync", r["out_of_sync"].get<int64_t>());
  print_figure("failed", r["failed"].get<int64_t>());
  print_figure("requests", r["requests"].get<int64_t>());
  print_figure("hosts_per_s", static_cast<double>(hosts) / seconds, 0);
  print_figure("peak_rss_kb", peak_rss_kb());
  return 0;
}

}  // namespace

JOBHOST_BENCHMARK("zabbix",
                  "[--hosts N] [--latency-ms L] [--drift F] [--missing F] [--batch B] "
                  "[--in-flight N] [--dir PATH]",
                  "zabbix-host-sync refresh of N HostConfigs against the fake Zabbix (SQLite): "
                  "seconds, requests, peak RSS",
                  run_zabbix);

}  // namespace jobhost::bench
