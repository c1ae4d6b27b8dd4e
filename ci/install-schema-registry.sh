#!/usr/bin/env bash
# Resolves Apicurio Registry (a schema registry with a Confluent-compatible API) and its
# AvroConverter, a Connect plugin, from Maven Central into a cache outside the source tree:
# what the native stack runs for `up --converter avro`. Prints the directory.
# Usage: ci/install-schema-registry.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=2.6.13.Final
dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness/tools/apicurio-$version"
if [ -f "$dir/.complete" ]; then
  echo "$dir"
  exit 0
fi
command -v mvn >/dev/null || { echo "error: Maven (mvn) not found: apt-get install maven" >&2; exit 1; }
echo "resolving Apicurio Registry $version and its AvroConverter into $dir ..." >&2
tmp="$dir.partial.$$"
work=$(mktemp -d)
trap 'rm -rf "$work" "$tmp"' EXIT
cp "$here/jars/apicurio/pom.xml" "$work/"
mvn -B -q -f "$work/pom.xml" package -Dapicurio.version="$version" -Dout.dir="$tmp" >&2
ls "$tmp"/registry/apicurio-registry-app-*-runner.jar > /dev/null
# Connect finds plugins by their service manifests (plugin.discovery=service_load in
# debezium/worker.properties), and Apicurio's converter jar has none: a jar holding only the
# manifest, as Kafka's `connect-plugin-path sync-manifests` would add, declares it.
python3 - "$tmp/plugins/apicurio-avro-converter/cdc-harness-converter-manifest.jar" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as jar:
    jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    jar.writestr("META-INF/services/org.apache.kafka.connect.storage.Converter",
                 "io.apicurio.registry.utils.converter.AvroConverter\n")
PY
touch "$tmp/.complete"
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
mv "$tmp" "$dir"
echo "$dir"
