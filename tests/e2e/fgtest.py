"""Shared helpers of the end-to-end tests: generated stubs and real servers.

The stubs are generated at test time from proto/ with Debian's
python3-grpc-tools (never committed). grpc.health.v1 is generated under the
module name `grpc_health_v1` because the name `grpc` belongs to grpcio.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get(
    "FACTGRAPH_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
FACTGRAPHD = os.environ.get("FACTGRAPHD", "")
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "support"))

import factgraphd_process  # noqa: E402


def _generate_stubs():
    out = tempfile.mkdtemp(prefix="factgraph-py-")
    health_dir = os.path.join(out, "protos", "grpc_health_v1")
    os.makedirs(health_dir)
    shutil.copy("/usr/share/grpc-proto/grpc/health/v1/health.proto", health_dir)
    protos = [os.path.relpath(os.path.join(root, name), os.path.join(SOURCE_DIR, "proto"))
              for root, _, names in os.walk(os.path.join(SOURCE_DIR, "proto"))
              for name in names if name.endswith(".proto")]
    google_dir = os.path.join(SOURCE_DIR, "tools", "node_modules", "google-proto-files")
    for include, files in ((os.path.join(SOURCE_DIR, "proto"), protos),
                           (os.path.join(out, "protos"), ["grpc_health_v1/health.proto"])):
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", include,
                        "-I", google_dir,
                        "--python_out=" + out, "--grpc_python_out=" + out] + files,
                       check=True, cwd=include)
    # The annotations and error details the API imports (Debian's protoc: the
    # one of grpc_tools is too old for their proto3 `optional`).
    subprocess.run(["protoc", "-I", google_dir, "--python_out=" + out,
                    "google/api/annotations.proto", "google/api/http.proto",
                    "google/api/field_behavior.proto", "google/api/resource.proto",
                    "google/rpc/status.proto", "google/rpc/error_details.proto"],
                   check=True, cwd=google_dir)
    for package in ("factgraph", "factgraph/v1", "factgraph/bench", "factgraph/bench/v1",
                    "grpc_health_v1"):
        open(os.path.join(out, package, "__init__.py"), "a").close()
    sys.path.insert(0, out)
    return out


STUBS_DIR = _generate_stubs()

import grpc  # noqa: E402
from factgraph.v1 import admin_service_pb2, admin_service_pb2_grpc  # noqa: E402,F401
from factgraph.v1 import factgraph_service_pb2, factgraph_service_pb2_grpc  # noqa: E402,F401
from grpc_health_v1 import health_pb2, health_pb2_grpc  # noqa: E402,F401


class Server(factgraphd_process.Factgraphd):
    """A real factgraphd on 127.0.0.1 with a port picked by the kernel, on
    the real seeds unless `seeds` says otherwise."""

    def __init__(self, *args, seeds=None, admin_token=None, env=None):
        super().__init__(*args, seeds=seeds or os.path.join(SOURCE_DIR, "seeds"),
                         admin_token=admin_token, env=env)
        self.admin_token = admin_token

    def stderr(self):
        return self.log()

    def channel(self):
        return grpc.insecure_channel(self.target)


@contextlib.contextmanager
def running_server(*args, **kwargs):
    server = Server(*args, **kwargs)
    try:
        yield server
    finally:
        server.stop()


def copy_seeds():
    """A private copy of the real seeds that a test may break."""
    target = tempfile.mkdtemp(prefix="factgraph-seeds-")
    shutil.copytree(os.path.join(SOURCE_DIR, "seeds"), os.path.join(target, "seeds"))
    return os.path.join(target, "seeds")
