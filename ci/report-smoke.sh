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

# The same report on a pipeline that drops every update (skipped.operations=u): judged while
# the load runs, the lost updates must still be found, and the report must exit 1.
broken="$out-broken"
rm -rf "$broken" && mkdir -p "$broken"
/usr/bin/python3 - "$here/../debezium/customer-cdc.json" "$broken/connector.json" <<'PY'
import json, sys
connector = json.load(open(sys.argv[1]))
connector["config"]["skipped.operations"] = "u"
json.dump(connector, open(sys.argv[2], "w"))
PY
set +e
"$harness" report --run-dir "$run_dir" --connector "$broken/connector.json" --duration 3 \
  --rate 50 --profiles low-latency --out "$broken/report"
status=$?
set -e
[ "$status" = 1 ] || { echo "a report on a pipeline that drops updates exited $status, not 1"; exit 1; }
/usr/bin/python3 - "$broken/report/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for profile in report["profiles"]:
    for step in profile["rates"]:
        counts, examples = step["checkers"]["counts"], step["checkers"]["examples"]
        found = {kind: n for kind, n in counts.items() if n}
        assert set(found) == {"lost"}, f"expected lost updates only, found {found}"
        assert all(e["op"] == "u" for e in examples["lost"]), examples["lost"][:3]
        print(f"dropped updates found: {found['lost']} lost, nothing else")
PY
