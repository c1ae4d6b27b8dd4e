#!/usr/bin/env bash
# Resolves the Prometheus JMX exporter's Java agent (what users attach to Kafka Connect to
# scrape its metrics) from Maven Central into a cache outside the source tree. The native
# stack's workers carry it, so that a scenario file's expectation can settle on Connect's
# task metrics instead of waiting for the offset flush. Prints the jar's path.
# Usage: ci/install-metrics-agent.sh
set -euo pipefail
version=1.0.1
dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness/tools"
jar="$dir/jmx_prometheus_javaagent-$version.jar"
if [ -f "$jar" ]; then
  echo "$jar"
  exit 0
fi
command -v mvn >/dev/null || { echo "error: Maven (mvn) not found: apt-get install maven" >&2; exit 1; }
echo "resolving the Prometheus JMX exporter agent $version into $dir ..." >&2
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
  -Dartifact="io.prometheus.jmx:jmx_prometheus_javaagent:$version" -DoutputDirectory="$tmp" >&2
mv "$tmp/jmx_prometheus_javaagent-$version.jar" "$jar"
echo "$jar"
