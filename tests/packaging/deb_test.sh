#!/usr/bin/env bash
# deb_test: builds the .deb with CPack from the build tree (into a temporary directory, so that
# nothing is left in the build tree and install_test may run alongside), then checks
#   - its control data: name, version, section, Depends (dpkg-shlibdeps ran), conffiles,
#     the maintainer scripts;
#   - its contents: host, plugins (only the three real ones), SDK, CMake and pkg-config
#     packages, template, units, sysusers entry, /etc/jobhost/jobhost.yaml, all under /usr and
#     /etc and none under /usr/local (the build's own prefix);
#   - that the files written at install time name /usr (the packaging prefix): the default
#     config's plugin_dirs, jobhost.pc; the units are shipped exactly as in packaging/systemd;
#   - unpacked with dpkg -x: the packaged jobhost prints the version, and the packaged default
#     config (plugin_dirs and store moved into the unpacked root) passes `config check` with
#     the three packaged plugins loaded.
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail

build=$1
src=$2
version=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

test_name=deb_test
# shellcheck source=tests/packaging/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

step "cpack -G DEB (config $build/CPackConfig.cmake, output in $tmp/cpack)"
[ -f "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake is missing (include(CPack)?)"
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/cpack" >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log" >&2
  fail "cpack -G DEB"
fi
mapfile -t debs < <(find "$tmp/cpack" -maxdepth 1 -name '*.deb')
[ ${#debs[@]} -eq 1 ] || fail "expected one .deb, cpack wrote ${#debs[@]}: ${debs[*]}"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "jobhost_${version}_$arch.deb" ] || fail "unexpected file name $(basename "$deb")"
echo "ok: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

step "control data"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = jobhost ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected $version"
[ "$(field Section)" = admin ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
[ -n "$depends" ] || fail "Depends is empty"
# dpkg-shlibdeps found the libraries the host and plugins link (libc, SQLite, yaml-cpp, curl).
for lib in libc6 libsqlite3-0 libyaml-cpp libcurl4 adduser; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
dpkg-deb --info "$deb" >"$tmp/info"
for member in conffiles postinst prerm postrm; do
  grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\*? *$member( |$)" "$tmp/info" ||
    fail "dpkg-deb --info lists no $member: $(cat "$tmp/info")"
done
dpkg-deb --control "$deb" "$tmp/control"
[ "$(cat "$tmp/control/conffiles")" = /etc/jobhost/jobhost.yaml ] ||
  fail "conffiles is '$(cat "$tmp/control/conffiles")', expected /etc/jobhost/jobhost.yaml"
for script in postinst prerm postrm; do
  [ -x "$tmp/control/$script" ] || fail "$script is not executable"
  sh -n "$tmp/control/$script" || fail "$script is not valid sh"
done
if ! grep -q 'systemd-sysusers' "$tmp/control/postinst" || ! grep -q 'adduser --system' "$tmp/control/postinst"; then
  fail "postinst does not create the jobhost user (systemd-sysusers, else adduser)"
fi
echo "ok: jobhost $version, Depends: $depends"

step "contents"
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
for path in \
  /usr/bin/jobhost \
  /usr/lib/jobhost/plugins/zabbix-host-sync.so \
  /usr/lib/jobhost/plugins/hedgehog-fabric-sync.so \
  /usr/lib/jobhost/plugins/meraki-sync.so \
  /usr/lib/jobhost/jobhost-tick \
  /usr/include/jobhost/plugin_api.h \
  /usr/include/jobhost/sdk.hpp \
  /usr/include/jobhost/cpp/run.hpp \
  /usr/share/cmake/jobhost/jobhostConfig.cmake \
  /usr/share/cmake/jobhost/jobhostConfigVersion.cmake \
  /usr/share/cmake/jobhost/jobhostTargets.cmake \
  /usr/share/cmake/jobhost/JobhostPlugin.cmake \
  /usr/share/pkgconfig/jobhost.pc \
  /usr/share/jobhost/template/CMakeLists.txt \
  /usr/share/jobhost/examples/jobhost.yaml \
  /usr/share/jobhost/cron/jobhost.cron \
  /usr/share/doc/jobhost/README.md \
  /usr/lib/systemd/system/jobhost.service \
  /usr/lib/systemd/system/jobhost-tick.service \
  /usr/lib/systemd/system/jobhost-tick.timer \
  /usr/lib/sysusers.d/jobhost.conf \
  /etc/jobhost/jobhost.yaml; do
  grep -qxF "$path" "$tmp/contents" || fail "the package lacks $path"
done
if grep -q '^/usr/local' "$tmp/contents"; then fail "the package has files under /usr/local"; fi
if grep -Ev '^/(usr|etc)(/|$)|^/$' "$tmp/contents" | grep -q .; then
  fail "the package has files outside /usr and /etc: $(grep -Ev '^/(usr|etc)(/|$)|^/$' "$tmp/contents")"
fi
plugins=$(grep '^/usr/lib/jobhost/plugins/.' "$tmp/contents" | sort | tr '\n' ' ')
[ "$plugins" = "/usr/lib/jobhost/plugins/hedgehog-fabric-sync.so /usr/lib/jobhost/plugins/meraki-sync.so /usr/lib/jobhost/plugins/zabbix-host-sync.so " ] ||
  fail "the plugin directory holds: $plugins"
echo "ok: $(wc -l <"$tmp/contents") entries, the three plugins only"

step "unpacked: files name the packaging prefix /usr"
root=$tmp/root
dpkg -x "$deb" "$root"
grep -qx '  - /usr/lib/jobhost/plugins' "$root/etc/jobhost/jobhost.yaml" ||
  fail "etc/jobhost/jobhost.yaml does not list /usr/lib/jobhost/plugins in plugin_dirs"
grep -qx '  path: /var/lib/jobhost/jobhost.db' "$root/etc/jobhost/jobhost.yaml" ||
  fail "etc/jobhost/jobhost.yaml has not its store at /var/lib/jobhost/jobhost.db"
grep -qx 'prefix=/usr' "$root/usr/share/pkgconfig/jobhost.pc" || fail "jobhost.pc: prefix is not /usr"
for unit in "$src"/packaging/systemd/*; do
  cmp -s "$unit" "$root/usr/lib/systemd/system/$(basename "$unit")" ||
    fail "the packaged $(basename "$unit") differs from packaging/systemd/"
done
cmp -s "$src/packaging/cron/jobhost-tick" "$root/usr/lib/jobhost/jobhost-tick" ||
  fail "the packaged jobhost-tick differs from packaging/cron/"
if grep -rlI -e "$build" -e "$src/" "$root" >"$tmp/leaks"; then
  fail "packaged files name the build or source tree: $(cat "$tmp/leaks")"
fi
# The files written at install time must not name the build's configured prefix.
if grep -l /usr/local "$root/etc/jobhost/jobhost.yaml" "$root/usr/share/pkgconfig/jobhost.pc" \
  "$root"/usr/lib/systemd/system/* "$root"/usr/share/jobhost/cron/* >"$tmp/leaks"; then
  fail "generated files name /usr/local: $(cat "$tmp/leaks")"
fi
if readelf -S "$root/usr/bin/jobhost" | grep -q '\.debug_info'; then fail "usr/bin/jobhost is not stripped"; fi
echo "ok: /usr and /etc paths, units as in packaging/systemd, binaries stripped"

step "unpacked: the packaged host runs"
out=$("$root/usr/bin/jobhost" --version)
[ "$out" = "jobhost $version" ] || fail "jobhost --version printed '$out', expected 'jobhost $version'"
# The packaged default config, with only the plugin directory and the store moved into $tmp.
conf=$tmp/jobhost.yaml
sed -e "s|^  - /usr/lib/jobhost/plugins\$|  - $root/usr/lib/jobhost/plugins|" \
  -e "s|^  path: /var/lib/jobhost/jobhost.db\$|  path: $tmp/jobhost.db|" \
  "$root/etc/jobhost/jobhost.yaml" >"$conf"
if ! grep -qx "  - $root/usr/lib/jobhost/plugins" "$conf" || ! grep -qx "  path: $tmp/jobhost.db" "$conf"; then
  fail "rewriting plugin_dirs and store.path in the copy of the default config"
fi
J=(env -u MERAKI_API_KEY "$root/usr/bin/jobhost" --config "$conf")
"${J[@]}" config check "$conf" >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out" >&2; fail "config check of the packaged default config"; }
[ "$(cat "$tmp/check.out")" = "$conf: ok" ] || fail "config check printed: $(cat "$tmp/check.out")"
"${J[@]}" config check --json "$conf" | json_check "config check --json of the packaged default config" \
  'd["ok"] and not d["problems"] and not d["plugins_refused"]'
"${J[@]}" plugins --json | json_check "the packaged plugins do not all load" \
  'not d["refused"] and sorted(p["name"] for p in d["plugins"]) == ["hedgehog-fabric-sync", "meraki-sync", "zabbix-host-sync"]'
echo "ok: jobhost $version; config check: ok; plugins: hedgehog-fabric-sync, meraki-sync, zabbix-host-sync"
echo "deb_test: all checks passed"
