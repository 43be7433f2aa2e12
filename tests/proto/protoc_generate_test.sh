#!/usr/bin/env bash
# protoc must generate C++, Python and JavaScript from the schema with no
# output at all: any warning is a failure.
set -euo pipefail
root=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/cpp" "$out/py" "$out/js"
es_plugin=$root/tools/node_modules/.bin/protoc-gen-es
[ -x "$es_plugin" ] || { echo "protoc-gen-es missing: run scripts/setup.sh" >&2; exit 1; }
log=$(protoc -I "$root/proto" -I "$root/tools/node_modules/google-proto-files" \
  --cpp_out="$out/cpp" --python_out="$out/py" \
  --plugin=protoc-gen-es="$es_plugin" --es_out=target=js+dts:"$out/js" \
  "$root"/proto/factgraph/v1/*.proto 2>&1)
if [ -n "$log" ]; then
  echo "protoc printed:" >&2
  echo "$log" >&2
  exit 1
fi
for f in factgraph_service.pb.cc; do test -s "$out/cpp/factgraph/v1/$f"; done
test -s "$out/py/factgraph/v1/factgraph_service_pb2.py"
test -s "$out/js/factgraph/v1/factgraph_service_pb.js"
echo "generated $(find "$out" -type f | wc -l) files, no warnings"
