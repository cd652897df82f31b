#!/usr/bin/env bash
# The newcomer's demo: sets up a fresh Debian 12 machine, builds jobhost, then runs the three
# sync plugins against fake Zabbix, Kubernetes (Hedgehog) and Meraki servers on 127.0.0.1
# (demo/run-demo.sh does the work: ports, fakes, config, daemon, summary, clean stop).
#
#   scripts/demo.sh           runs until Ctrl-C; prints the dashboard's address
#   scripts/demo.sh --once    one round of every sync, the summary, exit (non-zero: a sync errored)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh
# exec: the driver gets Ctrl-C and SIGTERM directly and its exit code is this script's.
exec demo/run-demo.sh "$@"
