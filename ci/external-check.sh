#!/usr/bin/env bash
# The external backend's real test: the whole e2e suite with CDC_STACK=external, pointed at a
# native stack that `cdc-harness up` runs in another process. Afterwards that stack must hold
# exactly what it held before: no connector, slot, topic, consumer group, table or row the
# suite created, and its own rows unchanged.
# Usage: ci/external-check.sh BUILD_DIR [SET]   (SET: the other stack's version set; default:
# the default one)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
versions=${2:-}
harness="$build/cdc-harness"
host="$build/run/external-host"
work=$(mktemp -d)
cleanup() {
  "$harness" down --run-dir "$host" > "$work/down.log" 2>&1 || cat "$work/down.log"
  rm -rf "$work"
}
trap cleanup EXIT

echo "== a native stack in another process (the 'external' one)${versions:+, version set $versions}"
"$harness" up --detach ${versions:+--versions "$versions"} --run-dir "$host" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
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
CDC_STACK=external CDC_EXTERNAL_CONFIG="$host/secrets/external.env" \
  ctest --test-dir "$build" -L e2e -LE slow -j2 --output-on-failure --output-junit external-results.xml

echo "== what the suite left on that stack"
"$harness" inventory --run-dir "$host" > "$work/after.json"
if ! diff -u "$work/before.json" "$work/after.json"; then
  echo "the suite left something on the external stack (diff above: - before, + after)"
  exit 1
fi
echo "nothing left: connectors, slots, topics, consumer groups, tables and customers rows as before"
