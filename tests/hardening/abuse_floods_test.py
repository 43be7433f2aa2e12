"""Issue 20 against the real binary (SECURITY.md "Holding under abuse"):
callers that never read their unary responses, HTTP/2 rapid reset
(CVE-2023-44487), a caller-forged access log line, a FIFO among the seeds at
reload and SIGTERM. Every flood is loopback only and bounded in time; while
it runs a probe client's Get must keep succeeding within its deadline, and
the server's resident memory must stay under the bound SECURITY.md states."""

import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import grpc

import fgtest
import hardening_support
import raw_http2
from fgtest import admin_service_pb2 as admin_pb2
from fgtest import admin_service_pb2_grpc as admin_grpc
from fgtest import factgraph_service_pb2 as fg
from fgtest import factgraph_service_pb2_grpc as fg_grpc

SERVICE = b"/factgraph.v1.FactGraphService/"
# The bounds SECURITY.md reports (resident memory growth of the server).
UNREAD_FLOOD_MAX_GROWTH_KIB = 64 * 1024
RAPID_RESET_MAX_GROWTH_KIB = 128 * 1024


def wait_until(condition, timeout_s):
    """Polls `condition` every 50 ms for up to `timeout_s`; its last value."""
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def load_average():
    return "load average %.1f %.1f %.1f" % os.getloadavg()


class Probe:
    """Gets one institution over its own connection every 50 ms while a
    flood runs; remembers every latency and failure (when, how long, what)."""

    def __init__(self, server, target=None):
        channel = grpc.insecure_channel(target) if target else server.channel()
        self.stub = fg_grpc.FactGraphServiceStub(channel)
        self.failures = []
        self.latencies = []
        self.calls = 0
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def slowest(self):
        return max(self.latencies, default=0.0)

    def _run(self):
        while not self._stop.is_set():
            start = time.monotonic()
            try:
                self.stub.GetInstitution(fg.GetInstitutionRequest(name="institutions/kaist"),
                                         timeout=5)
                self.calls += 1
            except grpc.RpcError as error:
                self.failures.append("at %.1f s after %.2f s: %s %s" % (
                    start - self._started, time.monotonic() - start, error.code(),
                    error.details()))
            self.latencies.append(time.monotonic() - start)
            self._stop.wait(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join()

    def figures(self):
        ordered = sorted(self.latencies) or [0.0]
        return "probe %d calls, latency median %.3f s, p95 %.3f s, max %.3f s, %d failed %s" % (
            self.calls, ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)],
            ordered[-1], len(self.failures), self.failures[:3])


def list_institutions_body():
    return fg.ListInstitutionsRequest(page_size=1000).SerializeToString()


def unread_flood(port, connections=8, streams=100, method=b"ListInstitutions", body=None):
    """`connections` connections announcing window 0, each opening `streams`
    calls and reading none of their answers. Returns the connections."""
    body = list_institutions_body() if body is None else body
    opened = []
    for _ in range(connections):
        connection = raw_http2.Connection(port, window=0)
        frames = b"".join(raw_http2.call_frames(2 * i + 1, SERVICE + method, body)
                          for i in range(streams))
        connection.send(frames)
        opened.append(connection)
    return opened


def rapid_reset(port, seconds, source="127.0.0.1"):
    """raw_http2.rapid_reset of GetInstitution calls, in a process of its
    own (the flood loop would otherwise starve a probe in this one)."""
    body = fg.GetInstitutionRequest(name="institutions/kaist").SerializeToString()
    return raw_http2.rapid_reset_elsewhere(port, seconds, SERVICE + b"GetInstitution", body,
                                           source)


