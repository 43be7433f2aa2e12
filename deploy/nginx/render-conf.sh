#!/usr/bin/env bash
# Prints factgraph-grpc.conf.template (beside this script) with its
# placeholders filled in: the one way the image (deploy/Dockerfile) and the
# tests (tests/hardening/abuse_floods_test.py) make an nginx configuration from
# the one template.
#   DIR        a directory nginx may write (pid file, request buffers); in the
#              pod, the emptyDir mounted there (the root is read-only)
#   LISTEN     host:port clients call
#   BACKEND    factgraphd's host:port
#   ERROR_LOG  where nginx's own log goes: a file or "stderr" (default DIR/error.log)
# Usage: render-conf.sh DIR LISTEN BACKEND [ERROR_LOG]
set -euo pipefail
usage="usage: render-conf.sh DIR LISTEN BACKEND [ERROR_LOG]"
dir=${1:?$usage}
listen=${2:?$usage}
backend=${3:?$usage}
error_log=${4:-$dir/error.log}
for value in "$dir" "$listen" "$backend" "$error_log"; do
  # Each lands inside one nginx directive: no spaces, quotes, ';', braces or '|'.
  [[ $value =~ ^[][A-Za-z0-9_./:-]+$ ]] ||
    { echo "render-conf: '$value' cannot be placed in the configuration" >&2; exit 1; }
done
template="$(dirname "$0")/factgraph-grpc.conf.template"
# Outside comments, which keep naming the placeholders.
rendered=$(sed -e "/^ *#/!{s|@DIR@|$dir|g; s|@LISTEN@|$listen|g; s|@BACKEND@|$backend|g;" \
  -e "s|@ERROR_LOG@|$error_log|g}" "$template")
if grep -v '^ *#' <<<"$rendered" | grep '@[A-Z_]*@' >&2; then
  echo "render-conf: $template has a placeholder this script does not fill" >&2
  exit 1
fi
printf '%s\n' "$rendered"
