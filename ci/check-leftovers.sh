#!/usr/bin/env bash
# After a test run: nothing the harness started may still run, listen or hold a slot.
# Usage: ci/check-leftovers.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
status=0
procs=$(ps -eo pid=,comm=,args= | awk '$2=="java" || $2=="postgres" || $2=="cdc-harness" || $2=="toxiproxy-serve"' | grep -F "$build/" || true)
if [ -n "$procs" ]; then
  echo "leftover processes from $build:"; echo "$procs"; status=1
fi
# The harness itself says whether a run directory still records a stack (its file names
# live in one place, harness/common/run_dir.hpp).
for dir in "$build"/run/*/; do
  [ -d "$dir" ] || continue
  said=$("$build/cdc-harness" status --run-dir "$dir" 2>&1 || true)  # exits 1 when nothing runs
  if ! grep -q '^nothing running' <<< "$said"; then
    echo "leftover stack state in $dir (run \`cdc-harness down --run-dir $dir\`)"; status=1
  fi
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
