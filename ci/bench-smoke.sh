#!/usr/bin/env bash
# ctest's bench check: a small `cdc-harness bench` (its three bring-ups on a run directory of
# its own), then bench.json must hold every comparison and the run directory nothing.
# Numbers are not judged here: they belong to a quiet machine (see README "Performance").
# Usage: ci/bench-smoke.sh CDC_HARNESS RUN_DIR OUT_DIR
set -euo pipefail
harness=$1 run_dir=$2 out=$3
rm -rf "$out"
"$harness" bench --run-dir "$run_dir" --events 10000 --duration 3 --out "$out"
/usr/bin/python3 - "$out/bench.json" <<'PY'
import json, sys
bench = json.load(open(sys.argv[1]))
for path in (("observer", "ratio"), ("generator", "ratio"), ("bring_up", "up_median_s"),
             ("bring_up", "stack_median_s"), ("large_transaction", "events_per_s"),
             ("harness_peak_rss_mb",)):
    value = bench
    for key in path:
        value = value[key]
    assert isinstance(value, (int, float)) and value > 0, f"bench.json: {'/'.join(path)} = {value}"
assert bench["observer"]["checker_verdict"].startswith("ok"), bench["observer"]["checker_verdict"]
profiles = bench["pipeline_profiles"]
assert [p["profile"] for p in profiles] == ["debezium-defaults", "low-latency"], profiles
for p in profiles:
    assert p["small_tx_events_per_s"] > 0 and p["large_tx"]["events_per_s"] > 0, p
print("bench.json: observer/kcat %.2f, generator/pgbench %.2f, bring-up %.1f s (processes %.1f s)" % (
    bench["observer"]["ratio"], bench["generator"]["ratio"], bench["bring_up"]["up_median_s"],
    bench["bring_up"]["stack_median_s"]))
PY
grep -q '^| observer' "$out/bench.md" || { echo "bench.md has no table"; exit 1; }
if "$harness" status --run-dir "$run_dir" | grep -q running; then
  echo "bench left a stack running in $run_dir"; exit 1
fi
