// fake-meraki: the fake Meraki Dashboard API v1 as a program, for demos and manual runs.
//
//   fake-meraki --organizations 2 --networks 500 --devices 5000 --shard --mutate-every 10
//
// Prints one line "fake-meraki listening on <api_url> (O organizations, N networks, M devices[,
// shard <shard_url>])" (all organizations together) and serves until SIGTERM or SIGINT, then
// exits 0. Bad options: a message naming the option, exit 2.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/meraki/fake_meraki.h"
#include "support/fake_program.h"

namespace {

using jobhost::testing::FakeMeraki;
using jobhost::testing::FakeMerakiOptions;
using jobhost::testing::parse_number;
using jobhost::testing::parse_seconds;
using jobhost::testing::parse_unsigned;
using jobhost::testing::read_options;
using jobhost::testing::run_fake_program;
using jobhost::testing::serve_until_stopped;
using jobhost::testing::StopSignals;
using jobhost::testing::UsageError;

constexpr std::string_view kUsage = R"(Usage: fake-meraki [options]

A fake Meraki Dashboard API v1 on 127.0.0.1 with generated organizations, networks and
devices. Point a client at the printed URL (it ends in /api/v1) with the API key, sent as
"Authorization: Bearer KEY" or "X-Cisco-Meraki-API-Key: KEY". Serves until SIGTERM or SIGINT.

  GET /organizations                        perPage 3-9000 (default 9000)
  GET /organizations/{id}
  GET /organizations/{id}/networks          perPage 3-100000 (default 1000)
  GET /organizations/{id}/devices           perPage 3-5000 (default 1000)
  GET /organizations/{id}/devices/statuses  perPage 3-1000 (default 1000)

Lists page with startingAfter / endingBefore; a page that is not the whole list has a Link
header (rel=first, prev, next, last): follow rel=next until there is none. Too many requests
answer 429 with Retry-After (seconds to wait). Organization ids are 500001, 500002, ...

Options:
  --port P             TCP port to listen on (default 0: an ephemeral port, shown at start)
  --organizations N    generated organizations "Org 1", "Org 2", ... (default 1)
  --networks N         networks per organization (default 0)
  --devices N          devices per organization, spread over its networks (default 0; needs
                       --networks)
  --seed S             seed of the generated data and of the mutations (default 1)
  --api-key K          the valid API key (default: $FAKE_MERAKI_KEY if set, else
                       fake-meraki-key)
  --rate R             requests a second per organization, a token bucket; 0: no limit
                       (default 10)
  --burst B            requests an organization may send at once after a pause (default 10)
  --ip-rate R          requests a second (and at once) from one IP address over all
                       organizations; 0: no limit (default 100)
  --shard              redirect organization requests to a second server (the "shard") on
                       its own port, as api.meraki.com does; clients must send the key again
  --shard-host H       the host in the redirect's Location: 127.0.0.1 (default), or
                       localhost to look like another domain
  --redirect-status S  301, 302, 303, 307 or 308 (default 308)
  --latency-ms L       milliseconds added to every answer (default 0)
  --mutate-every S     every S seconds (decimals allowed) add, change and delete devices in
                       every organization
  --mutate-count N     devices added, changed and deleted each time (default 1)
  --threads N          server threads, per server (default 2)
  --help               show this help

Example:
  fake-meraki --networks 3 --devices 20 &
  curl -H "Authorization: Bearer fake-meraki-key" \
       "http://127.0.0.1:PORT/api/v1/organizations/500001/devices?perPage=5" -i
)";

