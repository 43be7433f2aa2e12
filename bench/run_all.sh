#!/usr/bin/env bash
# The full benchmark run (not part of CI; takes about half an hour on 2
# cores). Writes every result with the machine's description and load into
# OUT_DIR, one Markdown file per part, as BENCHMARKS.md reports them.
#
#   bench/run_all.sh BUILD_DIR [OUT_DIR] [PART...]
# PARTs (default all): grpc h2load echo startup store
# BUILD_DIR must be configured with -DFACTGRAPH_BENCH=ON and built:
#   ninja -C BUILD_DIR factgraphd factgraph_loadgen factgraph_store_bench \
#     factgraph_synth factgraph_cq_echo_server
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench/run_all.sh BUILD_DIR [OUT_DIR]}" && pwd)
out=${2:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
shift $(($# < 2 ? $# : 2))
parts=${*:-grpc h2load echo startup store}
wanted() { [[ " $parts " == *" $1 "* ]]; }
mkdir -p "$out"
data=$(mktemp -d /tmp/factgraph_bench_data.XXXXXX)
trap 'rm -rf "$data"' EXIT

# part FILE COMMAND...: runs one part, shows and saves its output; a part that
# fails (e.g. a non-OK status) is recorded in its file and the run goes on.
part() {
  local file=$1
  shift
  local status=0
  "$@" >"$out/$file" 2>&1 || status=$?
  [ "$status" -eq 0 ] || echo "(exit status $status)" >>"$out/$file"
  cat "$out/$file"
  failed=$((failed + (status != 0)))
}
failed=0

loadgen=$build/bench/loadgen/factgraph_loadgen
factgraphd=$build/service/server/factgraphd

machine() {
  echo "- $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores: $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)"
  echo "- $(free -g | awk '/^Mem:/ {print $2 " GiB memory"}'), $(uname -sr)"
  echo "- uptime: $(uptime)"
}

echo "== machine"
machine | tee "$out/machine.md"

if wanted grpc; then
  echo "== gRPC: echo baseline and query mix, real seeds"
  part loadgen_seeds.md "$loadgen" --repetitions=3
  echo "== gRPC: echo baseline and query mix, synthetic 100,000 entities"
  part loadgen_synthetic_100k.md "$loadgen" --repetitions=3 \
    --synthetic_entities=100000
fi

if wanted h2load; then
  echo "== h2load cross-check, real seeds"
  part h2load.md bash "$root/bench/h2load/h2load_check.sh" \
    --factgraphd="$factgraphd"
fi

echo "== callback (factgraphd) vs completion-queue echo server"
echo_apis() {
  echo "### factgraphd --enable_echo (callback API)"
  "$loadgen" --echo_only --repetitions=3 --open_loop_fraction=0
  echo
  echo "### factgraph_cq_echo_server --threads=2 (completion-queue API)"
  "$build/bench/cq_echo/factgraph_cq_echo_server" --port_file="$data/cq_port" \
    --threads=2 &
  local cq_pid=$!
  for _ in $(seq 100); do [ -f "$data/cq_port" ] && break; sleep 0.1; done
  local status=0
  "$loadgen" --echo_only --repetitions=3 --open_loop_fraction=0 \
    --target="127.0.0.1:$(cat "$data/cq_port")" --target_pid="$cq_pid" || status=$?
  kill -TERM "$cq_pid"
  wait "$cq_pid" || true
  return "$status"
}
if wanted echo; then part echo_api.md echo_apis; fi

startup() {
  "$build/bench/synthetic/factgraph_synth" --entities=1000000 \
    --seeds_dir="$data/seeds_1m"
  "$build/bench/synthetic/factgraph_synth" --entities=1000000 \
    --snapshot="$data/kb_1m.snapshot"
  echo "- compiled snapshot of 1M entities: $(du -h "$data/kb_1m.snapshot" | cut -f1)"
  for run in 1 2 3; do
    "$loadgen" --startup_only | grep '^Server:'
  done
  for run in 1 2 3; do
    "$loadgen" --startup_only --snapshot="$data/kb_1m.snapshot" | grep '^Server:'
  done
  for run in 1 2 3; do
    "$loadgen" --startup_only --seeds="$data/seeds_1m" | grep '^Server:'
  done
  echo "- text seeds of 1M entities: $(du -sh "$data/seeds_1m" | cut -f1)"
}
if wanted startup; then
  echo "== load time and memory"
  part startup.md startup
fi

if wanted store; then
  echo "== store vs SQLite (10k, 100k, 1M entities)"
  # The warm-up puts one-time work per snapshot (the first page of an
  # order_by sorts the collection once; BENCHMARKS.md reports that apart) out
  # of the timed iterations.
  part store_console.txt "$build/bench/store/factgraph_store_bench" \
    --benchmark_min_warmup_time=0.5 \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_out="$out/store.json" --benchmark_out_format=json
  part store.md python3 "$root/bench/store/ratios.py" "$out/store.json"
fi

echo "== machine at the end"
machine | tee -a "$out/machine.md"
echo "results in $out; parts that failed: $failed"
[ "$failed" -eq 0 ]
