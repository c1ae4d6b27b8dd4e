#!/usr/bin/env bash
# The e2e suite on every version set but the default (which the README's test command ran):
# each Debezium with the Kafka it is built against (ci/jars/versions/).
# Usage: ci/versions-check.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: ci/versions-check.sh BUILD_DIR}
default=$(cat "$root/ci/jars/versions/default")
for file in "$root"/ci/jars/versions/*.properties; do
  set_name=$(basename "$file" .properties)
  [ "$set_name" = "$default" ] && continue
  echo "== the e2e suite on version set $set_name"
  CDC_VERSIONS="$set_name" ctest --test-dir "$build" -L e2e -LE slow --output-on-failure -j2
done
# Which versions have it: a scenario file on every set, one stack per set, as a matrix.
echo "== run --versions all scenarios/files/own_table.cdc"
matrix=$("$build/cdc-harness" run --versions all --run-dir "$build/run/versions-matrix" "$root/scenarios/files/own_table.cdc" 2>/dev/null) \
  || { echo "$matrix"; echo "run --versions all failed"; exit 1; }
grep '^|' <<< "$matrix"
for file in "$root"/ci/jars/versions/*.properties; do
  grep -q "^| $(basename "$file" .properties) (.*| pass (" <<< "$matrix" \
    || { echo "the matrix has no passing row for $(basename "$file" .properties)"; exit 1; }
done
