#!/usr/bin/env bash
# Resolves the Kafka broker/Connect jars and Debezium's Postgres connector of a version set
# (ci/jars/versions/NAME.properties) from Maven Central into a cache outside the source tree,
# keyed by the poms' and the set's content: the same key the build computes, so the harness
# finds exactly these versions.
# Usage: ci/resolve-jars.sh [NAME|all]   (default: $CDC_VERSIONS, else ci/jars/versions/default)
#        prints the jars directory (for `all`: a line "NAME DIR" per set)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v mvn >/dev/null || { echo "error: Maven (mvn) not found: apt-get install maven" >&2; exit 1; }

sets="$here/jars/versions"
name=${1:-${CDC_VERSIONS:-$(cat "$sets/default")}}
if [ "$name" = all ]; then
  for file in "$sets"/*.properties; do
    set_name=$(basename "$file" .properties)
    echo "$set_name $(bash "$0" "$set_name")"
  done
  exit 0
fi
set_file="$sets/$name.properties"
if [ ! -f "$set_file" ]; then
  known=""
  for file in "$sets"/*.properties; do known="$known$(basename "$file" .properties) "; done
  echo "error: no version set '$name': the sets are $known(ci/jars/versions/)" >&2
  exit 1
fi

key=$(cat "$here/jars/pom.xml" "$here/jars/kafka/pom.xml" "$here/jars/debezium-postgres/pom.xml" "$set_file" | sha256sum | cut -c1-16)
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness/jars/$key"
if [ -f "$cache/.complete" ]; then
  echo "$cache"
  exit 0
fi
echo "resolving the $name set's Kafka and Debezium jars into $cache ..." >&2
tmp="$cache.partial.$$"
rm -rf "$tmp"
# Build output (target/) goes to a temp copy of the poms: the source tree stays clean.
work=$(mktemp -d)
trap 'rm -rf "$work" "$tmp"' EXIT
cp -r "$here/jars/." "$work/"
mapfile -t versions < <(grep -E '^[a-z.]+=' "$set_file" | sed 's/^/-D/')
mvn -B -q -f "$work/pom.xml" package -Djars.dir="$tmp" "${versions[@]}" >&2
touch "$tmp/.complete"
rm -rf "$cache"
mkdir -p "$(dirname "$cache")"
mv "$tmp" "$cache"
echo "$cache"
