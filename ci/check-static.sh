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
