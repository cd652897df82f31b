#!/usr/bin/env bash
# install_test: installs the build tree into a temporary prefix and uses that prefix the way a
# plugin author and an operator would, from outside the source tree:
#   1. `cmake --install` (components runtime and sdk); the tree has the host, the three plugins
#      (and no example or test plugin), the headers, the CMake package, jobhost.pc, the template,
#      the docs, and files that name this prefix, not the build's configured one;
#   2. the installed default config passes `config check` with the installed plugins;
#   3. the template, copied out of the prefix, builds with find_package(jobhost) and
#      CMAKE_PREFIX_PATH only; a second plugin builds with `pkg-config --cflags jobhost`;
#   4. both .so files dropped into a plugin directory are listed by the INSTALLED host's
#      `plugins --json`, and their jobs run (`run-now`) with the expected results and events.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR VERSION UNITS(ON|OFF)
set -euo pipefail

build=$1
src=$2
version=$3
units=$4

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
# Everything must come from the installed prefix: a source tree path in a build of the plugins
# would mean the SDK leaked in from /work/main rather than from $prefix.
case "$tmp" in "$src"/* | "$build"/*) echo "install_test: $tmp is inside the tree" >&2; exit 1 ;; esac

test_name=install_test
# shellcheck source=tests/packaging/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

step "cmake --install $build --prefix $prefix (components runtime, sdk)"
quiet "cmake --install (runtime)" cmake --install "$build" --prefix "$prefix" --component runtime
quiet "cmake --install (sdk)" cmake --install "$build" --prefix "$prefix" --component sdk

step "the installed tree"
expected=(
  bin/jobhost
  lib/jobhost/plugins/zabbix-host-sync.so
  lib/jobhost/plugins/hedgehog-fabric-sync.so
  lib/jobhost/plugins/meraki-sync.so
  lib/jobhost/jobhost-tick
  include/jobhost/plugin_api.h
  include/jobhost/sdk.hpp
  include/jobhost/cpp/plugin.hpp
  include/jobhost/cpp/run.hpp
  share/cmake/jobhost/jobhostConfig.cmake
  share/cmake/jobhost/jobhostConfigVersion.cmake
  share/cmake/jobhost/jobhostTargets.cmake
  share/cmake/jobhost/JobhostPlugin.cmake
  share/pkgconfig/jobhost.pc
  share/jobhost/template/CMakeLists.txt
  share/jobhost/template/myplugin.cc
  share/jobhost/template/README.md
  share/jobhost/examples/jobhost.yaml
  share/jobhost/examples/cluster.yaml
  share/jobhost/cron/jobhost.cron
  share/jobhost/cron/jobhost-tick
  share/doc/jobhost/README.md
  etc/jobhost/jobhost.yaml
)
for f in "$src"/docs/*.md; do expected+=("share/doc/jobhost/$(basename "$f")"); done
for f in "$src"/sdk/include/jobhost/cpp/*.hpp; do expected+=("include/jobhost/cpp/$(basename "$f")"); done
if [ "$units" = ON ]; then
  expected+=(lib/systemd/system/jobhost.service lib/systemd/system/jobhost-tick.service
    lib/systemd/system/jobhost-tick.timer lib/sysusers.d/jobhost.conf)
fi
for f in "${expected[@]}"; do
  [ -f "$prefix/$f" ] || fail "$prefix/$f is not installed"
done
[ -x "$prefix/bin/jobhost" ] || fail "bin/jobhost is not executable"
[ -x "$prefix/lib/jobhost/jobhost-tick" ] || fail "lib/jobhost/jobhost-tick is not executable"
plugins=$(find "$prefix/lib/jobhost/plugins" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')
[ "$plugins" = "hedgehog-fabric-sync.so meraki-sync.so zabbix-host-sync.so " ] ||
  fail "lib/jobhost/plugins holds '$plugins', expected exactly the three real plugins"
echo "ok: ${#expected[@]} files, exactly the three plugins"

# The files written at install time name this prefix; nothing names the build or source tree.
grep -qx "  - $prefix/lib/jobhost/plugins" "$prefix/etc/jobhost/jobhost.yaml" ||
  fail "etc/jobhost/jobhost.yaml does not list $prefix/lib/jobhost/plugins in plugin_dirs"
grep -qx "prefix=$prefix" "$prefix/share/pkgconfig/jobhost.pc" || fail "jobhost.pc: prefix is not $prefix"
if [ "$units" = ON ]; then
  grep -qx "ExecStart=$prefix/bin/jobhost --config $prefix/etc/jobhost/jobhost.yaml run" \
    "$prefix/lib/systemd/system/jobhost.service" || fail "jobhost.service does not run $prefix/bin/jobhost"
fi
grep -q " $prefix/lib/jobhost/jobhost-tick\$" "$prefix/share/jobhost/cron/jobhost.cron" ||
  fail "jobhost.cron does not run $prefix/lib/jobhost/jobhost-tick"
if leaks=$(grep -rlI -e "$build" -e "$src/" "$prefix"); then
  fail "installed files name the build or source tree: $leaks"
fi
echo "ok: installed paths name $prefix"

step "the installed host and its default config"
out=$("$prefix/bin/jobhost" --version)
[ "$out" = "jobhost $version" ] || fail "jobhost --version printed '$out', expected 'jobhost $version'"
# MERAKI_API_KEY unset: the default config must pass as shipped (it falls back to an empty key).
conf=$prefix/etc/jobhost/jobhost.yaml
env -u MERAKI_API_KEY "$prefix/bin/jobhost" --config "$conf" config check --json "$conf" |
  json_check "the installed default config fails config check" \
    'd["ok"] and not d["problems"] and not d["plugins_refused"]'
echo "ok: jobhost $version; etc/jobhost/jobhost.yaml passes config check with the installed plugins"

step "the template, built out of tree with find_package(jobhost) from $prefix"
cp -r "$prefix/share/jobhost/template" "$tmp/myplugin"
# No package registries: only CMAKE_PREFIX_PATH may lead to the SDK.
quiet "configuring the template" cmake -S "$tmp/myplugin" -B "$tmp/myplugin/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
quiet "building the template" cmake --build "$tmp/myplugin/build"
cache=$tmp/myplugin/build/CMakeCache.txt
grep -qx "jobhost_DIR:PATH=$prefix/share/cmake/jobhost" "$cache" ||
  fail "the template found jobhost elsewhere: $(grep '^jobhost_DIR' "$cache")"
grep -qx "MYPLUGIN_INSTALL_DIR:PATH=$prefix/lib/jobhost/plugins" "$cache" ||
  fail "JOBHOST_PLUGIN_INSTALL_DIR is not $prefix/lib/jobhost/plugins: $(grep '^MYPLUGIN_INSTALL_DIR' "$cache")"
grep -q -- "-I$prefix/include\|-isystem $prefix/include" "$tmp/myplugin/build/compile_commands.json" ||
  fail "the template is not compiled against $prefix/include"
so=$tmp/myplugin/build/myplugin.so
[ -f "$so" ] || fail "the template built no myplugin.so (no lib prefix expected)"
# jobhost_add_plugin's hidden visibility: the entry point is exported, the wrapper is not.
nm -D --defined-only "$so" | grep -q ' T jobhost_plugin_v1$' || fail "myplugin.so does not export jobhost_plugin_v1"
if nm -D --defined-only "$so" | grep -q '_ZN7jobhost'; then fail "myplugin.so exports jobhost:: symbols"; fi
echo "ok: myplugin.so built against $prefix"

step "a plugin built with pkg-config --cflags jobhost"
export PKG_CONFIG_PATH=$prefix/share/pkgconfig
[ "$(pkg-config --modversion jobhost)" = "$version" ] || fail "pkg-config --modversion jobhost is not $version"
[ "$(pkg-config --variable=plugindir jobhost)" = "$prefix/lib/jobhost/plugins" ] ||
  fail "pkg-config plugindir is '$(pkg-config --variable=plugindir jobhost)'"
# read: without pkgconf's trailing blank.
read -r cflags < <(pkg-config --cflags jobhost)
[ "$cflags" = "-I$prefix/include" ] || fail "pkg-config --cflags jobhost printed '$cflags'"
mkdir "$tmp/pc"
cat >"$tmp/pc/pcplugin.cc" <<'EOF'
#include <jobhost/sdk.hpp>

JOBHOST_PLUGIN("pcplugin", "1.0.0", "Built with pkg-config") {
  plugin.job("pcplugin.ping").run([](jobhost::Run&) {
    return jobhost::Result::ok(R"({"pong":true})");
  });
}
EOF
# shellcheck disable=SC2086  # cflags is a list of flags
quiet "compiling pcplugin.so" c++ -std=c++17 -O1 -shared -fPIC -fvisibility=hidden \
  -Wl,--no-undefined $cflags -o "$tmp/pc/pcplugin.so" "$tmp/pc/pcplugin.cc"
echo "ok: pcplugin.so built with $cflags"

step "the installed host loads and runs both from a drop-in directory"
mkdir "$tmp/dropin"
cp "$so" "$tmp/pc/pcplugin.so" "$tmp/dropin/"
cat >"$tmp/jobhost.yaml" <<EOF
store: {driver: sqlite, path: $tmp/store.db}
plugin_dirs: [$tmp/dropin]
http: {enabled: false}
log: {level: warn}
plugins:
  myplugin: {greeting: Howdy}
EOF
J=("$prefix/bin/jobhost" --config "$tmp/jobhost.yaml")
"${J[@]}" plugins --json | json_check "plugins --json does not list myplugin and pcplugin" \
  'not d["refused"] and sorted(p["name"] for p in d["plugins"]) == ["myplugin", "pcplugin"]
   and [t["name"] for p in d["plugins"] if p["name"] == "myplugin" for t in p["job_types"]] == ["myplugin.greet"]
   and [t["default_schedule"] for p in d["plugins"] for t in p["job_types"] if t["name"] == "myplugin.greet"] == ["every 60m"]'
echo "ok: plugins --json lists myplugin (myplugin.greet, every 60m) and pcplugin"
"${J[@]}" run-now myplugin.greet --param who=install-test --json |
  json_check "run-now myplugin.greet did not complete with the greeting from the config" \
    'd["status"] == "completed" and d["result"] == {"message": "Howdy, install-test!"}'
"${J[@]}" events --json | json_check "the run's event is not in the event log" \
  'any(e.get("message") == "Howdy, install-test!" for e in d)'
"${J[@]}" run-now pcplugin.ping --json |
  json_check "run-now pcplugin.ping did not complete" 'd["status"] == "completed" and d["result"] == {"pong": True}'
echo "ok: myplugin.greet -> Howdy, install-test! (and its event); pcplugin.ping -> pong"

# The template's failure path: the job runs and reports failure, exit code 3.
status=0
"${J[@]}" run-now myplugin.greet --param who= >"$tmp/out.log" 2>&1 || status=$?
[ "$status" -eq 3 ] || { cat "$tmp/out.log" >&2; fail "run-now myplugin.greet with who= exited $status, expected 3 (failed)"; }
echo "ok: myplugin.greet with an empty who: failed (exit 3)"

step "the template's install rule drops the plugin where the installed host looks"
quiet "cmake --install of the template" cmake --install "$tmp/myplugin/build"
[ -f "$prefix/lib/jobhost/plugins/myplugin.so" ] || fail "cmake --install put myplugin.so elsewhere"
echo "ok: $prefix/lib/jobhost/plugins/myplugin.so"
echo "install_test: all checks passed"
