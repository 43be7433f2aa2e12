#!/usr/bin/env bash
# Cross-checks the load generator with an independent HTTP/2 client: h2load
# (Debian's nghttp2-client) sends gRPC calls as raw HTTP/2 POSTs whose body is
# the length-prefixed protobuf request built by `protoc --encode`. h2load
# cannot see gRPC trailers, so each request body is first sent once with
# `nghttp`, and its answer's grpc-status must be 0 (and the reply non-empty).
#
#   bench/h2load/h2load_check.sh --factgraphd=PATH [--seeds=DIR |
#       --snapshot=FILE] [--quick] [--requests=N] [--clients=C]
#       [--streams=M]
#
# Prints a Markdown table; exits 1 when any grpc-status is not 0 or h2load
# reports a failed request.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
factgraphd=""
source_flag="--seeds=$root/seeds"
requests=100000
clients=4
streams=32
for arg in "$@"; do
  case "$arg" in
    --factgraphd=*) factgraphd=${arg#*=} ;;
    --seeds=* | --snapshot=*) source_flag=$arg ;;
    --quick) requests=2000 ;;
    --requests=*) requests=${arg#*=} ;;
    --clients=*) clients=${arg#*=} ;;
    --streams=*) streams=${arg#*=} ;;
    *) echo "h2load_check: unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ -z "$factgraphd" ] || [ ! -x "$factgraphd" ]; then
  echo "h2load_check: give --factgraphd=PATH to a built factgraphd" >&2
  exit 2
fi
for tool in h2load nghttp protoc python3; do
  command -v "$tool" >/dev/null || {
    echo "h2load_check: $tool is missing (scripts/setup.sh installs it)" >&2
    exit 2
  }
done

work=$(mktemp -d /tmp/factgraph_h2load.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$factgraphd" --listen=127.0.0.1:0 --port_file="$work/port" --enable_echo \
  "$source_flag" 2>"$work/factgraphd.log" &
server_pid=$!
for _ in $(seq 1 3000); do
  [ -f "$work/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || {
    cat "$work/factgraphd.log" >&2
    echo "h2load_check: factgraphd exited before serving" >&2
    exit 2
  }
  sleep 0.1
done
[ -f "$work/port" ] || { echo "h2load_check: factgraphd did not serve" >&2; exit 2; }
url="http://127.0.0.1:$(cat "$work/port")"

# shellcheck source=bench/h2load/grpc_frames.sh
source "$root/bench/h2load/grpc_frames.sh"

# call METHOD FRAME: one call with nghttp; the response body goes to
# $work/reply.bin, the frames log (with the trailers) to $work/nghttp.log.
call() {
  nghttp -v "${grpc_headers[@]}" -d "$2" "$url/$1" >"$work/nghttp.log" 2>&1 || true
  nghttp "${grpc_headers[@]}" -d "$2" "$url/$1" >"$work/reply.bin" 2>/dev/null || true
}

grpc_status() {
  sed -n 's/.*recv.*grpc-status: \([0-9]*\).*/\1/p' "$work/nghttp.log" | head -1
}

# decode TYPE: the reply (after its 5-byte frame header) as text format.
decode() {
  tail -c +6 "$work/reply.bin" | protoc --decode="$1" "${protos[@]}"
}

# Names to ask for, found through the API itself.
frame factgraph.v1.ListInstitutionsRequest 'page_size: 1' "$work/list.bin"
call factgraph.v1.FactGraphService/ListInstitutions "$work/list.bin"
institution=$(decode factgraph.v1.ListInstitutionsResponse |
  sed -n 's/^  name: "\(.*\)"$/\1/p' | head -1)
frame factgraph.v1.ListAgreementsRequest 'page_size: 1' "$work/list.bin"
call factgraph.v1.FactGraphService/ListAgreements "$work/list.bin"
party=$(decode factgraph.v1.ListAgreementsResponse |
  sed -n '/^  parties {/,/}/s/^    name: "\(.*\)"$/\1/p' | head -1)
if [ -z "$institution" ] || [ -z "$party" ]; then
  echo "h2load_check: found no institution or agreement party to ask for" >&2
  exit 2
fi
word=$(decode factgraph.v1.ListInstitutionsResponse |
  sed -n 's/^  display_name: "\([^ "]*\).*"$/\1/p' | head -1)

cases=(
  "Echo (baseline)|factgraph.bench.v1.EchoService/Echo|factgraph.bench.v1.EchoRequest|"
  "GetInstitution|factgraph.v1.FactGraphService/GetInstitution|factgraph.v1.GetInstitutionRequest|name: \"$institution\""
  "ListAgreements filter=parties|factgraph.v1.FactGraphService/ListAgreements|factgraph.v1.ListAgreementsRequest|filter: 'parties = \"$party\"' page_size: 10"
  "SearchEntities page_size=10|factgraph.v1.FactGraphService/SearchEntities|factgraph.v1.SearchEntitiesRequest|query: \"$word\" page_size: 10"
)

echo "h2load: $requests requests per method, $clients clients, $streams streams each; $source_flag"
echo
echo "| method | request | grpc-status (nghttp) | reply bytes | h2load req/s | x echo | 2xx | failed |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
failures=0
echo_rate=""
for case in "${cases[@]}"; do
  IFS='|' read -r label method type text <<<"$case"
  frame "$type" "$text" "$work/body.bin"
  call "$method" "$work/body.bin"
  status=$(grpc_status)
  reply_bytes=$(stat -c %s "$work/reply.bin")
  if [ "$status" != "0" ]; then
    failures=$((failures + 1))
    echo "h2load_check: $label answered grpc-status '${status:-none}':" >&2
    cat "$work/nghttp.log" >&2
  fi
  h2load -n "$requests" -c "$clients" -m "$streams" -t 1 -d "$work/body.bin" \
    "${grpc_headers[@]}" "$url/$method" >"$work/h2load.log" 2>&1 || true
  rate=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$work/h2load.log")
  read -r succeeded failed < <(sed -n \
    's/^requests: .* \([0-9]*\) succeeded, \([0-9]*\) failed.*/\1 \2/p' "$work/h2load.log")
  two_xx=$(sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' "$work/h2load.log")
  if [ -z "$rate" ] || [ "${failed:-1}" != "0" ] || [ "${two_xx:-0}" != "$requests" ]; then
    failures=$((failures + 1))
    echo "h2load_check: h2load run of $label did not fully succeed:" >&2
    cat "$work/h2load.log" >&2
  fi
  [ -n "$echo_rate" ] || echo_rate=$rate
  ratio=$(python3 -c "print(f'{float(\"${rate:-0}\") / float(\"${echo_rate:-1}\" or 1):.2f}')")
  echo "| $label | \`${text:-(empty)}\` | ${status:-none} | $reply_bytes | ${rate:-?} | $ratio | ${two_xx:-?} | ${failed:-?} |"
  : "$succeeded"
done
echo
echo "Non-OK or failed: $failures."
[ "$failures" -eq 0 ]
