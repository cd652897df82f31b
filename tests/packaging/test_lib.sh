# Helpers of the packaging test scripts (sourced). The script sets `test_name` and `tmp` (its
# temporary directory) first.

step() { echo "== $*"; }
fail() {
  echo "$test_name: FAILED: $*" >&2
  exit 1
}
# Runs a command quietly; on failure shows its output and stops.
quiet() {
  local what=$1
  shift
  if ! "$@" >"$tmp/out.log" 2>&1; then
    cat "$tmp/out.log" >&2
    fail "$what"
  fi
}
# Checks a JSON document (stdin) with a Python expression over `d`; prints the document on failure.
json_check() {
  local what=$1 expr=$2 doc
  doc=$(cat)
  if ! python3 -c "import json, sys; d = json.loads(sys.argv[1]); sys.exit(0 if ($expr) else 1)" \
    "$doc"; then
    printf '%s\n' "$doc" >&2
    fail "$what"
  fi
}
