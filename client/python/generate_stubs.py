"""Generates the Python gRPC stubs of factgraph's API from proto/.

Run at build time only: by the CMake target factgraph_python_stubs, and by
setup.py when pip installs client/python. Needs Debian's python3-grpc-tools
and protoc; use /usr/bin/python3.

    /usr/bin/python3 client/python/generate_stubs.py OUT_DIR
"""

import os
import subprocess
import sys

_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PROTO_DIR = os.path.abspath(os.path.join(_ROOT, "proto"))
# google/api and google/rpc, from the npm package google-proto-files that
# scripts/setup.sh installs under tools/.
GOOGLE_PROTO_DIR = os.path.abspath(
    os.path.join(_ROOT, "tools", "node_modules", "google-proto-files"))
GOOGLE_PROTOS = ["google/api/annotations.proto", "google/api/http.proto",
                 "google/api/field_behavior.proto", "google/api/resource.proto",
                 "google/rpc/status.proto", "google/rpc/error_details.proto"]


def generate(out_dir, proto_dir=PROTO_DIR, google_proto_dir=GOOGLE_PROTO_DIR):
    """Writes factgraph/v1/*_pb2.py and *_pb2_grpc.py, and the google/api and
    google/rpc modules they use, under out_dir."""
    out_dir = os.path.abspath(out_dir)  # protoc runs in the proto directory.
    os.makedirs(out_dir, exist_ok=True)
    protos = sorted(
        os.path.relpath(os.path.join(root, name), proto_dir)
        for root, _, names in os.walk(os.path.join(proto_dir, "factgraph", "v1"))
        for name in names if name.endswith(".proto"))
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", "-I", proto_dir,
         "-I", google_proto_dir,
         "--python_out=" + out_dir, "--grpc_python_out=" + out_dir] + protos,
        check=True, cwd=proto_dir)
    subprocess.run(
        # Debian's protoc (protobuf-compiler): the older one bundled with
        # python3-grpc-tools refuses the proto3 `optional` of error_details.
        ["protoc", "-I", google_proto_dir,
         "--python_out=" + out_dir] + GOOGLE_PROTOS,
        check=True, cwd=google_proto_dir)
    return out_dir


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: generate_stubs.py OUT_DIR")
    generate(sys.argv[1])
