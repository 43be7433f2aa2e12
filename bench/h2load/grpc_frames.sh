# Sourced by the scripts of bench/h2load: what a raw HTTP/2 client (h2load,
# nghttp) needs to call factgraphd. The caller sets $root (the checkout) and
# $work (a scratch directory).

protos=(-I "$root/proto" -I /usr/share/grpc-proto
  -I "$root/tools/node_modules/google-proto-files"
  "$root/proto/factgraph/v1/factgraph_service.proto"
  "$root/proto/factgraph/bench/v1/echo_service.proto")
grpc_headers=(-H "content-type: application/grpc" -H "te: trailers")

# frame TYPE TEXT OUT: the gRPC message frame (flag byte, 4-byte big-endian
# length, protobuf) of the text-format request TEXT.
frame() {
  printf '%s' "$2" | protoc --encode="$1" "${protos[@]}" >"$work/message"
  python3 -c '
import struct, sys
body = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"\0" + struct.pack(">I", len(body)) + body)
' "$work/message" "$3"
}
