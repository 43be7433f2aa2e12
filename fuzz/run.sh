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

# Targets run FACTGRAPH_FUZZ_JOBS at a time (default: one per core): each
# libFuzzer process is single-threaded, so one at a time leaves cores idle
# and makes CI wait for them.
jobs=${FACTGRAPH_FUZZ_JOBS:-$(nproc)}

artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
for target in "${targets[@]}"; do
  [ -x "$build_dir/fuzz/$target" ] ||
    { echo "fuzz: $build_dir/fuzz/$target is not built" >&2; exit 1; }
done

# Runs one target; its exit status is libFuzzer's, its log $artifacts/T.log.
fuzz_target() {
  local target=$1 work status=0
  work=$(mktemp -d "${TMPDIR:-/tmp}/factgraph-fuzz-$target.XXXXXX")
  "$build_dir/fuzz/$target" -max_total_time="$seconds" -timeout=25 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" \
    "$work" "fuzz/corpus/$target" >"$artifacts/$target.log" 2>&1 || status=$?
  rm -rf "$work"
  return "$status"
}

# Waits for the target started as $1 (pid $2); stops the run if it failed.
finish_target() {
  local target=$1 pid=$2 status=0
  wait "$pid" || status=$?
  if ((status != 0)); then
    tail -n 60 "$artifacts/$target.log" >&2
    echo "fuzz: $target FAILED (exit $status); input and log in $artifacts/" >&2
    # The fuzzers still running are children of their fuzz_target
    # subshells: stopping them lets each subshell remove its work directory.
    for pid in "${pids[@]}"; do pkill -P "$pid" 2>/dev/null || true; done
    exit 1
  fi
}

# Targets are started in order and waited for in order, at most $jobs
# running at once.
pids=()
finished=0
for ((i = 0; i < ${#targets[@]}; ++i)); do
  if ((i - finished >= jobs)); then
    finish_target "${targets[finished]}" "${pids[finished]}"
    finished=$((finished + 1))
  fi
  echo "fuzz: ${targets[i]} for ${seconds}s"
  fuzz_target "${targets[i]}" &
  pids[i]=$!
done
for ((; finished < ${#targets[@]}; ++finished)); do
  finish_target "${targets[finished]}" "${pids[finished]}"
done

echo "fuzz: all targets ran ${seconds}s each without a finding"
for target in "${targets[@]}"; do
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' \
    "$artifacts/$target.log" | tail -1)
  printf '  %-24s %10s executions  crashes: 0\n' "$target" "${executions:-?}"
done
