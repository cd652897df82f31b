#!/usr/bin/env bash
# The demo driver (scripts/demo.sh runs it after setup and build): starts the fake Zabbix,
# Kubernetes (Hedgehog, HTTPS with a throwaway CA) and Meraki servers on free ports of
# 127.0.0.1 with generated inventories, writes configs/demo.yaml's values into a run
# directory and runs jobhost's daemon on it, printing what each sync did and when the next
# ones run. Ctrl-C (or SIGTERM) stops the daemon and the fakes and removes the run directory.
#
#   demo/run-demo.sh [--once] [--build-dir DIR]
#
# --once: one round of every sync (`jobhost tick`: every schedule is due at first), the summary,
# exit 0; 1 naming every sync that errored or failed.
#
# Environment (optional): DEMO_HTTP_PORT (8080, else a free port), DEMO_KEEP=1 keeps the run
# directory, and the credentials the plugins are given (the fakes always accept the defaults;
# another value shows what a refused token looks like): DEMO_ZABBIX_TOKEN (fake-token),
# DEMO_K8S_TOKEN (fake-k8s-token), DEMO_MERAKI_KEY (fake-meraki-key).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${JOBHOST_BUILD_DIR:-$root/build}"
once=0
while [ $# -gt 0 ]; do
  case "$1" in
    --once) once=1 ;;
    --build-dir)
      [ $# -ge 2 ] || { echo "demo: --build-dir needs a directory" >&2; exit 2; }
      build="$2"
      shift
      ;;
    -h | --help)
      sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) echo "demo: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
build="$(cd "$build" && pwd)"
bin="$build/bin"
tool=(python3 "$root/demo/demo_tool.py")
for program in jobhost fake-zabbix fake-kubernetes fake-meraki; do
  if [ ! -x "$bin/$program" ]; then
    echo "demo: $bin/$program is missing: build first (scripts/build.sh)" >&2
    exit 1
  fi
done

# The fakes and the daemon die with the driver even when it is SIGKILLed and no trap runs: the
# kernel sends them SIGTERM when their parent ends (PR_SET_PDEATHSIG, set by util-linux's
# setpriv). Only the run directory is left behind then.
orphan_proof=(setpriv --pdeathsig TERM --)

started_ns=$(date +%s%N)
dir="$(mktemp -d "${TMPDIR:-/tmp}/jobhost-demo.XXXXXX")"
fakes=()       # the fake servers' pids
daemon_pid=""  # jobhost run
sleeper=""     # the pause between two summaries, waited on so that a signal ends it at once
interrupted=0  # Ctrl-C or SIGTERM: say so at the end

