#!/usr/bin/env bash
# GitHub Actions: runs the job's steps in one long-lived Debian 12 container (the release the
# project targets) that shares the runner's network and Docker daemon. Sharing matters for
# the compose stack: it publishes on the runner's 127.0.0.1, and compose bind-mounts
# postgres/init.sql by the path the daemon sees, so the checkout is mounted at the same path.
#   ci/debian-container.sh start            start it (caches: ~/.m2, ~/.cache/cdc-harness, apt)
#   ci/debian-container.sh exec 'COMMAND'   run COMMAND in the checkout, inside it
#   ci/debian-container.sh stop
set -euo pipefail
name=cdc-harness-ci
workspace=$(pwd)
case "${1:-}" in
  start)
    mkdir -p "$HOME/.m2" "$HOME/.cache/cdc-harness" "$HOME/.cache/cdc-harness-apt"
    docker run --detach --name "$name" --network host \
      --volume /var/run/docker.sock:/var/run/docker.sock \
      --volume "$workspace:$workspace" --workdir "$workspace" \
      --volume "$HOME/.m2:/root/.m2" \
      --volume "$HOME/.cache/cdc-harness:/root/.cache/cdc-harness" \
      --volume "$HOME/.cache/cdc-harness-apt:/var/cache/apt/archives" \
      --env CI=true \
      debian:12 sleep infinity
    # Debian's image deletes downloaded packages after each install; keep them for the cache.
    docker exec "$name" rm -f /etc/apt/apt.conf.d/docker-clean
    ;;
  exec)
    shift
    docker exec --env CDC_STACK="${CDC_STACK:-}" --env CDC_VERSIONS="${CDC_VERSIONS:-}" --env GTEST_OUTPUT="${GTEST_OUTPUT:-}" \
      --workdir "$workspace" "$name" bash -euo pipefail -c "$*"
    ;;
  stop)
    # Files the container wrote belong to root; hand them back for the upload steps.
    docker exec "$name" chown -R "$(id -u):$(id -g)" "$workspace" "/root/.m2" \
      /root/.cache/cdc-harness /var/cache/apt/archives || true
    docker rm --force "$name" > /dev/null
    ;;
  *)
    echo "usage: ci/debian-container.sh start | exec 'COMMAND' | stop" >&2
    exit 2
    ;;
esac
