#!/usr/bin/env bash
# The Docker CLI and its compose v2 plugin, from Docker's Debian repository, for the compose
# stack in CI (the daemon is the runner's). Debian's own docker-compose is v1, which the
# harness does not drive.
set -euo pipefail
command -v docker > /dev/null && docker compose version > /dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq ca-certificates curl gnupg > /dev/null
install -m 0755 -d /etc/apt/keyrings
curl -fsSL https://download.docker.com/linux/debian/gpg -o /etc/apt/keyrings/docker.asc
chmod a+r /etc/apt/keyrings/docker.asc
echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable" \
  > /etc/apt/sources.list.d/docker.list
apt-get update -qq
apt-get install -y -qq docker-ce-cli docker-compose-plugin > /dev/null
docker compose version
