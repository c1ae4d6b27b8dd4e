#!/usr/bin/env bash
# Scenario files on the worker users run: a native stack whose Connect worker has Connect's
# defaults (offset.flush.interval.ms 60 s, `up --connect-defaults`), directly and through the
# external backend, against the harness's own 1 s worker. An expectation settles on
# Connect's task metrics, not the offset flush, so the 60 s worker must not be slower by
# anything like a flush per expectation: paced by the flush, these files took 30-40x as
# long; a ratio above 2 means that came back. (Not a timing target: two 7-s runs on a
# loaded 2-core machine differ by 25% either way, so the ratio is printed, not held to 20%.
# The workers take turns file by file, so .ci/run can run this beside other suites.)
# The incremental-snapshot files, whose reads can still be in the producer when the fence
# arrives, must pass on the 60 s worker.
# Usage: ci/stock-worker-check.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
harness="$build/cdc-harness"
root=$(cd "$(dirname "$0")/.." && pwd)
files=(own_table transactions outbox)
snapshot_files=(incremental_snapshot blocking_snapshot snapshot_pause_resume_stop kafka_signal)
work=$(mktemp -d)
stock="$build/run/stock-worker" tuned="$build/run/tuned-worker"
cleanup() {
  for dir in "$stock" "$tuned"; do "$harness" down --run-dir "$dir" > "$work/down.log" 2>&1 || cat "$work/down.log"; done
  rm -rf "$work"
}
trap cleanup EXIT

# Both workers are up at once and take turns, file by file (the 60 s worker directly, through
# the external backend, then the 1 s worker), so load from elsewhere on the machine, and
# each fresh JVM's warming up, falls on all three alike. Sums the times the harness reports.
run_file() {  # run_file FILE ARGS...: runs one file, prints the time the harness reports
  local f=$1
  shift
  "$harness" run "$@" "$root/scenarios/files/$f.cdc" > "$work/run.log" 2>&1 || { cat "$work/run.log" >&2; return 1; }
  grep -o '^PASS .*, \([0-9.]*\) s)' "$work/run.log" | sed 's/.*, \([0-9.]*\) s)/\1/'
}
echo "== two native stacks: a worker with Connect's defaults, and the harness's 1 s worker"
"$harness" up --detach --connect-defaults --run-dir "$stock" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
grep -h 'bring-up took' "$work/up.log" | sed 's/^/60 s worker: /'
grep -q '^offset.flush.interval.ms' "$stock/connect/worker.properties" && { echo "the worker sets offset.flush.interval.ms"; exit 1; }
grep -q 'offset.flush.interval.ms = 60000' "$stock/logs/connect.log" || { echo "the worker does not run with a 60 s offset flush"; exit 1; }
"$harness" up --detach --run-dir "$tuned" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
grep -h 'bring-up took' "$work/up.log" | sed 's/^/1 s worker: /'
stock_time=0 external_time=0 tuned_time=0
add() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
for f in "${files[@]}"; do
  s=$(run_file "$f" --run-dir "$stock") || exit 1
  e=$(CDC_STACK=external CDC_EXTERNAL_CONFIG="$stock/secrets/external.env" run_file "$f") || exit 1
  t=$(run_file "$f" --run-dir "$tuned") || exit 1
  stock_time=$(add "$stock_time" "$s") external_time=$(add "$external_time" "$e") tuned_time=$(add "$tuned_time" "$t")
done
echo "${files[*]}: 60 s worker ${stock_time} s; through the external backend ${external_time} s; 1 s worker ${tuned_time} s"
for f in "${snapshot_files[@]}"; do
  "$harness" run --run-dir "$stock" "$root/scenarios/files/$f.cdc" > "$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
  grep '^PASS' "$work/run.log"
done

for t in "$stock_time" "$external_time"; do
  ratio=$(awk -v a="$t" -v b="$tuned_time" 'BEGIN { printf "%.2f", a / b }')
  echo "60 s worker / 1 s worker: $ratio"
  if awk -v r="$ratio" 'BEGIN { exit !(r > 2) }'; then
    echo "the 60 s worker took more than twice the 1 s worker's time: its expectations wait for the offset flush again"
    exit 1
  fi
done
echo "ok: on Connect's defaults the files settle without waiting for the offset flush"
