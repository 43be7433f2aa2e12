#!/usr/bin/env bash
# Server instructions per call, counted by callgrind (deterministic, so two
# builds can be compared on a busy machine): factgraphd on the real seeds
# under valgrind, then N echo calls, N GetInstitution calls and N
# BatchGetInstitutions calls of 10 names from h2load, each phase dumped to
# its own callgrind file; the totals divided by N are the figures of
# BENCHMARKS.md, finding 8.
#
#   bench/h2load/server_instructions.sh FACTGRAPHD OUTDIR [N]
set -euo pipefail
bin=$1; out=$2; n=${3:-2000}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"; rm -f "$out"/*
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$bin" --listen=127.0.0.1:0 --port_file="$out/port" --enable_echo --seeds=$root/seeds 2>"$out/vg.log" &
pid=$!
for _ in $(seq 1 600); do [ -f "$out/port" ] && break; sleep 0.2; done
url="http://127.0.0.1:$(cat $out/port)"
protos=(-I "$root/proto" -I /usr/share/grpc-proto "$root/proto/factgraph/v1/factgraph_service.proto" "$root/proto/factgraph/bench/v1/echo_service.proto")
frame() {
  printf '%s' "$2" | protoc --encode="$1" "${protos[@]}" >"$out/message"
  python3 -c '
import struct, sys
body = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"\0" + struct.pack(">I", len(body)) + body)
' "$out/message" "$3"
}
names=$(grep -rhoE 'name: "institutions/[^"]+"' $root/seeds | sort -u | head -10 | sed 's/^name: //')
first=$(echo "$names" | head -1)
frame factgraph.bench.v1.EchoRequest '' "$out/echo.bin"
frame factgraph.v1.GetInstitutionRequest "name: $first" "$out/get.bin"
frame factgraph.v1.BatchGetInstitutionsRequest "$(echo "$names" | sed 's/^/names: /' | tr '\n' ' ')" "$out/batch.bin"
h=(-H "content-type: application/grpc" -H "te: trailers" -c 4 -m 8 -t 1)
h2load "${h[@]}" -n 200 -d "$out/get.bin" "$url/factgraph.v1.FactGraphService/GetInstitution" >/dev/null
for name in get batch; do
  nghttp -v -H "content-type: application/grpc" -H "te: trailers" -d "$out/$name.bin" "$url/factgraph.v1.FactGraphService/$([ $name = get ] && echo GetInstitution || echo BatchGetInstitutions)" 2>&1 | grep -aE "grpc-status|grpc-message|recv DATA frame" | head -3
done
callgrind_control -z $pid >/dev/null
for phase in echo:factgraph.bench.v1.EchoService/Echo get:factgraph.v1.FactGraphService/GetInstitution batch:factgraph.v1.FactGraphService/BatchGetInstitutions; do
  name=${phase%%:*}; method=${phase#*:}
  h2load "${h[@]}" -n $n -d "$out/$name.bin" "$url/$method" | grep -E "requests:|status codes" 
  callgrind_control -d $name $pid >/dev/null
done
kill $pid; wait $pid || true
for f in "$out"/cg.out.*; do
  echo "$f $(grep -h '^summary:\|^totals:' $f | head -1)"
done
