#!/usr/bin/env bash
# Docker for the docker sandbox backend on Debian: installs docker.io when dockerd is missing and starts the
# daemon when none answers (systemd where it runs, else dockerd in the background, logging to /tmp/dockerd.log).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dockerd >/dev/null; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0  # a daemon is already running
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  as_root systemctl start docker
else
  as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 </dev/null &'
fi
for _ in $(seq 60); do
  if as_root docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "dockerd did not come up within 60 s; see /tmp/dockerd.log" >&2
exit 1
