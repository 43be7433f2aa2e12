"""The clients as installable packages, each used from outside the checkout
against the real factgraphd:
- `pip install client/python` into a fresh venv: the stubs come with the
  package (generated at build time), no temporary directory is left behind;
- `npm pack` of client/node installed into a fresh project;
- `cmake --install` of the build, then an external CMake project that links
  the C++ stubs with find_package(factgraph).

Environment as the other client tests, plus FACTGRAPH_BUILD_DIR (the CMake
build to install).
"""

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from factgraphd_process import SOURCE_DIR, Factgraphd

BUILD_DIR = os.environ.get("FACTGRAPH_BUILD_DIR", "")


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                            check=False, **kwargs)
    if result.returncode != 0:
        raise AssertionError("%s exited with %d:\n%s\n%s" % (
            " ".join(command), result.returncode, result.stdout, result.stderr))
    return result.stdout


def clean_env():
    """The environment without what would make the checkout's client
    importable: the package must bring everything itself."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "FACTGRAPH_PYTHON_STUBS", "FACTGRAPH_PROTO_DIR", "NODE_PATH"):
        env.pop(name, None)
    return env


class ClientPackagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Factgraphd()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="factgraph-packages-")

    def tearDown(self):
        shutil.rmtree(self.work)

    def source_copy(self):
        """What packaging reads of the checkout, copied, so that the builds
        (pip builds in the source tree, npm pack copies the .proto files into
        the package) write nothing into the checkout."""
        src = os.path.join(self.work, "src")
        ignore = shutil.ignore_patterns("node_modules", "build", "*.egg-info", "__pycache__")
        for part in ("proto", os.path.join("client", "python"), os.path.join("client", "node")):
            shutil.copytree(os.path.join(SOURCE_DIR, part), os.path.join(src, part),
                            ignore=ignore)
        shutil.copy(os.path.join(SOURCE_DIR, "client", "service_config.json"),
                    os.path.join(src, "client"))
        os.makedirs(os.path.join(src, "tools", "node_modules"))
        os.symlink(os.path.join(SOURCE_DIR, "tools", "node_modules", "google-proto-files"),
                   os.path.join(src, "tools", "node_modules", "google-proto-files"))
        return src

    def assertClientAnswered(self, out, installed_under):
        """What the scripts below print: the installed client found KAIST,
        described a missing name with its error details, and uses the
        recommended service config."""
        self.assertTrue(out["module"].startswith(installed_under), out["module"])
        self.assertEqual(out["name"], "institutions/kaist")
        self.assertEqual(out["display_name"], "KAIST")
        self.assertEqual(out["error"],
                         "NOT_FOUND: institutions/no-such-place not found "
                         "[reason=RESOURCE_NOT_FOUND resource=factgraph.dev/Institution "
                         "institutions/no-such-place]")
        self.assertEqual(out["config"]["loadBalancingConfig"], [{"round_robin": {}}])

    def test_pip_install_into_a_venv(self):
        venv = os.path.join(self.work, "venv")
        # Debian's grpcio and protobuf satisfy the dependencies offline.
        run([sys.executable, "-m", "venv", "--system-site-packages", venv])
        python = os.path.join(venv, "bin", "python")
        run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation",
             os.path.join(self.source_copy(), "client", "python")], env=clean_env())
        tmp = os.path.join(self.work, "tmp")
        os.mkdir(tmp)
        env = clean_env()
        env["TMPDIR"] = tmp
        script = """
import json, grpc, factgraph_client
from factgraph_client import FactGraphClient, error_details, describe_error
with FactGraphClient(%r) as client:
    kaist = client.get("institutions/kaist")
    try:
        client.get("institutions/no-such-place")
        error = None
    except grpc.RpcError as e:
        error = describe_error(e)
    print(json.dumps({"module": factgraph_client.__file__, "name": kaist.name,
                      "display_name": kaist.display_name, "error": error,
                      "config": json.loads(factgraph_client.SERVICE_CONFIG)}))
""" % self.server.target
        out = json.loads(run([python, "-c", script], env=env, cwd=self.work))
        self.assertClientAnswered(out, installed_under=venv)
        # Importing generated nothing at run time.
        self.assertEqual(os.listdir(tmp), [])

    def test_npm_pack_installs_and_runs(self):
        node_dir = os.path.join(self.source_copy(), "client", "node")
        packed = run(["npm", "pack", "--json", "--pack-destination", self.work, node_dir],
                     cwd=self.work)
        tarball = os.path.join(self.work, json.loads(packed)[0]["filename"])
        app = os.path.join(self.work, "app")
        os.mkdir(app)
        with open(os.path.join(app, "package.json"), "w") as f:
            json.dump({"name": "app", "version": "1.0.0", "private": True}, f)
        # The dependencies come from npm's cache, filled by scripts/setup.sh.
        run(["npm", "install", "--prefer-offline", "--no-audit", "--no-fund",
             "--loglevel=error", tarball], cwd=app, env=clean_env())
        script = """
const { FactGraphClient, describeError, SERVICE_CONFIG } = require('factgraph-client');
(async () => {
  const client = new FactGraphClient(%s);
  const kaist = await client.get('institutions/kaist');
  let error = null;
  try { await client.get('institutions/no-such-place'); } catch (e) { error = describeError(e); }
  client.close();
  console.log(JSON.stringify({ module: require.resolve('factgraph-client'), name: kaist.name,
    display_name: kaist.display_name, error, config: JSON.parse(SERVICE_CONFIG) }));
})().catch((e) => { console.error(e); process.exit(1); });
""" % json.dumps(self.server.target)
        out = json.loads(run(["node", "-e", script], cwd=app, env=clean_env()))
        self.assertClientAnswered(out, installed_under=os.path.join(app, "node_modules"))

    @unittest.skipUnless(BUILD_DIR, "FACTGRAPH_BUILD_DIR is not set")
    def test_cmake_install_and_find_package(self):
        prefix = os.path.join(self.work, "prefix")
        run(["cmake", "--install", BUILD_DIR, "--prefix", prefix])
        self.assertTrue(glob.glob(os.path.join(prefix, "lib*", "cmake", "factgraph",
                                               "factgraphConfig.cmake")))
        self.assertTrue(os.path.exists(os.path.join(prefix, "bin", "factgraphd")))
        external = os.path.join(self.work, "external")
        run(["cmake", "-S", os.path.join(SOURCE_DIR, "tests", "client", "cmake_package"),
             "-B", external, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix])
        run(["cmake", "--build", external])
        out = run([os.path.join(external, "get_institution"), self.server.target,
                   "institutions/kaist"])
        self.assertEqual(out, "institutions/kaist: KAIST\n")


if __name__ == "__main__":
    unittest.main()
