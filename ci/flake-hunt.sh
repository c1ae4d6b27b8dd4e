#!/usr/bin/env bash
# Reruns tests until one fails (or N runs pass), to hunt flakes the way librdkafka's suite
# does. Each run is a full ctest run: stack up, scenarios, stack down.
# Usage: ci/flake-hunt.sh [RUNS=20] [ctest args...]   e.g. ci/flake-hunt.sh 50 -R Transactions
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
shift || true
for i in $(seq 1 "$runs"); do
  log=$(mktemp)
  if ! ctest --test-dir "$root/build" --output-on-failure "$@" >"$log" 2>&1; then
    echo "run $i of $runs failed; its output: $log"
    grep -E 'Failed|Failure|error' "$log" | head -20
    exit 1
  fi
  echo "run $i of $runs passed ($(grep -o 'Total Test time (real) = *[0-9.]* sec' "$log"))"
  rm -f "$log"
done
