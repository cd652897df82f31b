// jobhost-bench meraki: a full meraki.sync (auto) of one organization of N networks and M devices
// against the fake Meraki Dashboard (a separate process, so the figures are the host's own)
// enforcing Meraki's real per-organization rate limit, on the SQLite store.
//
// The floor is the least number of calls the endpoints allow (every list at its largest
// perPage), divided by the rate, as the issue defines it; bucket_floor_seconds also credits
// the burst the bucket starts with. The run fails if it made a call beyond those pages and
// the 429s it met, or did not store every device.
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

int64_t pages(int64_t items, int64_t per_page) {
  return std::max<int64_t>(1, (items + per_page - 1) / per_page);
}

int run_meraki(Args& args) {
  const int64_t networks = args.take_int("networks", 5000, 1, 100000);
  const int64_t devices = args.take_int("devices", 50000, 0, 1000000);
  const int64_t rate = args.take_int("rate", 10, 1, 1000);
  const int64_t burst = args.take_int("burst", 10, 1, 1000);
  const std::string base = args.take_or("dir", "");
  args.finish();

  const std::string plugin = testing::built_plugin("meraki-sync");
  if (!std::filesystem::exists(plugin)) throw BenchFailure(plugin + " does not exist: build it");
  FakeServer server({"fake-meraki", "--networks", std::to_string(networks), "--devices",
                     std::to_string(devices), "--rate", std::to_string(rate), "--burst",
                     std::to_string(burst)});

  testing::TempDir dir("bench-meraki", base);
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, dir.file("jobhost.db").string()};
  setup.plugin_files = {plugin};
  setup.plugins_yaml = "  meraki-sync:\n    api_key: fake-meraki-key\n    base_url: \"" +
                       server.url() + "\"\n    rate_limit_per_s: " + std::to_string(rate) +
                       "\n    rate_limit_burst: " + std::to_string(burst) + "\n";
  auto host = testing::open_test_host(setup);
  if (!host->refusals().empty()) throw BenchFailure(host->refusals().front().reason);

  // The fewest calls: /organizations, then each org-wide list at its largest page.
  const int64_t org_calls = pages(networks, 100000) + pages(devices, 5000) + pages(devices, 1000);
  const int64_t least_calls = 1 + org_calls;
  note("full sync of " + std::to_string(networks) + " networks and " + std::to_string(devices) +
       " devices at " + std::to_string(rate) + " requests/s");
  const double start = monotonic_seconds();
  auto outcome = host->run_now("meraki.sync", {{"mode", "auto"}});
  const double seconds = monotonic_seconds() - start;
  if (outcome.status != jobs::JobStatus::completed || !outcome.result)
    throw BenchFailure("sync: " + outcome.error);
  const auto r = nlohmann::json::parse(*outcome.result);
  const int64_t calls = r["api_calls"], calls_429 = r["calls_429"];
  if (r["counts"]["devices"]["create"] != devices || r["counts"]["sites"]["create"] != networks)
    throw BenchFailure("the sync did not store the fake's inventory: " + r["counts"].dump());
  if (calls != least_calls + calls_429)
    throw BenchFailure(std::to_string(calls) + " calls where the pages need " +
                       std::to_string(least_calls) + " and " + std::to_string(calls_429) +
                       " were 429s: calls were wasted");

  const double floor_s = static_cast<double>(least_calls) / static_cast<double>(rate);
  const double bucket_floor_s =
      static_cast<double>(std::max<int64_t>(0, org_calls - burst)) / static_cast<double>(rate);
  print_figure("store", std::string_view("sqlite"));
  print_figure("networks", networks);
  print_figure("devices", devices);
  print_figure("rate_per_s", rate);
  print_figure("burst", burst);
  print_figure("seconds", seconds);
  print_figure("floor_seconds", floor_s);
  print_figure("bucket_floor_seconds", bucket_floor_s);
  print_figure("over_floor_pct", (seconds / floor_s - 1) * 100, 1);
  print_figure("calls", calls);
  print_figure("least_calls", least_calls);
  print_figure("calls_429", calls_429);
  print_figure("peak_rss_kb", peak_rss_kb());
  return 0;
}

}  // namespace

JOBHOST_BENCHMARK("meraki", "[--networks N] [--devices M] [--rate R] [--burst B] [--dir PATH]",
                  "meraki.sync (auto) of one organization against the fake Meraki Dashboard at "
                  "its real rate limit (SQLite): seconds against the rate-limit floor, calls, "
                  "429s, peak RSS",
                  run_meraki);

}  // namespace jobhost::bench
