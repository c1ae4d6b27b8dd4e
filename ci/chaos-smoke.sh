#!/usr/bin/env bash
# A short `cdc-harness chaos` on the fault suite's stack: two faults drawn from a seed, the
# report written, the same schedule drawn again from the same seed.
# Usage: ci/chaos-smoke.sh PATH/TO/cdc-harness RUN_DIR OUT_DIR
set -euo pipefail
harness=$1 run_dir=$2 out=$3
rm -rf "$out"
"$harness" chaos --run-dir "$run_dir" --faults connector-pause,kafka-stall --seed 7 \
  --duration 10 --interval 5 --rate 30 --out "$out/a"
for f in report.json report.md index.html; do
  [ -s "$out/a/$f" ] || { echo "FAIL: no $f written"; exit 1; }
done
python3 - "$out/a/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["correct"], "the run was not correct"
assert len(report["faults"]) == 2, f"expected 2 faults, got {len(report['faults'])}"
assert [f["fault"] for f in report["faults"]] == [s["fault"] for s in report["schedule"]]
print("ok: chaos injected", [f["fault"] for f in report["faults"]])
PY
