#!/usr/bin/env bash
# After a test run: nothing the harness started may still run, listen or hold a slot.
# Usage: ci/check-leftovers.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
status=0
procs=$(ps -eo pid=,comm=,args= | awk '$2=="java" || $2=="postgres" || $2=="cdc-harness"' | grep -F "$build/" || true)
if [ -n "$procs" ]; then
  echo "leftover processes from $build:"; echo "$procs"; status=1
fi
for state in "$build"/run/*/state.json "$build"/run/*/stack.json "$build"/run/*/compose.json; do
  [ -e "$state" ] || continue
  echo "leftover stack state: $state (run \`cdc-harness down --run-dir $(dirname "$state")\`)"; status=1
done
# Ports recorded by the last run (logs survive the run; the endpoints there name the ports).
for log in "$build"/run/*/logs/kafka.log; do
  [ -e "$log" ] || continue
  while read -r port; do
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then echo "port $port still listening"; status=1; fi
  done < <(grep -o 'PLAINTEXT://127.0.0.1:[0-9]*' "$log" | sort -u | cut -d: -f3)
done
# Compose projects of the harness, where a Docker daemon answers.
if docker compose ls > /dev/null 2>&1; then
  projects=$(docker compose ls --all --quiet | grep '^cdc-harness-' || true)
  if [ -n "$projects" ]; then echo "leftover compose projects: $projects"; status=1; fi
fi
[ $status -eq 0 ] && echo "no leftovers: no processes, no stack state, no listening ports from $build"
exit $status
