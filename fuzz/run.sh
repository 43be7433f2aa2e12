#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, starting from its seed corpus in
# fuzz/corpus/<target>/, and prints one result line per target. Any crash,
# leak, undefined behaviour, timeout (-timeout) or memory blow-up
# (-rss_limit_mb) stops the run with a non-zero exit and leaves the input in
# <build dir>/fuzz-artifacts/.
#
#   fuzz/run.sh [seconds per target, default 30] [build dir, default build-asan]
#
# The build dir must hold the fuzz targets: a clang build with
# -DFACTGRAPH_FUZZ=ON -DFACTGRAPH_ASAN=ON (tests/hardening/sanitizer_pass.sh
# asan makes one). New inputs found go to a temporary directory, so the
# committed corpora only change when someone adds to them on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
build_dir=${2:-build-asan}
targets=(filter_fuzzer order_by_fuzzer page_token_fuzzer search_fuzzer
         kb_text_fuzzer snapshot_fuzzer snapshot2_fuzzer
         service_request_fuzzer)

artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
summary=()
for target in "${targets[@]}"; do
  binary="$build_dir/fuzz/$target"
  [ -x "$binary" ] || { echo "fuzz: $binary is not built" >&2; exit 1; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/factgraph-fuzz-$target.XXXXXX")
  log="$artifacts/$target.log"
  echo "fuzz: $target for ${seconds}s"
  status=0
  "$binary" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
    "$work" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  rm -rf "$work"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if ((status != 0)); then
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED (exit $status); input and log in $artifacts/" >&2
    exit 1
  fi
  summary+=("$(printf '%-24s %10s executions  crashes: 0' "$target" "${executions:-?}")")
done
echo "fuzz: all targets ran ${seconds}s each without a finding"
printf '  %s\n' "${summary[@]}"
