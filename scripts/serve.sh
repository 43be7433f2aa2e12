#!/usr/bin/env bash
# The README serve command: installs what is missing, builds, and runs
# factgraphd on the built-in seeds. Extra arguments go to factgraphd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build_dir=${FACTGRAPH_BUILD_DIR:-build}
exec "$build_dir/service/server/factgraphd" --seeds=seeds "$@"
