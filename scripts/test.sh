#!/usr/bin/env bash
# The README test command: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build_dir=${FACTGRAPH_BUILD_DIR:-build}
ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 600
