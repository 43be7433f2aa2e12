"""Builds the factgraph-client package: generates the gRPC stubs from proto/
into the package (factgraph_client/_stubs) and copies the recommended
service config, so that an installed client needs neither the checkout nor a
temporary directory. Needs grpcio-tools and protoc (Debian:
python3-grpc-tools, protobuf-compiler); see pyproject.toml.

    python3 -m venv --system-site-packages /tmp/venv
    /tmp/venv/bin/pip install --no-build-isolation client/python
"""

import os
import shutil
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate_stubs  # noqa: E402


class BuildWithStubs(build_py):
    def run(self):
        super().run()
        package_dir = os.path.join(self.build_lib, "factgraph_client")
        generate_stubs.generate(os.path.join(package_dir, "_stubs"))
        shutil.copy(os.path.join(HERE, "..", "service_config.json"),
                    os.path.join(package_dir, "service_config.json"))


setup(cmdclass={"build_py": BuildWithStubs})
