#!/usr/bin/env bash
# Reproduces a stale read from Debezium's incremental snapshot with signal-table watermarks
# (reports/upstream/incremental-snapshot-stale-read.md): runs
# scenarios/files/upstream/incremental_snapshot_signal_table.cdc ROUNDS times, two at once,
# on a stack of its own in RUN_DIR (brought up with --versions VERSION_SET, taken down at the
# end), and for each run whose final state is stale prints the evidence per stale key from
# the run's kept topics (ci/stale-read-evidence.py).
# usage: reproduce-stale-snapshot-read.sh CDC_HARNESS RUN_DIR [ROUNDS] [VERSION_SET]
set -uo pipefail
harness=$1 run_dir=$2 rounds=${3:-6} versions=${4:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
file="$root/scenarios/files/upstream/incremental_snapshot_signal_table.cdc"
work=$(mktemp -d)
trap '"$harness" down --run-dir "$run_dir" > /dev/null 2>&1; rm -rf "$work"' EXIT
"$harness" up --detach --run-dir "$run_dir" ${versions:+--versions "$versions"} > "$work/up.log" 2>&1 \
  || { cat "$work/up.log"; exit 1; }
grep -m1 "version set\|Debezium" "$work/up.log"
bootstrap=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kafka_bootstrap"])' "$run_dir/endpoints.json")
sides=$(seq -s ' ' 1 "${PARALLEL:-2}")
failed=0 others=0
for round in $(seq 1 "$rounds"); do
  for side in $sides; do
    "$harness" run --run-dir "$run_dir" --keep-topics "$file" > "$work/$round-$side" 2>&1 &
  done
  wait
  for side in $sides; do
    if grep -q 'expect final-state of' "$work/$round-$side"; then
      failed=$((failed + 1))
      echo "== stale run $failed (round $round, run $side)"
      grep -A4 '^FAIL' "$work/$round-$side"
      python3 "$root/ci/stale-read-evidence.py" "$bootstrap" "$work/$round-$side"
    elif grep -q '^FAIL' "$work/$round-$side"; then
      others=$((others + 1))
      grep -A1 '^FAIL' "$work/$round-$side"
    fi
  done
  echo "after round $round: stale final state in $failed of $((round * ${PARALLEL:-2})) runs ($others failed otherwise)"
done