# A child that exited but was not reaped yet still answers kill -0: look at its state.
alive() {
  local state
  state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

# SIGTERM, then SIGKILL after the grace, then reap; never fails (cleanup must go on).
stop_all() {
  local grace_tenths=$(($1 * 10)) pid
  shift
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    while alive "$pid" && [ $grace_tenths -gt 0 ]; do
      sleep 0.1
      grace_tenths=$((grace_tenths - 1))
    done
    if alive "$pid"; then
      echo "demo: pid $pid did not stop; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}

# Runs on every way out (end, error under set -e, signal): nothing started here survives.
cleanup() {
  local rc=$?
  # A second Ctrl-C must not cut the cleanup short (it is bounded: 16 s at most).
  trap '' INT TERM
  trap - EXIT
  if [ -n "$sleeper" ]; then stop_all 1 "$sleeper"; fi
  # The daemon first, so that no sync is cut by its fake vanishing; its grace is the config's
  # jobs.shutdown_grace_s (5) plus a margin.
  if [ -n "$daemon_pid" ]; then stop_all 10 "$daemon_pid"; fi
  if [ ${#fakes[@]} -gt 0 ]; then stop_all 5 "${fakes[@]}"; fi
  # A signal between starting a child and noting its pid: this shell still knows it as a job.
  local rest
  rest=$(jobs -p)
  # shellcheck disable=SC2086  # one pid per word
  if [ -n "$rest" ]; then stop_all 5 $rest; fi
  if [ "${DEMO_KEEP:-0}" = 1 ]; then
    echo "demo: kept $dir"
  else
    rm -rf "$dir"
  fi
  if [ "$interrupted" = 1 ]; then echo "demo: stopped"; fi
  exit "$rc"
}
trap cleanup EXIT
# Ctrl-C is how the continuous demo is meant to end: exit 0. It interrupts --once: 130.
on_signal() {
  interrupted=1
  echo
  echo "demo: stopping the daemon and the fake servers"
  if [ $once = 1 ]; then exit 130; fi
  exit 0
}
trap on_signal INT TERM

# Starts a fake on an ephemeral port and waits for its "listening on URL" line.
start_fake() {
  local name=$1 out="$dir/$1.out" pid i
  shift
  : >"$out" # created before the fake starts: the background redirection may come later
  "${orphan_proof[@]}" "$bin/$name" --port 0 "$@" >"$out" 2>&1 &
  pid=$!
  fakes+=("$pid")
  for ((i = 0; i < 100; i++)); do
    if grep -q ' listening on ' "$out"; then
      sed -n 's/.* listening on \([^ ]*\).*/\1/p' "$out" | head -n 1 >"$dir/$name.url"
      return 0
    fi
    if ! alive "$pid"; then break; fi
    sleep 0.1
  done
  echo "demo: $name did not start:" >&2
  cat "$out" >&2
  exit 1
}

# Inventories: some Zabbix hosts drifted (10 %) or missing (2 %); Hedgehog objects added,
# changed and deleted every 5 s (a 10 s sync always finds some); a Meraki organization with
# 300 devices, a few changing every 10 s. Valid credentials are passed explicitly so that a
# FAKE_* variable in the caller's environment cannot change them.
start_fake fake-zabbix --hosts 200 --drift 0.1 --missing 0.02 --token fake-token \
  --write-desired "$dir/host-configs.json"
start_fake fake-kubernetes --objects 300 --token fake-k8s-token --tls-dir "$dir/k8s-ca" \
  --mutate-every 5 --mutate-count 2
start_fake fake-meraki --organizations 1 --networks 25 --devices 300 --api-key fake-meraki-key \
  --mutate-every 10 --mutate-count 2

export DEMO_DIR="$dir"
export DEMO_PLUGIN_DIR="$build/lib/jobhost/plugins"
export DEMO_HTTP_PORT="${DEMO_HTTP_PORT:-$("${tool[@]}" free-port 8080)}"
export DEMO_ZABBIX_URL DEMO_K8S_URL DEMO_K8S_CA DEMO_MERAKI_URL
DEMO_ZABBIX_URL=$(cat "$dir/fake-zabbix.url")
DEMO_K8S_URL=$(cat "$dir/fake-kubernetes.url")
DEMO_K8S_CA="$dir/k8s-ca/ca.pem"
DEMO_MERAKI_URL=$(cat "$dir/fake-meraki.url")
export DEMO_ZABBIX_TOKEN="${DEMO_ZABBIX_TOKEN:-fake-token}"
export DEMO_K8S_TOKEN="${DEMO_K8S_TOKEN:-fake-k8s-token}"
export DEMO_MERAKI_KEY="${DEMO_MERAKI_KEY:-fake-meraki-key}"
config="$dir/demo.yaml"
"${tool[@]}" render "$root/configs/demo.yaml" "$config"
jobhost=("$bin/jobhost" --config "$config")
"${jobhost[@]}" config check "$config" >/dev/null

# The Zabbix plugin compares Zabbix with the HostConfigs it was given: import the desired
# configuration the fake wrote (the fake's drifted hosts then differ from it).
"${jobhost[@]}" --log-level warn run-now zabbix.import_host_configs \
  --param file="$dir/host-configs.json" >/dev/null

dashboard="http://127.0.0.1:$DEMO_HTTP_PORT/"
cli="$bin/jobhost -c $config"
cat <<EOF
jobhost demo ($dir)
  fake Zabbix      $DEMO_ZABBIX_URL  (200 hosts: 10 % drifted, 2 % missing)
  fake Kubernetes  $DEMO_K8S_URL  (Hedgehog fabric "demo", 300 objects changing every 5 s)
  fake Meraki      $DEMO_MERAKI_URL  (1 organization, 25 networks, 300 devices)
  schedules        hedgehog.fabric_sync/demo every 10 s, zabbix refresh every 15 s,
                   meraki.sync every 5 min (the plugin's minimum); each runs at once first
EOF

if [ $once = 1 ]; then
  # tick fires every due schedule (all of them: nothing ran yet) and runs the jobs here. Its
  # exit code says a job did not complete; the report says which and why.
  tick_rc=0
  "${jobhost[@]}" --log-level error tick --json >"$dir/tick.json" || tick_rc=$?
  echo
  report_rc=0
  "${tool[@]}" report "$bin/jobhost" "$config" "$dir/reported.json" --once || report_rc=$?
  elapsed_ms=$((($(date +%s%N) - started_ns) / 1000000))
  printf 'demo: --once took %d.%03d s\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
  if [ $report_rc -ne 0 ]; then exit 1; fi
  if [ $tick_rc -ne 0 ]; then
    echo "demo: jobhost tick exited $tick_rc: $(tr -d '\n' <"$dir/tick.json")" >&2
    exit 1
  fi
  exit 0
fi

"${orphan_proof[@]}" "${jobhost[@]}" run >"$dir/daemon.log" 2>&1 &
daemon_pid=$!
if ! "${tool[@]}" wait-http "${dashboard}healthz" 20 "$daemon_pid"; then
  echo "demo: the daemon did not come up; its log:" >&2
  tail -n 20 "$dir/daemon.log" >&2
  exit 1
fi
cat <<EOF
  dashboard        $dashboard   (API: ${dashboard}api/v1/status, metrics: ${dashboard}metrics)
  command line     $cli jobs | schedules | events | job ID | status
  daemon log       $dir/daemon.log
Ctrl-C stops everything.

EOF

while true; do
  if ! alive "$daemon_pid"; then
    daemon_rc=0
    wait "$daemon_pid" || daemon_rc=$?
    daemon_pid=""
    echo "demo: the daemon exited (code $daemon_rc); its log:" >&2
    tail -n 20 "$dir/daemon.log" >&2
    exit 1
  fi
  # A summary that cannot be read this time (the store busy) is tried again next time; 130:
  # Ctrl-C reached the report too, and the trap below says what happens.
  report_rc=0
  "${tool[@]}" report "$bin/jobhost" "$config" "$dir/reported.json" "$dashboard" || report_rc=$?
  if [ $report_rc -ne 0 ] && [ $report_rc -ne 130 ]; then
    echo "demo: (no summary this time)" >&2
  fi
  sleep 2 &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=""
done
