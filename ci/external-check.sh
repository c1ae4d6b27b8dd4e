#!/usr/bin/env bash
# The external backend's real test: the whole e2e suite with CDC_STACK=external, pointed at a
# native stack that `cdc-harness up` runs in another process. Afterwards that stack must hold
# exactly what it held before: no connector, slot, topic, consumer group, table or row the
# suite created, and its own rows unchanged.
# With CONVERTER avro the other stack is `up --converter avro` (Apicurio Registry, the worker
# writing with Apicurio's AvroConverter): the suite then reads Avro through the registry the
# external settings name, the registry must list the change topic's key and value subjects,
# and `down` must leave no registry behind. (.ci/run runs it so: Avro and the external
# backend in one run of the suite.)
# Usage: ci/external-check.sh BUILD_DIR [SET [CONVERTER]]   (SET: the other stack's version
# set, default the default one; CONVERTER: json, the default, or avro)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
versions=${2:-}
converter=${3:-json}
case "$converter" in json | avro) ;; *) echo "CONVERTER must be json or avro, not '$converter'"; exit 2 ;; esac
harness="$build/cdc-harness"
host="$build/run/external-host"
work=$(mktemp -d)
cleanup() {
  "$harness" down --run-dir "$host" > "$work/down.log" 2>&1 || cat "$work/down.log"
  rm -rf "$work"
}
trap cleanup EXIT

echo "== a native stack in another process (the 'external' one)${versions:+, version set $versions}, converter $converter"
"$harness" up --detach ${versions:+--versions "$versions"} --converter "$converter" --run-dir "$host" \
  > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
if [ "$converter" = avro ]; then
  grep -q 'converters AvroConverter/AvroConverter' "$work/up.log" ||
    { cat "$work/up.log"; echo "the other stack's worker does not run the Avro converter"; exit 1; }
fi
# `up` returns once the connector streams; the snapshot's records (and with them the change
# topic) may land in Kafka a moment later. The baseline waits for them, up to 60 s.
for _ in $(seq 1 120); do
  "$harness" inventory --run-dir "$host" > "$work/before.json"
  grep -q '"cdctest.public.customers"' "$work/before.json" && break
  sleep 0.5
done
grep -q '"cdctest.public.customers"' "$work/before.json" \
  || { echo "the external stack's change topic never appeared; inventory:"; cat "$work/before.json"; exit 1; }

echo "== the e2e suite with CDC_STACK=external"
# Through ci/ctest-beside.sh, so that another ctest run of this build can run at the same time.
CDC_STACK=external CDC_EXTERNAL_CONFIG="$host/secrets/external.env" \
  bash "$(dirname "$0")/ctest-beside.sh" "$build" external -L e2e -LE slow -j2 \
  --output-on-failure --output-junit "$build/external-results.xml"

echo "== what the suite left on that stack"
"$harness" inventory --run-dir "$host" > "$work/after.json"
if ! diff -u "$work/before.json" "$work/after.json"; then
  echo "the suite left something on the external stack (diff above: - before, + after)"
  exit 1
fi
echo "nothing left: connectors, slots, topics, consumer groups, tables and customers rows as before"

if [ "$converter" = avro ]; then
  echo "== the registry holds the change topic's subjects; down stops it"
  registry=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema_registry_url"])' "$host/endpoints.json")
  subjects=$(curl -sf "$registry/apis/ccompat/v7/subjects") || { echo "the registry at $registry does not answer"; exit 1; }
  for subject in cdctest.public.customers-key cdctest.public.customers-value; do
    grep -q "\"$subject\"" <<< "$subjects" || { echo "the registry does not list $subject; it lists: $subjects"; exit 1; }
  done
  echo "$registry/apis/ccompat/v7/subjects: $subjects"
  "$harness" status --run-dir "$host" | grep -q '^registry *running' || { echo "status shows no registry"; exit 1; }
  pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema_registry"]["pid"])' "$host/state.json")
  "$harness" down --run-dir "$host" > "$work/down.log" 2>&1 || { cat "$work/down.log"; exit 1; }
  state=$(ps -o stat= -p "$pid" || true)
  if [ -n "$state" ] && [ "${state:0:1}" != Z ]; then echo "down left the registry (pid $pid) running"; exit 1; fi
  echo "ok: Avro end to end through the external backend; down stopped the registry"
fi
