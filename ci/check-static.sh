#!/usr/bin/env bash
# What can be checked here without a Docker engine: the compose file validates and the
# GitHub Actions workflow is clean under actionlint. (The compose stack itself runs in
# GitHub Actions.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[static] %s\n' "$*" >&2; }

command -v docker-compose >/dev/null || { echo "error: docker-compose not found: run ci/setup.sh" >&2; exit 1; }
docker-compose -f "$root/compose/docker-compose.yml" config --quiet
say "compose/docker-compose.yml: valid"
# The cluster profile: 3 Kafka nodes in one quorum, 2 workers, everything replicated 3 times.
cluster=$(docker-compose -f "$root/compose/docker-compose.yml" --env-file "$root/compose/cluster.env" config)
for service in kafka kafka-2 kafka-3 connect connect-2; do
  grep -q "^  $service:" <<< "$cluster" || { echo "error: the cluster profile has no $service service" >&2; exit 1; }
done
grep -q "KAFKA_CONTROLLER_QUORUM_VOTERS: 1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093" <<< "$cluster" \
  || { echo "error: the cluster profile's Kafka nodes are not one quorum of 3" >&2; exit 1; }
grep -q "CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: '3'" <<< "$cluster" \
  || { echo "error: the cluster profile does not replicate Connect's offsets 3 times" >&2; exit 1; }
say "compose/docker-compose.yml with compose/cluster.env: valid, 3 Kafka nodes + 2 workers"
# The avro profile: a registry on 127.0.0.1, and the workers carrying Apicurio's converters.
avro=$(COMPOSE_PROFILES=avro CDC_APICURIO_CONVERTERS=true docker-compose -f "$root/compose/docker-compose.yml" config)
grep -q "^  schema-registry:" <<< "$avro" || { echo "error: the avro profile has no schema-registry service" >&2; exit 1; }
grep -q "image: apicurio/apicurio-registry-mem:2.6.13.Final" <<< "$avro" \
  || { echo "error: the avro profile's registry is not Apicurio Registry 2.6.13 (the native stack's)" >&2; exit 1; }
grep -q "host_ip: 127.0.0.1" <<< "$(sed -n '/^  schema-registry:/,/^  [a-z]/p' <<< "$avro")" \
  || grep -q "127.0.0.1:.*:8080" <<< "$avro" \
  || { echo "error: the registry's port is not bound to 127.0.0.1" >&2; exit 1; }
grep -q "ENABLE_APICURIO_CONVERTERS: 'true'\|ENABLE_APICURIO_CONVERTERS: \"true\"\|ENABLE_APICURIO_CONVERTERS: true" <<< "$avro" \
  || { echo "error: with the avro profile the workers do not enable Apicurio's converters" >&2; exit 1; }
sed -n '/^  schema-registry:/,/^  [a-z]/p' <<< "$avro" | grep -A1 "profiles:" | grep -q "avro" \
  || { echo "error: the registry is not in the avro profile: it would run on every stack" >&2; exit 1; }
say "compose/docker-compose.yml with the avro profile: Apicurio Registry on 127.0.0.1, converters enabled"

# The images' tags follow the version set: the file's defaults are the default set's, and the
# harness's variables reach both images.
default_set="$root/ci/jars/versions/$(cat "$root/ci/jars/versions/default").properties"
kafka_default=$(sed -n 's/^kafka.version=//p' "$default_set")
debezium_default=$(sed -n 's/^debezium.version=//p' "$default_set")
grep -q "image: apache/kafka:$kafka_default$" <<< "$cluster" \
  || { echo "error: compose's Kafka image is not the default set's Kafka $kafka_default ($default_set)" >&2; exit 1; }
grep -q "image: quay.io/debezium/connect:$debezium_default$" <<< "$cluster" \
  || { echo "error: compose's Connect image is not the default set's Debezium $debezium_default ($default_set)" >&2; exit 1; }
