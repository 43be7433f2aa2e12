#!/usr/bin/env bash
# Starts factgraphd on a seeds directory exactly as the image will serve it,
# waits until it serves, and stops it with SIGTERM, which must drain and exit
# 0. The image build runs this, so a knowledge base that factgraphd refuses
# never becomes an image; factgraphd's own `file:line: problem` is printed.
# With --root=DIR, factgraphd runs chrooted in DIR (an image's root file
# system, FACTGRAPHD and SEEDS_DIR being paths inside it) as --user=UID:GID, so
# that only the image's own files and permissions are used.
# Usage: check-seeds-load.sh [--root=DIR [--user=UID:GID]] FACTGRAPHD SEEDS_DIR [TIMEOUT_SECONDS]
set -euo pipefail
usage="usage: check-seeds-load.sh [--root=DIR [--user=UID:GID]] FACTGRAPHD SEEDS_DIR [TIMEOUT_SECONDS]"
root=""
user="0:0"
while [[ ${1:-} == --* ]]; do
  case $1 in
    --root=*) root=${1#--root=} ;;
    --user=*) user=${1#--user=} ;;
    *) echo "check-seeds-load: unknown option $1; $usage" >&2; exit 2 ;;
  esac
  shift
done
binary=${1:?$usage}
seeds=${2:?$usage}
timeout_s=${3:-120}
run=()
if [ -n "$root" ]; then
  # The port file must be writable by --user and reachable inside the root.
  mkdir -p "$root/tmp"
  work=$(mktemp -d -p "$root/tmp")
  chmod 0777 "$work"
  run=(chroot --userspec="$user" "$root")
  port_file=${work#"$root"}/port
else
  work=$(mktemp -d)
  port_file=$work/port
fi
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"${run[@]}" "$binary" --listen=127.0.0.1:0 --port_file="$port_file" --seeds="$seeds" \
  --shutdown_grace=2s 2>"$work/log" &
pid=$!
deadline=$((SECONDS + timeout_s))
while [ ! -s "$work/port" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    status=0
    wait "$pid" || status=$?
    pid=""
    echo "check-seeds-load: factgraphd refused $seeds (exit status $status):" >&2
    cat "$work/log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "check-seeds-load: factgraphd did not serve $seeds within ${timeout_s}s:" >&2
    cat "$work/log" >&2
    exit 1
  fi
  sleep 0.1
done
kill -TERM "$pid"
drain_deadline=$((SECONDS + 15))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < drain_deadline)); do sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  echo "check-seeds-load: factgraphd still running 15s after SIGTERM:" >&2
  cat "$work/log" >&2
  exit 1
fi
status=0
wait "$pid" || status=$?
pid=""
if [ "$status" -ne 0 ]; then
  echo "check-seeds-load: factgraphd exited $status on SIGTERM, not 0:" >&2
  cat "$work/log" >&2
  exit 1
fi
echo "check-seeds-load: $seeds loads and serves on port $(cat "$work/port")"