struct Arguments {
  FakeMerakiOptions options;
  std::optional<double> mutate_every;
  std::optional<std::size_t> mutate_count;
  bool help = false;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments args;
  if (const char* key = std::getenv("FAKE_MERAKI_KEY"); key != nullptr && *key != '\0') {
    args.options.api_key = key;
  }
  static const std::vector<std::string_view> flags = {"--help", "-h", "--shard"};
  static const std::vector<std::string_view> with_value = {"--port",
                                                           "--organizations",
                                                           "--networks",
                                                           "--devices",
                                                           "--seed",
                                                           "--api-key",
                                                           "--rate",
                                                           "--burst",
                                                           "--ip-rate",
                                                           "--shard-host",
                                                           "--redirect-status",
                                                           "--latency-ms",
                                                           "--mutate-every",
                                                           "--mutate-count",
                                                           "--threads"};
  read_options(
      argc, argv, flags, with_value, [&](const std::string& name, const std::string& value) {
        FakeMerakiOptions& o = args.options;
        if (name == "--help" || name == "-h") {
          args.help = true;
        } else if (name == "--shard") {
          o.shard = true;
        } else if (name == "--port") {
          o.port = static_cast<std::uint16_t>(parse_unsigned(name, value, 65535));
        } else if (name == "--organizations") {
          o.organizations = static_cast<std::size_t>(parse_unsigned(name, value, 10'000));
        } else if (name == "--networks") {
          o.networks = static_cast<std::size_t>(parse_unsigned(name, value, 1'000'000));
        } else if (name == "--devices") {
          o.devices = static_cast<std::size_t>(parse_unsigned(name, value, 10'000'000));
        } else if (name == "--seed") {
          o.seed = parse_unsigned(name, value);
        } else if (name == "--api-key") {
          if (value.empty()) throw UsageError{"--api-key: must not be empty"};
          o.api_key = value;
        } else if (name == "--rate") {
          o.rate_per_s = parse_number(name, value, 0, 1e6, "a number of requests a second");
        } else if (name == "--burst") {
          o.burst = parse_number(name, value, 1, 1e6, "a number of requests");
        } else if (name == "--ip-rate") {
          o.ip_rate_per_s = parse_number(name, value, 0, 1e6, "a number of requests a second");
          o.ip_burst = o.ip_rate_per_s < 1 ? 1 : o.ip_rate_per_s;
        } else if (name == "--shard-host") {
          if (value.empty() || value.find_first_of("/:@ ") != std::string::npos) {
            throw UsageError{"--shard-host: not a host name: '" + value + "'"};
          }
          o.shard_host = value;
        } else if (name == "--redirect-status") {
          auto status = parse_unsigned(name, value, 999);
          if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw UsageError{"--redirect-status: not 301, 302, 303, 307 or 308: '" + value + "'"};
          }
          o.redirect_status = static_cast<int>(status);
        } else if (name == "--latency-ms") {
          o.latency = std::chrono::milliseconds(parse_unsigned(name, value, 3'600'000));
        } else if (name == "--mutate-every") {
          args.mutate_every = parse_seconds(name, value);
        } else if (name == "--mutate-count") {
          args.mutate_count = static_cast<std::size_t>(parse_unsigned(name, value, 100'000));
        } else if (name == "--threads") {
          o.threads = static_cast<std::size_t>(parse_unsigned(name, value, 256));
          if (o.threads == 0) throw UsageError{"--threads: must be at least 1"};
        }
      });
  if (args.options.devices > 0 && args.options.networks == 0) {
    throw UsageError{"--devices: needs --networks (devices are spread over networks)"};
  }
  if (args.mutate_count && !args.mutate_every) {
    throw UsageError{"--mutate-count: needs --mutate-every"};
  }
  return args;
}

std::string serials(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& serial : list) out += (out.empty() ? "" : " ") + serial;
  return out.empty() ? "-" : out;
}

}  // namespace

int main(int argc, char** argv) {
  return run_fake_program<Arguments>(
      "fake-meraki", kUsage, argc, argv, parse_arguments,
      [](Arguments& args, StopSignals& stop_signals) {
        const std::size_t organizations = args.options.organizations;
        const std::size_t networks = organizations * args.options.networks;
        const std::size_t devices = organizations * args.options.devices;
        FakeMeraki fake(std::move(args.options));
        std::cout << "fake-meraki listening on " << fake.api_url() << " (" << organizations
                  << " organizations, " << networks << " networks, " << devices << " devices";
        if (!fake.shard_url().empty()) std::cout << ", shard " << fake.shard_url();
        std::cout << ")" << std::endl;

        const std::size_t per_mutation = args.mutate_count.value_or(1);
        serve_until_stopped(stop_signals, args.mutate_every, [&] {
          for (const std::string& org_id : fake.organization_ids()) {
            auto mutation = fake.mutate(per_mutation, per_mutation, per_mutation, org_id);
            std::cout << "fake-meraki: mutated organization " << org_id << ": added "
                      << serials(mutation.added) << "; changed " << serials(mutation.changed)
                      << "; deleted " << serials(mutation.deleted) << std::endl;
          }
        });
        fake.stop();
      });
}