class UnreadResponsesTest(unittest.TestCase):

    def test_unread_responses_are_bounded_per_connection(self):
        # A 1 MiB bound per connection, so that the seeds' largest answers
        # (ListInstitutions, 36 KB) reach it within 100 streams.
        with fgtest.running_server("--max_unsent_response_bytes_per_connection=1048576") as server:
            pid = server.process.pid
            before = hardening_support.resident_kib(pid)
            probe = Probe(server)
            flood_start = time.monotonic()
            connections = unread_flood(server.port)
            # Every call held or refused (how long that takes depends on the
            # machine's load, not on what is asserted), then 5 s more held.
            answered = wait_until(
                lambda: all(len(c.with_headers) == 100 for c in connections), 60)
            answered_s = time.monotonic() - flood_start
            time.sleep(5)
            peak = hardening_support.resident_kib(pid)
            probe.stop()
            held = [len(c.with_headers - c.ended) for c in connections]
            refused = [len(c.trailers_only) for c in connections]
            figures = ("unread flood: RSS %d -> %d KiB (bound +%d KiB); every call answered: %s "
                       "after %.1f s; streams held per connection %s, refused %s; %s; %s" %
                       (before, peak, UNREAD_FLOOD_MAX_GROWTH_KIB, answered, answered_s, held,
                        refused, probe.figures(), load_average()))
            print(figures)
            self.assertTrue(answered, figures)
            self.assertEqual(probe.failures, [], figures)
            self.assertGreater(probe.calls, 20, figures)
            for count in held:
                # 1 MiB / 36 KB, plus the calls admitted while the first
                # answers were being charged.
                self.assertLessEqual(count, 40, figures)
                self.assertGreater(count, 0, figures)
            for count in refused:
                self.assertGreaterEqual(count, 60, figures)
            self.assertLess(peak - before, UNREAD_FLOOD_MAX_GROWTH_KIB, figures)
            # Once the callers leave, the server answers everyone again.
            for connection in connections:
                connection.close()
            time.sleep(1)
            late = raw_http2.Connection(server.port, window=0)
            late.send(raw_http2.call_frames(1, SERVICE + b"ListInstitutions",
                                            list_institutions_body()))
            wait_until(lambda: late.with_headers, 30)
            self.assertEqual(late.with_headers - late.ended, {1},
                             "late caller: headers %s, ended %s, refused %s; %s" % (
                                 late.with_headers, late.ended, late.trailers_only,
                                 load_average()))
            late.close()

    def test_repeated_batch_get_names_cost_nothing(self):
        request = fg.BatchGetDocumentsRequest(names=["documents/" + "x"] * 260)
        with fgtest.running_server() as server:
            before = hardening_support.resident_kib(server.process.pid)
            start = time.monotonic()
            connections = unread_flood(server.port, connections=2, method=b"BatchGetDocuments",
                                       body=request.SerializeToString())
            # Every call answered (INVALID_ARGUMENT: no message, so nothing
            # the window holds back); how soon depends on the machine's load.
            wait_until(lambda: all(len(c.ended) == 100 for c in connections), 30)
            after = hardening_support.resident_kib(server.process.pid)
            figures = ("repeated BatchGet names: calls ended per connection %s after %.1f s, "
                       "RSS %d -> %d KiB; %s" % ([len(c.ended) for c in connections],
                                                 time.monotonic() - start, before, after,
                                                 load_average()))
            print(figures)
            for connection in connections:
                self.assertEqual(len(connection.ended), 100, figures)
                connection.close()
            self.assertLess(after - before, 16 * 1024, figures)


