#!/usr/bin/env bash
# Renders docs/graph.svg, the README's picture of the knowledge base, from the
# real seeds with `factgraph graph | dot -Tsvg`. Run it again whenever seeds/
# change (tests/client/graph_picture_test.py checks that it is current).
#
# usage: client/render_graph.sh [BUILD_DIR]   (default $FACTGRAPH_BUILD_DIR or build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-${FACTGRAPH_BUILD_DIR:-build}}
work=$(mktemp -d)
"$build/service/server/factgraphd" --listen=127.0.0.1:0 --port_file="$work/port" \
  --seeds=seeds 2>"$work/factgraphd.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 600); do
  [ -s "$work/port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/factgraphd.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/port" ] || { echo "render_graph: factgraphd wrote no port" >&2; exit 1; }
mkdir -p docs
"$build/client/cli/factgraph" --server="127.0.0.1:$(cat "$work/port")" graph |
  dot -Tsvg -o docs/graph.svg
echo "render_graph: wrote docs/graph.svg"
