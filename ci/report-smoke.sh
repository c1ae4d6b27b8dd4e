#!/usr/bin/env bash
# ctest's report check: a short `cdc-harness report` against the test run's stack, then the
# JSON it wrote is validated against reports/report.schema.json and the other files checked.
# Usage: ci/report-smoke.sh CDC_HARNESS RUN_DIR OUT_DIR
set -euo pipefail
harness=$1 run_dir=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
"$harness" report --run-dir "$run_dir" --duration 3 --rate 50 --out "$out"
/usr/bin/python3 "$here/validate-report.py" "$out/report.json"
grep -q '<svg' "$out/index.html" || { echo "index.html has no charts"; exit 1; }
grep -q '^| debezium-defaults |' "$out/report.md" || { echo "report.md has no results table"; exit 1; }
echo "report files: $(find "$out" -maxdepth 1 -type f -printf '%f ')"
