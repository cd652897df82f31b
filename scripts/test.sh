#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds everything with warnings as errors and runs every
# test (unit, integration, PostgreSQL, end-to-end CLI). Tests that need PostgreSQL start their
# own throwaway server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh -DJOBHOST_WERROR=ON
# Formatting is part of the tests: the tree must be clang-format clean.
scripts/check-format.sh
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs" "$@"
