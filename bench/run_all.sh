#!/usr/bin/env bash
# The full benchmark run (not part of CI; takes about half an hour on 2
# cores). Writes every result with the machine's description and load into
# OUT_DIR, one Markdown file per part, as BENCHMARKS.md reports them.
#
#   bench/run_all.sh BUILD_DIR [OUT_DIR]
# BUILD_DIR must be configured with -DFACTGRAPH_BENCH=ON and built:
#   ninja -C BUILD_DIR factgraphd factgraph_loadgen factgraph_store_bench \
#     factgraph_synth factgraph_cq_echo_server
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench/run_all.sh BUILD_DIR [OUT_DIR]}" && pwd)
out=${2:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
data=$(mktemp -d /tmp/factgraph_bench_data.XXXXXX)
trap 'rm -rf "$data"' EXIT

loadgen=$build/bench/loadgen/factgraph_loadgen
factgraphd=$build/service/server/factgraphd

machine() {
  echo "- $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores: $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)"
  echo "- $(free -g | awk '/^Mem:/ {print $2 " GiB memory"}'), $(uname -sr)"
  echo "- uptime: $(uptime)"
}

echo "== machine"
machine | tee "$out/machine.md"

echo "== gRPC: echo baseline and query mix, real seeds"
"$loadgen" --repetitions=3 | tee "$out/loadgen_seeds.md"
echo "== gRPC: echo baseline and query mix, synthetic 100,000 entities"
"$loadgen" --repetitions=3 --synthetic_entities=100000 |
  tee "$out/loadgen_synthetic_100k.md"

echo "== h2load cross-check, real seeds"
bash "$root/bench/h2load/h2load_check.sh" --factgraphd="$factgraphd" |
  tee "$out/h2load.md"

echo "== callback (factgraphd) vs completion-queue echo server"
{
  echo "### factgraphd --enable_echo (callback API)"
  "$loadgen" --echo_only --repetitions=3 --open_loop_fraction=0
  echo
  echo "### factgraph_cq_echo_server --threads=2 (completion-queue API)"
  "$build/bench/cq_echo/factgraph_cq_echo_server" --port_file="$data/cq_port" \
    --threads=2 &
  cq_pid=$!
  for _ in $(seq 100); do [ -f "$data/cq_port" ] && break; sleep 0.1; done
  "$loadgen" --echo_only --repetitions=3 --open_loop_fraction=0 \
    --target="127.0.0.1:$(cat "$data/cq_port")"
  kill -TERM "$cq_pid"
  wait "$cq_pid" || true
} | tee "$out/echo_api.md"

echo "== load time and memory"
"$build/bench/synthetic/factgraph_synth" --entities=1000000 \
  --seeds_dir="$data/seeds_1m"
"$build/bench/synthetic/factgraph_synth" --entities=1000000 \
  --snapshot="$data/kb_1m.snapshot"
{
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
} | tee "$out/startup.md"

echo "== store vs SQLite (10k, 100k, 1M entities)"
"$build/bench/store/factgraph_store_bench" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/store.json" --benchmark_out_format=json
python3 "$root/bench/store/ratios.py" "$out/store.json" | tee "$out/store.md"

echo "== machine at the end"
machine | tee -a "$out/machine.md"
echo "results in $out"
