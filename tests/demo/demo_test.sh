#!/usr/bin/env bash
# The newcomer's demo (demo/run-demo.sh, what scripts/demo.sh runs after setup and build),
# against this build tree.
#
#   demo_test.sh CASE BUILD_DIR SOURCE_DIR
#
# once        --once, from a clean build directory (only the programs the demo runs, linked
#             from BUILD_DIR: nothing an earlier build, run or test left there), exits 0 and its
#             summary names the three syncs and their outcomes; the demo writes nothing into the
#             build directory; the elapsed time is printed (a report, not an assertion)
# interrupt   the daemon mode: the dashboard answers and a sync completes; Ctrl-C (SIGINT to
#             the driver's process group, as a terminal sends it) exits 0 and leaves no fake
#             server or jobhost process behind, nor the run directory
# terminate   the same with SIGTERM to the driver alone (a service manager, kill PID)
# no_daemon   the daemon cannot start (its HTTP port is taken): non-zero with the reason, and
#             still nothing left behind
# sync_error  --once with a token Zabbix refuses: non-zero, naming the sync and the reason
# killed      the daemon mode, then SIGKILL to the driver alone (no trap can run): the fakes and
#             the daemon still stop within seconds (their parent-death signal)
#
# Every process the demo starts inherits a unique marker variable; /proc/*/environ finds them.
set -euo pipefail

case_name=$1
build=$2
source_dir=$3
driver="$source_dir/demo/run-demo.sh"

# Each case on its own fresh temporary directory: the demo's run directory goes there, so a
# clean start is certain and a left-over run directory is visible.
work="$(mktemp -d "${TMPDIR:-/tmp}/demo-test.XXXXXX")"
marker="demo-test-$$-$RANDOM"
holder=""
cleanup() {
  # Whatever a failed case left running is stopped here, so the test itself never leaks.
  local pid
  for pid in $(marked_pids); do kill -KILL "$pid" 2>/dev/null || true; done
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL ($case_name): $*" >&2
  if [ -f "$work/out" ]; then
    echo "--- the demo's output:" >&2
    cat "$work/out" >&2
  fi
  exit 1
}

# The live processes (not zombies) whose environment carries this run's marker.
marked_pids() {
  local env pid state
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}
    pid=${pid%/environ}
    [ "$pid" = $$ ] && continue
    # A process may vanish (or be unreadable) between the glob and the read: not ours then.
    if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qx "JOBHOST_DEMO_TEST_MARK=$marker"; then
      state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null) || continue
      [ "$state" = Z ] || echo "$pid"
    fi
  done
}

