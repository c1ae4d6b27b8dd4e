# shellcheck shell=bash
# Sourced by the CLI checks: the harness under test ($1), this directory, a scratch directory
# removed on exit, fail(), and left_nothing() for the run directory a failed `up` must leave.
harness=$1
# shellcheck disable=SC2034  # for the sourcing check
stand_in=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; cat "$work/out" 2> /dev/null || true; exit 1; }
left_nothing() {
  for f in stack.json state.json compose.json endpoints.json connector.json owner.pid; do
    [ ! -e "$work/run/$f" ] || fail "left $f in the run directory"
  done
  "$harness" down --run-dir "$work/run" | grep -q "nothing running" || fail "down found something"
}
