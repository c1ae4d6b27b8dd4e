#!/usr/bin/env bash
# `cdc-harness up` with a Java older than 17 ends at once with one line naming the version
# and the fix, before anything starts, and leaves nothing in the run directory.
# Usage: cli_old_java_check.sh PATH/TO/cdc-harness
set -euo pipefail
harness=$1
stand_in=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; cat "$work/out" 2> /dev/null || true; exit 1; }

if JAVA_HOME="$stand_in/java11" "$harness" up --detach --run-dir "$work/run" > "$work/out" 2>&1; then
  fail "up succeeded with Java 11"
fi
[ "$(grep -c . "$work/out")" -le 3 ] || fail "more than a short message"
grep -q "^error: Java 11 at .* is too old: Kafka 4 and Debezium 3 need Java 17+" "$work/out" ||
  fail "no one-line error naming Java 11"
"$harness" down --run-dir "$work/run" | grep -q "nothing running" || fail "down found something"
echo "ok: Java 11 is refused in one line before anything starts"
