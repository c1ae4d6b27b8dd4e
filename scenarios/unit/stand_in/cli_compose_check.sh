#!/usr/bin/env bash
# `cdc-harness up --stack compose` against the stand-in docker: Docker missing, and a service
# that never gets healthy, each end `up` with a clear error that names the problem, and leave
# nothing in the run directory but logs (the project is taken down with its volumes).
# Usage: cli_compose_check.sh PATH/TO/cdc-harness
set -euo pipefail
# shellcheck source=scenarios/unit/stand_in/check_preamble.sh
source "$(dirname "$0")/check_preamble.sh"

# Docker missing: nothing on PATH has it.
if PATH=/nonexistent "$harness" up --stack compose --detach --run-dir "$work/run" > "$work/out" 2>&1; then
  fail "up succeeded without docker"
fi
grep -q "^error: docker is not installed" "$work/out" || fail "no clear error without docker"
left_nothing

# Kafka never gets healthy: the wait ends at its (scaled) deadline naming it.
export PATH="$stand_in:$PATH" STAND_IN_DOCKER_LOG="$work/calls" STAND_IN_DOCKER_MODE=never-healthy
if CDC_HARNESS_TIMEOUT_SCALE=0.03 "$harness" up --stack compose --detach --run-dir "$work/run" \
    > "$work/out" 2>&1; then
  fail "up succeeded with kafka never healthy"
fi
grep -q "kafka running (starting)" "$work/out" || fail "the error does not name kafka's state"
grep -q "down --volumes --remove-orphans" "$work/calls" || fail "the project was not taken down"
left_nothing
echo "ok: docker missing and a never-healthy service both fail cleanly and leave nothing"
