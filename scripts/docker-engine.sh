#!/usr/bin/env bash
# A private Docker engine for the sandbox's tests and benchmarks: its own data root, exec root and
# socket, no bridge, no iptables, no IP forwarding (the host's network settings stay untouched).
#
#   scripts/docker-engine.sh start   starts it (idempotent) and prints its DOCKER_HOST
#   scripts/docker-engine.sh stop    stops it by its pid file
#   scripts/docker-engine.sh host    prints its DOCKER_HOST
#
# QLP_DOCKER_ROOT picks the folder (default /tmp/qlp-docker-engine). Needs root and dockerd
# (Debian: apt-get install docker.io).
set -euo pipefail

root=${QLP_DOCKER_ROOT:-/tmp/qlp-docker-engine}
socket=$root/docker.sock
pidfile=$root/dockerd.pid
host=unix://$socket

answers() {
  DOCKER_HOST=$host docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

start_with() {
  local driver=$1
  # Started through sudo, the socket belongs to the caller's group, so their tests can use it.
  local group=()
  if [ -n "${SUDO_USER:-}" ]; then group=(--group "$(id -gn "$SUDO_USER")"); fi
  dockerd --data-root "$root/data" --exec-root "$root/exec" -H "$host" --pidfile "$pidfile" \
    --iptables=false --ip-forward=false --bridge=none --storage-driver "$driver" "${group[@]}" \
    >>"$root/dockerd.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    if answers; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

case ${1:-} in
  start)
    if answers; then echo "$host"; exit 0; fi
    command -v dockerd >/dev/null || { echo "docker-engine: dockerd is not installed (Debian: apt-get install docker.io)." >&2; exit 3; }
    command -v docker >/dev/null || { echo "docker-engine: the docker command is not installed (Debian: apt-get install docker.io)." >&2; exit 3; }
    [ "$(id -u)" -eq 0 ] || { echo "docker-engine: starting dockerd needs root." >&2; exit 3; }
    mkdir -p "$root"
    : >"$root/dockerd.log"
    # overlay2 needs a data root on a filesystem that supports it; vfs works anywhere (the
    # offline sandbox image is a few empty folders, so copying it per container costs nothing).
    if ! start_with overlay2 && ! start_with vfs; then
      echo "docker-engine: dockerd did not start; its log:" >&2
      tail -n 30 "$root/dockerd.log" >&2
      exit 3
    fi
    echo "$host"
    ;;
  stop)
    [ -f "$pidfile" ] || exit 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$pidfile"
    # dockerd leaves the bind mount of its own network namespace behind.
    umount "$root/exec/netns/default" 2>/dev/null || true
    ;;
  host)
    echo "$host"
    ;;
  *)
    echo "usage: scripts/docker-engine.sh start|stop|host" >&2
    exit 2
    ;;
esac
