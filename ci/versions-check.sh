#!/usr/bin/env bash
# The version sets (ci/jars/versions/), each Debezium with the Kafka it is built against.
# Named sets run the e2e suite, each on a stack of its own (ci/ctest-beside.sh: run directory
# BUILD_DIR/run/SET), so this can run beside another ctest run of the same build. With no set
# named, every set runs a scenario file instead (`run --versions all`, one stack per set, as a
# matrix) and each must pass. .ci/run runs the e2e suite of the sets between the default and
# the newest beside the newest's (which runs it under Avro and the external backend).
# Usage: ci/versions-check.sh BUILD_DIR [SET...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: ci/versions-check.sh BUILD_DIR [SET...]}
shift
for set_name in "$@"; do
  [ -f "$root/ci/jars/versions/$set_name.properties" ] || { echo "no version set $set_name in ci/jars/versions/"; exit 1; }
  echo "== the e2e suite on version set $set_name"
  CDC_VERSIONS="$set_name" bash "$root/ci/ctest-beside.sh" "$build" "$set_name" -L e2e -LE slow --output-on-failure -j2
done
[ $# -gt 0 ] && exit 0
# Which versions have it: a scenario file on every set, one stack per set, as a matrix.
echo "== run --versions all scenarios/files/own_table.cdc"
matrix=$("$build/cdc-harness" run --versions all --run-dir "$build/run/versions-matrix" "$root/scenarios/files/own_table.cdc" 2>/dev/null) \
  || { echo "$matrix"; echo "run --versions all failed"; exit 1; }
grep '^|' <<< "$matrix"
for file in "$root"/ci/jars/versions/*.properties; do
  grep -q "^| $(basename "$file" .properties) (.*| pass (" <<< "$matrix" \
    || { echo "the matrix has no passing row for $(basename "$file" .properties)"; exit 1; }
done
