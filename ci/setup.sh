#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs to run cdc-harness: Debian packages (only the
# missing ones), the Kafka/Debezium jars from Maven Central, and the build.
# Usage: bash ci/setup.sh            (build directory: $CDC_HARNESS_BUILD_DIR or ./build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CDC_HARNESS_BUILD_DIR:-$root/build}
say() { printf '[setup] %s\n' "$*" >&2; }

# Header/library packages, checked by name.
# kcat: what `cdc-harness bench` compares the observer with (pgbench comes with Postgres).
packages=(build-essential cmake ninja-build pkg-config git curl
          libpqxx-dev libpq-dev librdkafka-dev libavro-dev nlohmann-json3-dev libboost-dev
          libboost-filesystem-dev libcpp-httplib-dev libcli11-dev libsimdjson-dev libjemalloc-dev libabsl-dev libgtest-dev libgmock-dev clang-format
          python3-jsonschema docker-compose shellcheck kcat)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Programs, checked by what is runnable (any JDK 17+, any Postgres server version will do).
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
# Go builds Toxiproxy (the machine's own Go, or Debian's).
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || missing+=(golang-go)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)

if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Every version set (ci/jars/versions/): the suite runs on each.
while read -r set_name dir; do say "jars ($set_name): $dir"; done < <(bash "$root/ci/resolve-jars.sh" all)
say "toxiproxy: $(bash "$root/ci/install-toxiproxy.sh")"
say "metrics agent: $(bash "$root/ci/install-metrics-agent.sh")"
say "schema registry and Avro converter: $(bash "$root/ci/install-schema-registry.sh")"

say "building in $build"
# A unity build (8 files a unit): each file spent most of its 10-20 s on the same headers and
# templates (nlohmann::json, GoogleTest, libpqxx); a fresh build takes about half as long. An
# incremental build of your own may prefer -DCMAKE_UNITY_BUILD=OFF (one file, one unit).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build" --parallel

# A version set's first stack makes what later ones start from: Kafka's formatted storage,
# Postgres's initdb template, and the class archives its JVMs map (written as they stop).
# Until then each JVM also dumps its classes as it stops. On a fresh machine the four stacks
# that start at once with the tests took 25-42 s to stream instead of 14-20 s; one stack
# alone makes the caches in about 20 s. So a fresh machine makes the default set's here.
# (Checked by file name: after a JDK or Postgres upgrade, the first stack makes them again,
# as it would without this step.)
cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness"
jars=$(bash "$root/ci/resolve-jars.sh")
made() { compgen -G "$1" > /dev/null; }
if [ "${CDC_STACK:-native}" = native ] && ! { made "$jars/class-archives/*/kafka.jsa" &&
  made "$jars/class-archives/*/connect.jsa" && made "$cache/postgres-templates/*"; }; then
  say "a first stack, alone, to make the caches every stack starts from (about 20 s)"
  run_dir="$build/run/setup" log="$build/setup-first-stack.log"
  trap '"$build/cdc-harness" down --run-dir "$run_dir" >> "$log" 2>&1 || true' EXIT
  if ! { "$build/cdc-harness" up --detach --run-dir "$run_dir" &&
         "$build/cdc-harness" down --run-dir "$run_dir"; } > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    say "error: the first stack failed (above; all of it in $log)"
    exit 1
  fi
  trap - EXIT
  say "$(grep -h 'bring-up took' "$log" | sed 's/^pipeline streaming: //') (caches made)"
fi
say "ready: $build/cdc-harness"
