#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds jobhost and runs the main job on the embedded
# SQLite store (configs/jobhost.yaml): the example plugin's hello.greet, run now, atomically.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh
echo
echo "== jobhost run-now hello.greet (SQLite: build/jobhost.db) =="
build/bin/jobhost --config configs/jobhost.yaml run-now hello.greet --param who="${WHO:-world}"
echo
echo "== the job and its events =="
build/bin/jobhost --config configs/jobhost.yaml --log-level warn jobs --limit 5
build/bin/jobhost --config configs/jobhost.yaml --log-level warn events --limit 6
