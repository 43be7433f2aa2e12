"""The real factgraphd for tests in other processes: port 0, the bound port
read back from --port_file (written once the first knowledge base is loaded),
always stopped (SIGTERM, then SIGKILL) when the test ends. Shared by the
client tests (tests/client) and the server's own end-to-end and hardening
tests (tests/e2e/fgtest.py); it imports nothing of gRPC so that each can bring
its own stubs.

Environment: FACTGRAPHD (the server binary), FACTGRAPH_CLI (the factgraph
binary), FACTGRAPH_SOURCE_DIR (the checkout, for seeds/ and proto/).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

SOURCE_DIR = os.environ.get(
    "FACTGRAPH_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
FACTGRAPHD = os.environ.get("FACTGRAPHD", "")
FACTGRAPH_CLI = os.environ.get("FACTGRAPH_CLI", "")
SEEDS_DIR = os.path.join(SOURCE_DIR, "seeds")


def stop_process(process, timeout=20):
    """SIGTERM, then SIGKILL if it has not exited within `timeout` s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Factgraphd:
    """factgraphd on 127.0.0.1:<kernel-picked port>; `target` is host:port."""

    def __init__(self, *flags, seeds=SEEDS_DIR, admin_token=None, env=None):
        self.dir = tempfile.mkdtemp(prefix="factgraphd-client-test-")
        port_file = os.path.join(self.dir, "port")
        command = [FACTGRAPHD, "--listen=127.0.0.1:0", "--port_file=" + port_file]
        if seeds is not None:
            command.append("--seeds=" + seeds)
        self.token_file = None
        if admin_token is not None:
            self.token_file = os.path.join(self.dir, "admin-token")
            with open(self.token_file, "w") as f:
                f.write(admin_token + "\n")
            command.append("--admin_token_file=" + self.token_file)
        command.extend(flags)
        self.log_path = os.path.join(self.dir, "factgraphd.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        env=env)
        try:
            self.port = self._wait_for_port(port_file)
        except Exception:
            self.stop()
            raise
        self.target = "127.0.0.1:%d" % self.port

    def _wait_for_port(self, port_file, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("factgraphd exited with %d:\n%s" %
                                   (self.process.returncode, self.log()))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            time.sleep(0.02)
        raise RuntimeError("factgraphd wrote no port within %ds:\n%s" % (timeout, self.log()))

    def log(self):
        self._log.flush()
        with open(self.log_path) as f:
            return f.read()

    def signal(self, signum):
        self.process.send_signal(signum)

    def wait(self, timeout=30):
        return self.process.wait(timeout=timeout)

    def stop(self):
        stop_process(self.process)
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def closed_port():
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
