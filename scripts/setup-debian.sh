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
  # packaging_test: systemd-analyze verify on the units, logger in the cron wrapper
  systemd bsdutils
  # install_test, deb_test, the demo: JSON checks (cpack's dpkg-shlibdeps is dpkg-dev, from
  # build-essential); container_test parses the compose file with PyYAML
  python3 python3-yaml
  # the dashboard's browser test (tests/browser): headless Chromium driven by puppeteer-core
  chromium
)
# Node.js for the browser test; any node already installed (>= 18) will do.
command -v node >/dev/null || packages+=(nodejs npm)

root="$(cd "$(dirname "$0")/.." && pwd)"

# The browser test's node modules, exactly as tests/browser/package-lock.json pins them: installed
# when missing or when the lockfile changed since the last install (never as root for a sudo
# user, so that the checkout stays theirs).
install_node_modules() {
  local dir="$root/tests/browser"
  [ -f "$dir/package-lock.json" ] || return 0
  if [ -d "$dir/node_modules" ] && cmp -s "$dir/package-lock.json" "$dir/node_modules/.jobhost-lock"; then
    return 0
  fi
  echo "setup-debian.sh: installing tests/browser's node modules (npm ci)"
  local as_user=()
  if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    as_user=(sudo -u "$SUDO_USER" -H)
  fi
  "${as_user[@]}" npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  "${as_user[@]}" cp "$dir/package-lock.json" "$dir/node_modules/.jobhost-lock"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_node_modules
  exit 0
fi

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
install_node_modules
echo "setup-debian.sh: done"
