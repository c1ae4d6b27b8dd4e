#!/usr/bin/env bash
# The pipeline users mostly run: Avro through a schema registry. The e2e suite and the
# scenario files again with CDC_CONVERTER=avro (Apicurio Registry on the native stack, the
# connector writing with Apicurio's AvroConverter, the observer reading Avro), then a stack of
# its own: after `up --converter avro` the registry lists the change topic's subjects, and
# `down` leaves no registry behind.
# Usage: ci/avro-check.sh BUILD_DIR [SET]   (SET: the version set the suite runs on; default:
# the default one)
set -euo pipefail
build=$(cd "${1:?usage: ci/avro-check.sh BUILD_DIR [SET]}" && pwd)
harness="$build/cdc-harness"
versions=${2:-}
echo "== the e2e suite and the scenario files with CDC_CONVERTER=avro${versions:+ on version set $versions}"
CDC_VERSIONS="$versions" CDC_CONVERTER=avro ctest --test-dir "$build" -L e2e -LE slow --output-on-failure -j2
grep -q 'converters AvroConverter/AvroConverter' "$build/Testing/Temporary/LastTest.log" ||
  { echo "the suite's stack did not run the Avro converter"; exit 1; }
if [ -n "$versions" ]; then
  grep -q "version set $versions," "$build/Testing/Temporary/LastTest.log" ||
    { echo "the suite's stack did not run version set $versions"; exit 1; }
fi

echo "== up --converter avro: the registry holds the change topic's subjects"
run_dir="$build/run/avro-check"
work=$(mktemp -d)
trap '"$harness" down --run-dir "$run_dir" > "$work/down.log" 2>&1 || cat "$work/down.log"; rm -rf "$work"' EXIT
"$harness" up --detach --converter avro --run-dir "$run_dir" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
registry=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema_registry_url"])' "$run_dir/endpoints.json")
# The snapshot's first records register the subjects; `up` returns once the connector streams,
# which may be a moment before the converter has registered the value's schema.
deadline=$((SECONDS + 60))
until subjects=$(curl -sf "$registry/apis/ccompat/v7/subjects") &&
  grep -q '"cdctest.public.customers-key"' <<< "$subjects" &&
  grep -q '"cdctest.public.customers-value"' <<< "$subjects"; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "after 60 s the registry does not list the change topic's key and value subjects; it lists: ${subjects:-nothing}"
    exit 1
  fi
  sleep 0.5
done
echo "$registry/apis/ccompat/v7/subjects: $subjects"
"$harness" status --run-dir "$run_dir" | grep -q '^registry *running' || { echo "status shows no registry"; exit 1; }
pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema_registry"]["pid"])' "$run_dir/state.json")
"$harness" down --run-dir "$run_dir" > "$work/down.log" 2>&1 || { cat "$work/down.log"; exit 1; }
# (A stopped server's zombie may wait for an init that reaps late: gone or Z is stopped.)
state=$(ps -o stat= -p "$pid" || true)
if [ -n "$state" ] && [ "${state:0:1}" != Z ]; then echo "down left the registry (pid $pid) running"; exit 1; fi
echo "ok: Avro end to end; down stopped the registry"
