#!/usr/bin/env bash
# Builds Toxiproxy's server (the proxy the native stack puts between Connect and Postgres,
# and between Connect and Kafka, for network faults) from the Go module proxy into a cache
# outside the source tree. Prints the binary's path.
# Usage: ci/install-toxiproxy.sh
set -euo pipefail
version=v2.5.0
dir="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cdc-harness/tools/toxiproxy-$version"
bin="$dir/toxiproxy-server"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
go=$(command -v go || true)
[ -n "$go" ] || [ ! -x /usr/local/go/bin/go ] || go=/usr/local/go/bin/go
if [ -z "$go" ]; then
  echo "error: Go not found (needed to build Toxiproxy): apt-get install golang-go" >&2
  exit 1
fi
echo "building Toxiproxy $version into $dir ..." >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOFLAGS=-mod=mod "$go" install "github.com/Shopify/toxiproxy/v2/cmd/server@$version" >&2
mkdir -p "$dir"
mv "$tmp/server" "$bin"
echo "$bin"
