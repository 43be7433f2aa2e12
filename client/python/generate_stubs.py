"""Generates the Python gRPC stubs of factgraph's API from proto/.

Run at build time (CMake target factgraph_python_stubs) or on first import of
factgraph_client when no generated stubs are given. Needs Debian's
python3-grpc-tools; use /usr/bin/python3.

    /usr/bin/python3 client/python/generate_stubs.py OUT_DIR
"""

import os
import subprocess
import sys

PROTO_DIR = os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "proto"))


def generate(out_dir, proto_dir=PROTO_DIR):
    """Writes factgraph/v1/*_pb2.py and *_pb2_grpc.py under out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    protos = sorted(
        os.path.relpath(os.path.join(root, name), proto_dir)
        for root, _, names in os.walk(os.path.join(proto_dir, "factgraph", "v1"))
        for name in names if name.endswith(".proto"))
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", "-I", proto_dir,
         "--python_out=" + out_dir, "--grpc_python_out=" + out_dir] + protos,
        check=True, cwd=proto_dir)
    return out_dir


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: generate_stubs.py OUT_DIR")
    generate(sys.argv[1])
