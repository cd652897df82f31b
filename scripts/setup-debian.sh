#!/usr/bin/env bash
# Installs every Debian 12 package that jobhost's build, tests, benchmarks and demo need.
# Idempotent: when everything is present it prints nothing and exits 0.
# Must run as root (it calls apt-get); re-runs itself with sudo when that is available.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ccache mold clang-format
  # libraries (Boost 1.81: Debian's 1.74 Asio does not compile under C++20 with g++ 12)
  libboost1.81-dev libboost-filesystem1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  libcurl4-openssl-dev libssl-dev libhowardhinnant-date-dev tzdata
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  postgresql sqlite3 util-linux procps
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then exec sudo "$0" "$@"; fi
  echo "setup-debian.sh: these packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi

echo "setup-debian.sh: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The 1.74 Boost dev packages conflict with 1.81; apt removes them as part of this install.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's postgresql package starts a cluster on 5432; the tests start their own servers.
echo "setup-debian.sh: done"