tagged=$(CDC_KAFKA_VERSION=9.9.9 CDC_DEBEZIUM_VERSION=9.9.9.Final docker-compose -f "$root/compose/docker-compose.yml" --env-file "$root/compose/cluster.env" config)
[ "$(grep -c 'image: apache/kafka:9.9.9$\|image: quay.io/debezium/connect:9.9.9.Final$' <<< "$tagged")" = 5 ] \
  || { echo "error: CDC_KAFKA_VERSION / CDC_DEBEZIUM_VERSION do not tag every broker and worker image" >&2; exit 1; }
say "compose/docker-compose.yml: images tagged by the version set (default $kafka_default / $debezium_default)"

# What reading the file and the workflow line by line found, held (issue 20).
config=$(docker-compose -f "$root/compose/docker-compose.yml" config)
fail() { echo "error: $*" >&2; exit 1; }
# debezium/connect's entrypoint overwrites CONNECT_OFFSET_FLUSH_INTERVAL_MS from its own variable.
grep -q "CONNECT_OFFSET_FLUSH_INTERVAL_MS" <<< "$config" \
  && fail "the compose file sets CONNECT_OFFSET_FLUSH_INTERVAL_MS, which the image overwrites: set OFFSET_FLUSH_INTERVAL_MS"
grep -Eq "OFFSET_FLUSH_INTERVAL_MS: '?1000'?$" <<< "$config" || fail "the worker's OFFSET_FLUSH_INTERVAL_MS is not 1000"
# The official image answers on its Unix socket during init: readiness over TCP.
grep -q "pg_isready -h 127.0.0.1" <<< "$config" || fail "the postgres healthcheck does not ask over TCP (pg_isready -h 127.0.0.1)"
# Kafka's check starts a JVM each time: not every 2 s for the container's life.
kafka_interval=$(awk '/^  kafka:/{k=1} k && /interval:/{print $2; exit}' <<< "$config")
case "$kafka_interval" in 2s|1s|3s|5s) fail "the kafka healthcheck runs every $kafka_interval (a JVM each time)";; esac
workflow="$root/.github/workflows/ci.yml"
grep -q "checks: write" "$workflow" || fail "the workflow does not grant checks: write (the JUnit checks fail with the default token)"
grep -q "external-results.xml" <(sed -n '/Publish ctest results/,/check_name/p' "$workflow") \
  || fail "the external leg's JUnit is not published"
grep -q "build/external-results.xml" <(sed -n '/upload-artifact/,/if-no-files-found/p' "$workflow") \
  || fail "the external leg's JUnit is not uploaded"
grep -q "ci/jars/versions" <(grep "key: deps-" "$workflow") || fail "the cache key ignores the version sets"
grep -q "runs the end-to-end label on it" "$root/compose/README.md" || fail "compose/README.md does not say what the workflow runs on compose"
say "compose file and workflow: flush interval, readiness, healthcheck cost, checks permission, external JUnit, cache key"
# The defect table is the one place that names upstream fix versions; the README's is its rendering.
python3 "$root/ci/check-defects.py" | sed 's/^/[static] /'

bin="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness/bin"
if [ ! -x "$bin/actionlint" ]; then
  command -v go >/dev/null || { echo "error: Go is needed to install actionlint: apt-get install golang" >&2; exit 1; }
  say "installing actionlint v1.7.12"
  GOBIN="$bin" go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
fi
# actionlint runs shellcheck on the workflow's run: blocks when it is installed (setup does).
(cd "$root" && "$bin/actionlint")
say "workflows: actionlint clean"

command -v shellcheck >/dev/null || { echo "error: shellcheck not found: run ci/setup.sh" >&2; exit 1; }
(cd "$root" && find scenarios/unit/stand_in -type f -print0 | xargs -0 shellcheck ci/*.sh .ci/run)
say "scripts: shellcheck clean"
