#!/usr/bin/env bash
# Server instructions per call, counted by callgrind (deterministic, so two
# builds can be compared on a busy machine): factgraphd on the real seeds
# under valgrind, then N echo calls, N GetInstitution calls and N
# BatchGetInstitutions calls of 10 names from h2load, each phase dumped to
# its own callgrind file, then N SearchEntities calls of page size 10 (the
# query $SEARCH_QUERY, "cancer center" unless set); the totals divided by N
# are the server's
# instructions per call (BENCHMARKS.md, "Reproduce").
#
#   bench/h2load/server_instructions.sh FACTGRAPHD OUTDIR [N]
#
# FACTGRAPHD_FLAGS adds server flags, e.g. "--monitoring_listen=127.0.0.1:0"
# to count what the metrics cost per call. CALLGRIND_FLAGS adds valgrind
# flags, e.g. "--cache-sim=yes" to count each phase's simulated cache misses
# (docs/search.md "Served and in-process").
set -euo pipefail
bin=$1; out=$2; n=${3:-2000}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"; rm -f "$out"/*
valgrind --tool=callgrind ${CALLGRIND_FLAGS:-} --callgrind-out-file="$out/cg.out" "$bin" --listen=127.0.0.1:0 --port_file="$out/port" --enable_echo --seeds=$root/seeds ${FACTGRAPHD_FLAGS:-} 2>"$out/vg.log" &
pid=$!
for _ in $(seq 1 600); do [ -f "$out/port" ] && break; sleep 0.2; done
url="http://127.0.0.1:$(cat $out/port)"
work=$out
# shellcheck source=bench/h2load/grpc_frames.sh
source "$root/bench/h2load/grpc_frames.sh"
names=$(grep -rhoE 'name: "institutions/[^"]+"' $root/seeds | sort -u | head -10 | sed 's/^name: //')
first=$(echo "$names" | head -1)
frame factgraph.bench.v1.EchoRequest '' "$out/echo.bin"
frame factgraph.v1.GetInstitutionRequest "name: $first" "$out/get.bin"
frame factgraph.v1.BatchGetInstitutionsRequest "$(echo "$names" | sed 's/^/names: /' | tr '\n' ' ')" "$out/batch.bin"
frame factgraph.v1.SearchEntitiesRequest "query: \"${SEARCH_QUERY:-cancer center}\" page_size: 10" "$out/search.bin"
h=("${grpc_headers[@]}" -c 4 -m 8 -t 1)
h2load "${h[@]}" -n 200 -d "$out/get.bin" "$url/factgraph.v1.FactGraphService/GetInstitution" >/dev/null
for name in get batch; do
  nghttp -v "${grpc_headers[@]}" -d "$out/$name.bin" "$url/factgraph.v1.FactGraphService/$([ $name = get ] && echo GetInstitution || echo BatchGetInstitutions)" 2>&1 | grep -aE "grpc-status|grpc-message|recv DATA frame" | head -3
done
callgrind_control -z $pid >/dev/null
for phase in echo:factgraph.bench.v1.EchoService/Echo get:factgraph.v1.FactGraphService/GetInstitution batch:factgraph.v1.FactGraphService/BatchGetInstitutions search:factgraph.v1.FactGraphService/SearchEntities; do
  name=${phase%%:*}; method=${phase#*:}
  h2load "${h[@]}" -n $n -d "$out/$name.bin" "$url/$method" | grep -E "requests:|status codes" 
  callgrind_control -d $name $pid >/dev/null
done
kill $pid; wait $pid || true
for f in "$out"/cg.out.*; do
  echo "$f $(grep -h '^summary:\|^totals:' $f | head -1)"
done