describe_pids() {
  local pid
  for pid in "$@"; do
    echo "  $pid: $({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null)"
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

http_ok() {
  python3 - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

# Runs the driver in the foreground with the marker; sets rc and elapsed_ms.
run_driver() {
  local start
  start=$(date +%s%N)
  rc=0
  env JOBHOST_DEMO_TEST_MARK="$marker" TMPDIR="$work" \
    "$driver" --build-dir "$build" "$@" >"$work/out" 2>&1 || rc=$?
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
}

# A build directory holding only what the demo runs (hard links when BUILD_DIR is on the same
# file system, else copies). Sets build to it.
use_clean_build_dir() {
  local clean="$work/build" file
  mkdir -p "$clean/bin" "$clean/lib/jobhost/plugins"
  for file in bin/jobhost bin/fake-zabbix bin/fake-kubernetes bin/fake-meraki \
    lib/jobhost/plugins/zabbix-host-sync.so lib/jobhost/plugins/hedgehog-fabric-sync.so \
    lib/jobhost/plugins/meraki-sync.so; do
    cp -l "$build/$file" "$clean/$file" 2>/dev/null || cp "$build/$file" "$clean/$file"
  done
  build="$clean"
}

# After the driver ended: nothing it started runs, its run directory is gone.
expect_nothing_left() {
  local left
  left=$(marked_pids)
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086  # one pid per word
    fail "processes of the demo still run after it exited:
$(describe_pids $left)"
  fi
  if compgen -G "$work/jobhost-demo.*" >/dev/null; then
    fail "the run directory was not removed: $(echo "$work"/jobhost-demo.*)"
  fi
}

# Starts the daemon mode in its own process group (job control on: the group is what a
# terminal's Ctrl-C reaches, and background jobs then keep SIGINT), waits for the dashboard and
# a completed sync, and checks that the fakes and the daemon run.
start_daemon_mode() {
  set -m
  DEMO_HTTP_PORT=$(free_port)
  env JOBHOST_DEMO_TEST_MARK="$marker" TMPDIR="$work" DEMO_HTTP_PORT="$DEMO_HTTP_PORT" \
    "$driver" --build-dir "$build" >"$work/out" 2>&1 &
  demo_pid=$!
  set +m
  local i ready=0
  for ((i = 0; i < 300; i++)); do
    kill -0 "$demo_pid" 2>/dev/null || fail "the demo exited early"
    if http_ok "http://127.0.0.1:$DEMO_HTTP_PORT/" &&
      grep -qE '^[0-9:]+ +(hedgehog\.fabric_sync/demo|meraki\.sync|zabbix\.host_config_sync_refresh) +completed' "$work/out"; then
      ready=1
      break
    fi
    sleep 0.1
  done
  [ $ready = 1 ] || fail "no dashboard on port $DEMO_HTTP_PORT or no completed sync within 30 s"
  grep -q "dashboard *http://127.0.0.1:$DEMO_HTTP_PORT/" "$work/out" || fail "the dashboard's address is not printed"
  local running
  # shellcheck disable=SC2046  # one pid per word
  running=$(describe_pids $(marked_pids))
  for program in fake-zabbix fake-kubernetes fake-meraki "jobhost --config .* run"; do
    echo "$running" | grep -qE "/$program" || fail "no $program among the demo's processes:
$running"
  done
  echo "the demo's processes while it runs:"
  echo "$running"
}

stop_and_check() {
  local signal=$1 target=$2 i
  kill "-$signal" -- "$target"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$demo_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$demo_pid" 2>/dev/null && fail "the demo did not stop within 30 s of SIG$signal"
  rc=0
  wait "$demo_pid" || rc=$?
  [ "$rc" -eq 0 ] || fail "exit code $rc after SIG$signal, expected 0"
  expect_nothing_left
  cat "$work/out"
  echo "SIG$signal: exit 0, no process left"
}

case "$case_name" in
  once)
    use_clean_build_dir
    (cd "$build" && find . | sort) >"$work/build-before"
    run_driver --once
    cat "$work/out"
    printf 'demo --once: %d.%03d s (target: under 20 s on 2 cores)\n' \
      $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
    [ "$rc" -eq 0 ] || fail "exit code $rc, expected 0"
    for sync in hedgehog.fabric_sync/demo meraki.sync zabbix.host_config_sync_refresh; do
      grep -qE "^[0-9:]+ +${sync//./\\.} +completed " "$work/out" || fail "no completed $sync in the summary"
    done
    grep -qE 'fabric demo: 300 objects, 300 created' "$work/out" || fail "hedgehog's outcome missing"
    grep -qE 'mode auto, [0-9]+ changes: .*devices 300 \(\+300' "$work/out" || fail "meraki's outcome missing"
    grep -qE '200 hosts checked: [0-9]+ in sync, [1-9][0-9]* OUT OF SYNC' "$work/out" || fail "zabbix's drift missing"
    grep -q 'out of sync host-' "$work/out" || fail "no drifted host named"
    grep -q 'demo: all 3 syncs completed' "$work/out" || fail "no final verdict"
    expect_nothing_left
    (cd "$build" && find . | sort) | diff "$work/build-before" - >"$work/build-diff" ||
      fail "the demo wrote into the build directory: $(cat "$work/build-diff")"
    ;;
  interrupt)
    start_daemon_mode
    # The whole process group, as Ctrl-C in a terminal.
    stop_and_check INT "-$demo_pid"
    ;;
  terminate)
    start_daemon_mode
    stop_and_check TERM "$demo_pid"
    ;;
  no_daemon)
    # A listener holds the port the daemon is told to use.
    port=$(free_port)
    python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(120)' "$port" &
    holder=$!
    for ((i = 0; i < 50; i++)); do
      python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
        "$port" 2>/dev/null && break
      sleep 0.1
    done
    DEMO_HTTP_PORT=$port run_driver
    cat "$work/out"
    [ "$rc" -ne 0 ] || fail "exit code 0 although the daemon could not start"
    grep -q 'Address already in use' "$work/out" || fail "the reason is not shown"
    expect_nothing_left
    ;;
  killed)
    start_daemon_mode
    kill -KILL "$demo_pid"
    wait "$demo_pid" 2>/dev/null || true
    # The daemon gets SIGTERM and takes up to jobs.shutdown_grace_s (5 s); a summary the driver
    # was printing ends on its own.
    for ((i = 0; i < 200; i++)); do
      [ -z "$(marked_pids)" ] && break
      sleep 0.1
    done
    left=$(marked_pids)
    # shellcheck disable=SC2086  # one pid per word
    [ -z "$left" ] || fail "processes of the demo still run 20 s after SIGKILL:
$(describe_pids $left)"
    echo "SIGKILL: no process left (the run directory is; cleanup removes it)"
    ;;
  sync_error)
    DEMO_ZABBIX_TOKEN=not-the-token run_driver --once
    cat "$work/out"
    [ "$rc" -ne 0 ] || fail "exit code 0 although Zabbix refused the token"
    grep -qE '^  zabbix\.host_config_sync_refresh (errored|failed): .*token' "$work/out" ||
      fail "the errored sync and its reason are not named"
    grep -q 'demo: 1 of the syncs did not complete' "$work/out" || fail "no verdict"
    expect_nothing_left
    ;;
  *)
    echo "demo_test.sh: unknown case '$case_name'" >&2
    exit 2
    ;;
esac
echo "PASS ($case_name)"
