// fake-kubernetes: the fake Kubernetes API server with a generated Hedgehog fabric, as a
// program for demos and manual runs.
//
//   fake-kubernetes --objects 1200 --tls-dir /tmp/k8s-tls --mutate-every 10 --mutate-count 2
//
// Prints one line "fake-kubernetes listening on <url> (N objects[, CA <file>])" and serves
// until SIGTERM or SIGINT, then exits 0. Bad options: a message naming the option, exit 2.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/kubernetes/fake_kubernetes.h"
#include "support/fake_program.h"
#include "support/test_tls.h"

namespace {

using jobhost::testing::FakeKubernetes;
using jobhost::testing::FakeKubernetesOptions;
using jobhost::testing::parse_seconds;
using jobhost::testing::parse_unsigned;
using jobhost::testing::read_options;
using jobhost::testing::run_fake_program;
using jobhost::testing::serve_until_stopped;
using jobhost::testing::StopSignals;
using jobhost::testing::UsageError;

constexpr std::string_view kUsage = R"(Usage: fake-kubernetes [options]

A fake Kubernetes API server on 127.0.0.1 serving a generated Hedgehog fabric's custom
resources (wiring.githedgehog.com and vpc.githedgehog.com, v1beta1) to a client with the
bearer token. Serves until SIGTERM or SIGINT.

Options:
  --port P             TCP port to listen on (default 0: an ephemeral port, shown at start)
  --objects N          generated objects, spread over the 12 synced kinds (default 0), named
                       switch-00000, connection-00001, ...; plus 2 switch and 2 server profiles
  --seed S             seed of the generated fabric and of the mutations (default 1)
  --token T            the valid bearer token (default: $FAKE_K8S_TOKEN if set, else
                       fake-k8s-token)
  --namespace NS       the namespace holding the objects (default default)
  --missing-kind P     a plural whose CRD is not installed (its list answers 404); repeatable
  --latency-ms L       milliseconds added to every answer (default 0)
  --tls-dir DIR        serve HTTPS: generate a throwaway CA and a server certificate for
                       127.0.0.1 into DIR (created if needed) and print the CA file
  --mutate-every S     every S seconds (decimals allowed) add, change and delete objects
  --mutate-count N     objects added, changed and deleted each time (default 1)
  --continue-ttl-ms T  age at which a continue token answers 410 Gone (default 300000)
  --git-version V      what /version answers as gitVersion (default v1.30.4+k3s1)
  --threads N          server threads (default 2)
  --help               show this help
)";

struct Arguments {
  FakeKubernetesOptions options;
  std::optional<std::filesystem::path> tls_dir;
  std::optional<double> mutate_every;
  std::optional<std::size_t> mutate_count;
  bool help = false;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments args;
  if (const char* token = std::getenv("FAKE_K8S_TOKEN"); token != nullptr && *token != '\0') {
    args.options.token = token;
  }
  static const std::vector<std::string_view> flags = {"--help", "-h"};
  static const std::vector<std::string_view> with_value = {
      "--port",         "--objects",         "--seed",
      "--token",        "--namespace",       "--missing-kind",
      "--latency-ms",   "--tls-dir",         "--mutate-every",
      "--mutate-count", "--continue-ttl-ms", "--git-version",
      "--threads"};
  read_options(
      argc, argv, flags, with_value, [&](const std::string& name, const std::string& value) {
        FakeKubernetesOptions& o = args.options;
        if (name == "--help" || name == "-h") {
          args.help = true;
        } else if (name == "--port") {
          o.port = static_cast<std::uint16_t>(parse_unsigned(name, value, 65535));
        } else if (name == "--objects") {
          o.objects = static_cast<std::size_t>(parse_unsigned(name, value, 10'000'000));
        } else if (name == "--seed") {
          o.seed = parse_unsigned(name, value);
        } else if (name == "--token") {
          if (value.empty()) throw UsageError{"--token: must not be empty"};
          o.token = value;
        } else if (name == "--namespace") {
          if (value.empty()) throw UsageError{"--namespace: must not be empty"};
          o.ns = value;
        } else if (name == "--missing-kind") {
          bool hedgehog = false;
          for (const auto& kind : jobhost::testing::hedgehog_kinds()) {
            hedgehog = hedgehog || kind.plural == value;
          }
          if (!hedgehog) {
            throw UsageError{"--missing-kind: not the plural of a Hedgehog kind: '" + value + "'"};
          }
          o.missing_kinds.push_back(value);
        } else if (name == "--latency-ms") {
          o.latency = std::chrono::milliseconds(parse_unsigned(name, value, 3'600'000));
        } else if (name == "--tls-dir") {
          if (value.empty()) throw UsageError{"--tls-dir: needs a directory"};
          args.tls_dir = value;
        } else if (name == "--mutate-every") {
          args.mutate_every = parse_seconds(name, value);
        } else if (name == "--mutate-count") {
          args.mutate_count = static_cast<std::size_t>(parse_unsigned(name, value, 100'000));
        } else if (name == "--continue-ttl-ms") {
          o.continue_ttl = std::chrono::milliseconds(parse_unsigned(name, value, 86'400'000));
        } else if (name == "--git-version") {
          if (value.empty()) throw UsageError{"--git-version: must not be empty"};
          o.git_version = value;
        } else if (name == "--threads") {
          o.threads = static_cast<std::size_t>(parse_unsigned(name, value, 256));
          if (o.threads == 0) throw UsageError{"--threads: must be at least 1"};
        }
      });
  if (args.mutate_count && !args.mutate_every) {
    throw UsageError{"--mutate-count: needs --mutate-every"};
  }
  return args;
}

std::string names_of(const std::vector<FakeKubernetes::Change>& changes) {
  std::string out;
  for (const auto& change : changes) out += (out.empty() ? "" : " ") + change.name;
  return out.empty() ? "-" : out;
}

}  // namespace

int main(int argc, char** argv) {
  return run_fake_program<Arguments>(
      "fake-kubernetes", kUsage, argc, argv, parse_arguments,
      [](Arguments& args, StopSignals& stop_signals) {
        std::optional<std::filesystem::path> ca_file;
        if (args.tls_dir) {
          std::filesystem::create_directories(*args.tls_dir);
          auto certificates = jobhost::testing::make_test_certificates(*args.tls_dir);
          args.options.tls = certificates.server_tls();
          ca_file = certificates.ca_cert_file;
        }
        FakeKubernetes fake(std::move(args.options));
        std::cout << "fake-kubernetes listening on " << fake.url() << " (" << fake.total()
                  << " objects";
        if (ca_file) std::cout << ", CA " << ca_file->string();
        std::cout << ")" << std::endl;

        const std::size_t per_mutation = args.mutate_count.value_or(1);
        serve_until_stopped(stop_signals, args.mutate_every, [&] {
          auto mutation = fake.mutate(per_mutation, per_mutation, per_mutation);
          std::cout << "fake-kubernetes: mutated: added " << names_of(mutation.added)
                    << "; changed " << names_of(mutation.changed) << "; deleted "
                    << names_of(mutation.deleted) << " (" << fake.total() << " objects)"
                    << std::endl;
        });
        fake.stop();
      });
}
