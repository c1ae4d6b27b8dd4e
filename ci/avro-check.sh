#!/usr/bin/env bash
# The pipeline users mostly run: Avro through a schema registry, on the harness's own stack.
# The e2e suite and the scenario files again with CDC_CONVERTER=avro (Apicurio Registry on
# the native stack, the connector writing with Apicurio's AvroConverter, the observer reading
# Avro). .ci/run covers Avro through `ci/external-check.sh BUILD SET avro` instead (the same
# suite against a stack `up --converter avro` runs in another process, and the registry's
# subjects and `down` after); this is the same suite on a stack of ctest's own.
# Usage: ci/avro-check.sh BUILD_DIR [SET]   (SET: the version set the suite runs on; default:
# the default one)
set -euo pipefail
build=$(cd "${1:?usage: ci/avro-check.sh BUILD_DIR [SET]}" && pwd)
versions=${2:-}
echo "== the e2e suite and the scenario files with CDC_CONVERTER=avro${versions:+ on version set $versions}"
CDC_VERSIONS="$versions" CDC_CONVERTER=avro ctest --test-dir "$build" -L e2e -LE slow --output-on-failure -j2
grep -q 'converters AvroConverter/AvroConverter' "$build/Testing/Temporary/LastTest.log" ||
  { echo "the suite's stack did not run the Avro converter"; exit 1; }
if [ -n "$versions" ]; then
  grep -q "version set $versions," "$build/Testing/Temporary/LastTest.log" ||
    { echo "the suite's stack did not run version set $versions"; exit 1; }
fi
echo "ok: the e2e suite and the scenario files under Avro"
