#!/usr/bin/env bash
# Resolves the Kafka broker/Connect jars and Debezium's Postgres connector from Maven
# Central (poms in ci/jars) into a cache outside the source tree, keyed by the poms'
# content: the same key the build computes, so the harness finds exactly these versions.
# Usage: ci/resolve-jars.sh        (prints the jars directory)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v mvn >/dev/null || { echo "error: Maven (mvn) not found: apt-get install maven" >&2; exit 1; }

key=$(cat "$here/jars/pom.xml" "$here/jars/kafka/pom.xml" "$here/jars/debezium-postgres/pom.xml" | sha256sum | cut -c1-16)
cache="${CDC_HARNESS_JARS:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness/jars/$key}"
if [ -f "$cache/.complete" ]; then
  echo "$cache"
  exit 0
fi
echo "resolving Kafka and Debezium jars into $cache ..." >&2
tmp="$cache.partial.$$"
rm -rf "$tmp"
# Build output (target/) goes to a temp copy of the poms: the source tree stays clean.
work=$(mktemp -d)
trap 'rm -rf "$work" "$tmp"' EXIT
cp -r "$here/jars/." "$work/"
mvn -B -q -f "$work/pom.xml" package -Djars.dir="$tmp" >&2
touch "$tmp/.complete"
rm -rf "$cache"
mkdir -p "$(dirname "$cache")"
mv "$tmp" "$cache"
echo "$cache"