class NginxProxy:
    """deploy/nginx/factgraph-grpc.conf.template in front of `backend`
    (host:port), listening on a free loopback port; nginx's log in
    `dir`/error.log."""

    def __init__(self, backend):
        import shutil
        import socket
        import subprocess
        self.dir = tempfile.mkdtemp(prefix="factgraph-nginx-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        # The one template, filled in as the image fills it in.
        conf = subprocess.run(
            [os.path.join(fgtest.SOURCE_DIR, "deploy", "nginx", "render-conf.sh"), self.dir,
             "127.0.0.1:%d" % self.port, backend], capture_output=True, text=True, check=True).stdout
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(conf)
        self.process = subprocess.Popen(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-c",
             os.path.join(self.dir, "nginx.conf"), "-g", "daemon off;"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("nginx did not listen")

    def target(self):
        return "127.0.0.1:%d" % self.port

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class RapidResetTest(unittest.TestCase):

    def test_rapid_reset_through_the_proxy_is_bounded(self):
        with fgtest.running_server() as server:
            proxy = NginxProxy(server.target)
            try:
                pid = server.process.pid
                before = hardening_support.resident_kib(pid)
                probe = Probe(server, target=proxy.target())
                peak = [before]
                done = threading.Event()

                def watch():
                    while not done.is_set():
                        peak[0] = max(peak[0], hardening_support.resident_kib(pid))
                        done.wait(0.2)
                watcher = threading.Thread(target=watch, daemon=True)
                watcher.start()
                # From another loopback address than the probe's, as an
                # attacker on another host would be.
                sent, closed = rapid_reset(proxy.port, seconds=15, source="127.0.0.2")
                time.sleep(2)
                done.set()
                watcher.join()
                probe.stop()
                after = hardening_support.resident_kib(pid)
                with open(os.path.join(proxy.dir, "error.log")) as log:
                    limited = log.read().count("limiting requests")
                figures = ("rapid reset through nginx: %d streams in 15 s, %d connections closed, "
                           "%d calls limited (nginx error.log); factgraphd RSS %d -> peak %d -> "
                           "%d KiB 2 s after (bound +%d KiB); %s; %s" % (
                               sent, closed, limited, before, peak[0], after,
                               RAPID_RESET_MAX_GROWTH_KIB, probe.figures(), load_average()))
                print(figures)
                self.assertGreater(closed, 0, figures)
                self.assertEqual(probe.failures, [], figures)
                self.assertLess(peak[0] - before, RAPID_RESET_MAX_GROWTH_KIB, figures)
            finally:
                proxy.stop()


class LogInjectionTest(unittest.TestCase):

    def test_a_path_with_newlines_cannot_forge_a_line(self):
        log_path = os.path.join(tempfile.mkdtemp(prefix="factgraph-log-"), "access.log")
        forged = (b"/factgraph.v1.FactGraphService/GetInstitution\n"
                  b"2026-12-05T00:00:00.000000Z ipv4:10.0.0.1:1 "
                  b"/factgraph.v1.AdminService/ReloadKnowledgeBase OK 1us\r\x1b[2K\xff")
        with fgtest.running_server("--access_log=" + log_path) as server:
            connection = raw_http2.Connection(server.port)
            connection.send(raw_http2.call_frames(1, forged, b""))
            connection.closed.wait(2)
            connection.close()
            stub = fg_grpc.FactGraphServiceStub(server.channel())
            stub.GetInstitution(fg.GetInstitutionRequest(name="institutions/kaist"), timeout=10)
        with open(log_path, "rb") as log:
            lines = log.read().split(b"\n")
        self.assertEqual(lines[-1], b"")
        lines = lines[:-1]
        self.assertEqual(len(lines), 2, lines)
        line = re.compile(rb"^\S+Z ipv4:127\.0\.0\.1:\d+ \S+ [A-Z_]+ \d+us$")
        for entry in lines:
            self.assertRegex(entry, line)
        self.assertIn(b"GetInstitution\\x0a2026-12-05T00:00:00.000000Z\\x20ipv4:10.0.0.1:1"
                      b"\\x20/factgraph.v1.AdminService/ReloadKnowledgeBase\\x20OK\\x201us"
                      b"\\x0d\\x1b[2K\\xff ", lines[0])


class ReloadAndShutdownTest(unittest.TestCase):

    def test_fifo_among_the_seeds_is_refused_and_sigterm_is_acted_on(self):
        seeds = fgtest.copy_seeds()
        os.mkfifo(os.path.join(seeds, "kb", "zz-fifo.textproto"))
        # Starting on it: refused at once, not blocked.
        start = time.monotonic()
        with self.assertRaises(RuntimeError) as caught:
            fgtest.Server(seeds=seeds)
        self.assertLess(time.monotonic() - start, 30)
        self.assertIn("kb/zz-fifo.textproto: cannot read the file: a FIFO, not a regular file",
                      str(caught.exception))
        os.remove(os.path.join(seeds, "kb", "zz-fifo.textproto"))
        with fgtest.running_server("--shutdown_grace=2s", seeds=seeds) as server:
            os.mkfifo(os.path.join(seeds, "kb", "zz-fifo.textproto"))
            server.signal(signal.SIGHUP)
            deadline = time.monotonic() + 20
            while "reload refused" not in server.log() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertIn("a FIFO, not a regular file", server.log())
            stub = fg_grpc.FactGraphServiceStub(server.channel())
            stub.GetInstitution(fg.GetInstitutionRequest(name="institutions/kaist"), timeout=10)
            start = time.monotonic()
            server.signal(signal.SIGTERM)
            self.assertEqual(server.wait(timeout=10), 0)
            self.assertLess(time.monotonic() - start, 5)
            self.assertIn("stopped", server.log())

    def test_sigterm_during_a_slow_reload_exits_within_the_grace_period(self):
        # A reload that reads and parses for seconds: 300,000 institutions
        # (42 MB; they lack citations, so the reload would end refused, but
        # it never gets that far). SIGTERM must not wait for it.
        seeds = fgtest.copy_seeds()
        grace_s = 5
        with fgtest.running_server("--shutdown_grace=%ds" % grace_s, seeds=seeds,
                                   admin_token="abuse-token") as server:
            with open(os.path.join(seeds, "kb", "zz_synthetic.textproto"), "w") as f:
                for i in range(300000):
                    f.write('institutions {\n  name: "institutions/synthetic-%d"\n'
                            '  display_name: "Synthetic institution %d"\n'
                            '  kind: INSTITUTION_KIND_UNIVERSITY\n}\n' % (i, i))
            channel = server.channel()
            admin = admin_grpc.AdminServiceStub(channel)
            server.signal(signal.SIGHUP)
            hup = time.monotonic()
            # A second reload is refused while the first one runs: proof that
            # it is in flight when SIGTERM comes.
            with self.assertRaises(grpc.RpcError) as refused:
                admin.ReloadKnowledgeBase(admin_pb2.ReloadKnowledgeBaseRequest(), timeout=10,
                                          metadata=(("authorization", "Bearer abuse-token"),))
            self.assertEqual(refused.exception.code(), grpc.StatusCode.ABORTED,
                             refused.exception.details())
            self.assertEqual(refused.exception.details(),
                             "a reload is already in progress; retry once it has finished")
            # gRPC 1.51's drain lasts the whole grace period while a client
            # keeps a connection that has carried a call (measured: 5.0 s
            # after one Get, 0.04 s once the channel is closed), whatever a
            # reload does; closed, only the reload could hold the exit.
            channel.close()
            term = time.monotonic()
            server.signal(signal.SIGTERM)
            try:
                status = server.wait(timeout=grace_s + 20)
            except subprocess.TimeoutExpired:
                self.fail("still running %.1f s after SIGTERM (sent %.2f s into the reload); "
                          "log: %s" % (time.monotonic() - term, term - hup, server.log()[-2000:]))
            exited_s = time.monotonic() - term
            log = server.log()
            figures = ("SIGTERM %.2f s into the reload, exit %d after %.2f s (grace %d s); log "
                       "tail: %s" % (term - hup, status, exited_s, grace_s, log[-1000:]))
            print("slow reload and SIGTERM: " + figures.split("; log")[0])
            self.assertEqual(status, 0, figures)
            self.assertLess(exited_s, grace_s, figures)
            # After "serving": the admin call refused, the drain, the SIGHUP
            # reload answered as abandoned, the exit; no "reloaded".
            lines = [re.sub(r"^\S+Z factgraphd: ", "", line) for line in log.splitlines()]
            serving = next(i for i, line in enumerate(lines) if line.startswith("serving seeds"))
            self.assertEqual(lines[serving + 1:], [
                "reload refused:",
                "  a reload is already in progress; retry once it has finished",
                "shutting down (Terminated), draining for up to 5s",
                "reload refused:",
                "  the server is shutting down; the reload in progress is abandoned",
                "stopped; a reload in progress was abandoned"], figures)

    def test_a_snapshot_that_is_a_fifo_is_refused(self):
        fifo = os.path.join(tempfile.mkdtemp(prefix="factgraph-fifo-"), "kb.fgsnap")
        os.mkfifo(fifo)
        with self.assertRaises(RuntimeError) as caught:
            fgtest.Server("--snapshot=" + fifo, seeds=None)
        self.assertIn(fifo + ": a FIFO, not a regular file", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
