"""Helpers of the Python hardening tests: the knowledge base with every kind
of error, the server's resident memory, and test certificates."""

import os
import shutil
import subprocess
import tempfile

import fgtest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "testdata")
BROKEN_KNOWLEDGE_BASES = ("every_error", "parse_errors")


def expected_load_errors(broken):
    """Every line the loader reports for a broken knowledge base."""
    with open(os.path.join(TESTDATA, broken, "expected_errors.txt")) as f:
        return [line for line in f.read().split("\n") if line]


def broken_seeds(broken):
    """A copy of the real seeds broken as bad_knowledge_base_test.cc breaks it."""
    seeds = fgtest.copy_seeds()
    kb_dir = os.path.join(TESTDATA, broken, "kb")
    for name in os.listdir(kb_dir):
        shutil.copy(os.path.join(kb_dir, name), os.path.join(seeds, "kb", name))
    if broken != "every_error":
        return seeds
    manifest_path = os.path.join(seeds, "documents.textproto")
    with open(manifest_path) as f:
        manifest = f.read()
    for old, new in (("size_bytes: 3168", "size_bytes: 3169"),
                     ('sha256: "7a69', 'sha256: "0000')):
        assert old in manifest, old
        manifest = manifest.replace(old, new, 1)
    with open(manifest_path, "w") as f:
        f.write(manifest)
    return seeds


def resident_kib(pid):
    """VmRSS of a process, in KiB, from /proc/<pid>/status."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


class Certificates:
    """A CA, a server certificate for 127.0.0.1 and localhost, a client
    certificate, and a second CA with a client certificate of its own, all
    made by openssl for this test run."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="factgraph-certs-")
        self._ca("ca")
        self._ca("other-ca")
        self._leaf("server", "ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                   "extendedKeyUsage=serverAuth\n")
        self._leaf("client", "ca", "extendedKeyUsage=clientAuth\n")
        self._leaf("stranger", "other-ca", "extendedKeyUsage=clientAuth\n")

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def _openssl(self, *args):
        subprocess.run(("openssl",) + args, check=True, cwd=self.dir,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def _ca(self, name):
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
                      "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                      "-subj", "/CN=factgraph test " + name,
                      "-keyout", name + ".key", "-out", name + ".pem")

    def _leaf(self, name, ca, extensions):
        with open(self.path(name + ".ext"), "w") as f:
            f.write(extensions)
        self._openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-subj", "/CN=factgraph test " + name,
                      "-keyout", name + ".key", "-out", name + ".csr")
        self._openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem",
                      "-CAkey", ca + ".key", "-CAcreateserial", "-days", "2",
                      "-extfile", name + ".ext", "-out", name + ".pem")

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)
