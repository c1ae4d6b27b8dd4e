#!/usr/bin/env bash
# A short `cdc-harness chaos` on the fault suite's stack: faults drawn from a seed, the report
# written; then the same seed again on the same stack injects the same schedule.
# Usage: ci/chaos-smoke.sh PATH/TO/cdc-harness RUN_DIR OUT_DIR
set -euo pipefail
harness=$1 run_dir=$2 out=$3
rm -rf "$out"
for run in a b; do
  "$harness" chaos --run-dir "$run_dir" --faults connector-pause,kafka-stall,connect-kafka-cut \
    --seed 7 --duration 10 --interval 5 --rate 30 --out "$out/$run"
  for f in report.json report.md index.html; do
    [ -s "$out/$run/$f" ] || { echo "FAIL: no $f written"; exit 1; }
  done
done
python3 - "$out/a/report.json" "$out/b/report.json" <<'PY'
import json, sys
a, b = (json.load(open(path)) for path in sys.argv[1:3])
for report in (a, b):
    assert report["correct"], "the run was not correct"
    assert len(report["faults"]) == 2, f"expected 2 faults, got {len(report['faults'])}"
    assert [f["fault"] for f in report["faults"]] == [s["fault"] for s in report["schedule"]]
assert a["schedule"] == b["schedule"], "the same seed drew another schedule"
print("ok: both runs injected", [f["fault"] for f in a["faults"]], "on the same schedule")
PY
