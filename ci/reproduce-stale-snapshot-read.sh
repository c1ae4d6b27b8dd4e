#!/usr/bin/env bash
# Reproduces a stale read from Debezium's incremental snapshot with signal-table watermarks:
# runs scenarios/files/upstream/incremental_snapshot_signal_table.cdc ROUNDS times, two at
# once, on the stack running in RUN_DIR (`cdc-harness up --detach --run-dir RUN_DIR`), keeps
# the topics of failed runs and prints each failure's diff (a key whose last event is a
# snapshot read older than an update streamed before it; `cdc-harness tail` on the kept topic
# shows the order).
# usage: reproduce-stale-snapshot-read.sh CDC_HARNESS RUN_DIR [ROUNDS]
set -uo pipefail
harness=$1 run_dir=$2 rounds=${3:-6}
file="$(cd "$(dirname "$0")/.." && pwd)/scenarios/files/upstream/incremental_snapshot_signal_table.cdc"
work=$(mktemp -d)
failed=0 others=0
for round in $(seq 1 "$rounds"); do
  for side in a b; do
    "$harness" run --run-dir "$run_dir" --keep-topics "$file" >"$work/$round$side" 2>&1 &
  done
  wait
  for side in a b; do
    if grep -q 'expect final-state of' "$work/$round$side"; then
      failed=$((failed + 1))
      grep -A4 '^FAIL' "$work/$round$side"
      grep 'kept the topics' "$work/$round$side"
    elif grep -q '^FAIL' "$work/$round$side"; then
      others=$((others + 1))
      grep -A1 '^FAIL' "$work/$round$side"
    fi
  done
done
echo "stale final state in $failed of $((rounds * 2)) runs ($others failed otherwise)"
rm -rf "$work"
