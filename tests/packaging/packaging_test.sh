#!/usr/bin/env bash
# The operator files in packaging/: the systemd units pass `systemd-analyze verify` (with the
# built binary in place of /usr/bin/jobhost) and keep their hardening; the cron wrapper runs a
# real `jobhost tick`, passes a failing tick's status through and skips while a round holds
# the lock. Usage: packaging_test.sh SOURCE_DIR JOBHOST_BINARY
set -u
src=$1
bin=$2
passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok: $name"
  else
    failed=$((failed + 1))
    echo "FAILED: $name"
  fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
units="$src/packaging/systemd"

verify_units() {
  for u in "$units"/*.service "$units"/*.timer; do
    sed "s|/usr/bin/jobhost|$bin|g" "$u" >"$tmp/$(basename "$u")"
  done
  local out
  out=$(cd "$tmp" && systemd-analyze verify ./jobhost.service ./jobhost-tick.service \
    ./jobhost-tick.timer 2>&1)
  [ -z "$out" ] || { echo "$out"; return 1; }
}
if command -v systemd-analyze >/dev/null; then
  check "systemd-analyze verify accepts the units" verify_units
else
  echo "skip: systemd-analyze is not installed (package systemd)"
fi
for line in Type=notify Restart=on-failure User=jobhost NoNewPrivileges=yes ProtectSystem=strict \
  ProtectHome=yes PrivateTmp=yes CapabilityBoundingSet= StateDirectory=jobhost; do
  check "jobhost.service has $line" grep -qx "$line" "$units/jobhost.service"
done
check "jobhost-tick.service runs tick as jobhost" \
  grep -q -e '^ExecStart=.* tick$' "$units/jobhost-tick.service"
check "the timer starts jobhost-tick.service" test -f "$units/jobhost-tick.service"

wrapper="$src/packaging/cron/jobhost-tick"
check "cron wrapper is valid sh" sh -n "$wrapper"
check "cron line: five time fields, the user, the wrapper" \
  grep -Eq '^\* \* \* \* \* jobhost /usr/lib/jobhost/jobhost-tick$' "$src/packaging/cron/jobhost.cron"

cat >"$tmp/jobhost.yaml" <<EOF
store: {driver: sqlite, path: $tmp/jobhost.db}
plugin_files: []
http: {enabled: false}
log: {level: warn}
EOF
tick() {
  JOBHOST_BIN=$bin JOBHOST_CONFIG=$1 JOBHOST_TICK_LOCK=$tmp/tick.lock sh "$wrapper" 2>"$tmp/err"
}
ticks() { tick "$tmp/jobhost.yaml" && test -f "$tmp/jobhost.db"; }
check "cron wrapper runs a tick against the store" ticks
echo "workers: [not a number]" >"$tmp/broken.yaml"
fails() { ! tick "$tmp/broken.yaml"; }
check "a failing tick's exit status comes through" fails
flock "$tmp/tick.lock" sleep 5 &
holder=$!
sleep 0.5
skips() {
  rm -f "$tmp/jobhost.db"
  tick "$tmp/jobhost.yaml" && ! test -f "$tmp/jobhost.db"
}
check "a round holding the lock makes the next one skip (exit 0)" skips
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
