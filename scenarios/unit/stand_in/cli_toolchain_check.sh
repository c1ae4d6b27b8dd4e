#!/usr/bin/env bash
# `cdc-harness up` without what the native stack needs ends at once with one line naming
# what is missing and the fix, before anything starts, and leaves nothing in the run
# directory: a Java older than 17, and no Toxiproxy server.
# Usage: cli_toolchain_check.sh PATH/TO/cdc-harness
set -euo pipefail
# shellcheck source=scenarios/unit/stand_in/check_preamble.sh
source "$(dirname "$0")/check_preamble.sh"

if JAVA_HOME="$stand_in/java11" "$harness" up --detach --run-dir "$work/run" > "$work/out" 2>&1; then
  fail "up succeeded with Java 11"
fi
[ "$(grep -c . "$work/out")" -le 3 ] || fail "more than a short message"
grep -q "^error: Java 11 at .* is too old: Kafka 4 and Debezium 3 need Java 17+" "$work/out" ||
  fail "no one-line error naming Java 11"
left_nothing
echo "ok: Java 11 is refused in one line before anything starts"

# A missing tool named by its override: `up` refuses in one line naming it, leaving nothing.
refuses_missing() {  # VARIABLE PATH WHAT
  if env "$1=$2" "$harness" up --detach --run-dir "$work/run" > "$work/out" 2>&1; then
    fail "up succeeded without $3"
  fi
  [ "$(grep -c . "$work/out")" -le 3 ] || fail "more than a short message"
  grep -q "^error: $1=.* does not exist" "$work/out" || fail "no one-line error naming the missing $3"
  left_nothing
  echo "ok: a missing $3 is refused in one line before anything starts"
}
refuses_missing CDC_HARNESS_TOXIPROXY "$work/no-such-toxiproxy" Toxiproxy
refuses_missing CDC_HARNESS_METRICS_AGENT "$work/no-such-agent.jar" "metrics agent"
