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
  CDC_VERSIONS="$set_name" ctest --test-dir "$build" -L e2e --output-on-failure -j2
done
