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
