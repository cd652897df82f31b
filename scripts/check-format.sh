#!/usr/bin/env bash
# Fails listing the files clang-format would change.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.hpp' '*.c' '*.cc' 2>/dev/null || true)
[ ${#files[@]} -eq 0 ] && exit 0
bad=$(clang-format --dry-run "${files[@]}" 2>&1 | grep -oE '^[^:]+:[0-9]+:[0-9]+: (warning|error)' | cut -d: -f1 | sort -u || true)
if [ -n "$bad" ]; then
  echo "clang-format would change these files (run: clang-format -i FILE):" >&2
  echo "$bad" >&2
  exit 1
fi
