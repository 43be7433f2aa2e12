#!/usr/bin/env bash
# Configures and builds factgraph into build/ (or $FACTGRAPH_BUILD_DIR).
# Extra arguments go to cmake, e.g. -DFACTGRAPH_ASAN=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FACTGRAPH_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
ninja -C "$build_dir" -j"$(nproc)"
