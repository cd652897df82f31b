// fake-zabbix: the fake Zabbix JSON-RPC API as a program, for demos and manual runs.
//
//   fake-zabbix --hosts 1000 --drift 0.05 --missing 0.02 --write-desired desired.json
//
// Prints one line "fake-zabbix listening on <url> (version V, N hosts)" and serves until
// SIGTERM or SIGINT, then exits 0. Bad options: a message naming the option, exit 2.

#include <cctype>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/zabbix/fake_zabbix.h"
#include "support/fake_program.h"

namespace {

using jobhost::testing::FakeZabbix;
using jobhost::testing::FakeZabbixOptions;
using jobhost::testing::parse_fraction;
using jobhost::testing::parse_unsigned;
using jobhost::testing::read_options;
using jobhost::testing::run_fake_program;
using jobhost::testing::ServerTls;
using jobhost::testing::StopSignals;
using jobhost::testing::UsageError;

constexpr std::string_view kUsage = R"(Usage: fake-zabbix [options]

A fake Zabbix frontend API (JSON-RPC over POST /api_jsonrpc.php) on 127.0.0.1, with a
generated host inventory. Serves until SIGTERM or SIGINT.

Options:
  --port P             TCP port to listen on (default 0: an ephemeral port, shown at start)
  --hosts N            generated hosts host-000000 ... (default 0)
  --drift F            fraction 0..1 of the hosts in Zabbix with one field changed against
                       the desired config (default 0)
  --missing F          fraction 0..1 of the desired hosts absent from Zabbix (default 0)
  --seed S             seed of the generated inventory (default 1)
  --version V          what apiinfo.version answers, and which rules apply: 6.4.x, 7.0.x,
                       7.2.x or later (default 7.0.0)
  --token T            the valid API token, sent as "Authorization: Bearer T" (default
                       fake-token)
  --latency-ms L       milliseconds added to every answer (default 0)
  --threads N          server threads (default 2)
  --write-desired FILE write the desired configs as {"host_configs":[...]} to FILE first
  --tls-cert FILE      serve HTTPS with this PEM certificate chain (needs --tls-key)
  --tls-key FILE       the PEM private key for --tls-cert
  --strict-params      answer unknown host.get parameters with an error instead of
                       ignoring them as Zabbix does
  --zabbix-session-errors
                       answer a wrong token that is not 64 characters long with "Session
                       terminated, re-login, please." as Zabbix does (default: "Not
                       authorized.")
  --help               show this help
)";

struct Arguments {
  FakeZabbixOptions options;
  std::optional<std::string> write_desired;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  bool help = false;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments args;
  static const std::vector<std::string_view> flags = {"--help", "-h", "--strict-params",
                                                      "--zabbix-session-errors"};
  static const std::vector<std::string_view> with_value = {
      "--port",  "--hosts",      "--drift",   "--missing",       "--seed",     "--version",
      "--token", "--latency-ms", "--threads", "--write-desired", "--tls-cert", "--tls-key"};
  read_options(
      argc, argv, flags, with_value, [&](const std::string& name, const std::string& value) {
        FakeZabbixOptions& o = args.options;
        if (name == "--help" || name == "-h") {
          args.help = true;
        } else if (name == "--strict-params") {
          o.strict_params = true;
        } else if (name == "--zabbix-session-errors") {
          o.zabbix_session_errors = true;
        } else if (name == "--port") {
          o.port = static_cast<std::uint16_t>(parse_unsigned(name, value, 65535));
        } else if (name == "--hosts") {
          o.hosts = static_cast<std::size_t>(parse_unsigned(name, value, 100'000'000));
        } else if (name == "--drift") {
          o.drift = parse_fraction(name, value);
        } else if (name == "--missing") {
          o.missing = parse_fraction(name, value);
        } else if (name == "--seed") {
          o.seed = parse_unsigned(name, value);
        } else if (name == "--version") {
          // MAJOR.MINOR[.anything]
          std::size_t dot = value.find('.');
          bool ok = dot != std::string::npos && dot > 0 && dot + 1 < value.size() &&
                    value.substr(0, dot).find_first_not_of("0123456789") == std::string::npos &&
                    std::isdigit(static_cast<unsigned char>(value[dot + 1]));
          if (!ok) throw UsageError{"--version: not a Zabbix version like 7.0.0: '" + value + "'"};
          o.version = value;
        } else if (name == "--token") {
          if (value.empty()) throw UsageError{"--token: must not be empty"};
          o.token = value;
        } else if (name == "--latency-ms") {
          o.latency = std::chrono::milliseconds(parse_unsigned(name, value, 3'600'000));
        } else if (name == "--threads") {
          o.threads = static_cast<std::size_t>(parse_unsigned(name, value, 256));
          if (o.threads == 0) throw UsageError{"--threads: must be at least 1"};
        } else if (name == "--write-desired") {
          if (value.empty()) throw UsageError{"--write-desired: needs a file name"};
          args.write_desired = value;
        } else if (name == "--tls-cert") {
          args.tls_cert = value;
        } else if (name == "--tls-key") {
          args.tls_key = value;
        }
      });
  if (args.tls_cert.has_value() != args.tls_key.has_value()) {
    throw UsageError{args.tls_cert ? "--tls-cert: needs --tls-key" : "--tls-key: needs --tls-cert"};
  }
  if (args.tls_cert) {
    ServerTls tls;
    tls.cert_chain_file = *args.tls_cert;
    tls.private_key_file = *args.tls_key;
    args.options.tls = tls;
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  return run_fake_program<Arguments>("fake-zabbix", kUsage, argc, argv, parse_arguments,
                                     [](Arguments& args, StopSignals& stop_signals) {
                                       std::size_t hosts = args.options.hosts;
                                       std::string version = args.options.version;
                                       FakeZabbix fake(std::move(args.options));
                                       if (args.write_desired)
                                         fake.write_desired(*args.write_desired);
                                       std::cout << "fake-zabbix listening on " << fake.url()
                                                 << " (version " << version << ", " << hosts
                                                 << " hosts)" << std::endl;
                                       stop_signals.wait();
                                       fake.stop();
                                     });
}
