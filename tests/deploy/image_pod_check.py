#!/usr/bin/python3
"""The pod of deploy/k8s run from the image's files: nginx in front of
factgraphd, as deploy/k8s/base/deployment.yaml starts them.

Run by image_test.py inside fresh network and mount namespaces
(`unshare --net --mount`), which stand for the pod's: a loopback of their own,
so the manifest's fixed ports (nginx 50051, factgraphd 127.0.0.1:50052,
monitoring 9090) are used as they are, and a tmpfs on the image's /tmp for the
emptyDirs. Both programs are chrooted as uid 10001 in a read-only view of the
image, with the manifest's command and arguments. Checks:

- the probes of the manifest answer: nginx's tcpSocket port, and factgraphd's
  gRPC health probes through nginx's port;
- a GetInstitution through nginx answers KAIST;
- HTTP/2 rapid reset (CVE-2023-44487) through nginx, from 127.0.0.2, for
  FLOOD_S: nginx closes the flooding connections, a probe client's Get through
  nginx from 127.0.0.1 never fails, and factgraphd's resident memory grows by
  less than the bound SECURITY.md states (direct to factgraphd, the same flood
  grows it by over a gigabyte);
- SIGTERM: factgraphd drains and exits 0, then nginx exits 0.

Usage (as root, from image_test.py):
  unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private \\
    image_pod_check.py \\
    --view=READ_ONLY_IMAGE_ROOT --root=SOURCE_DIR --stubs=STUB_DIR
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

import grpc
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from image_test import process_uids, stop_with_sigterm  # noqa: E402
USER = "10001:10001"
SERVE_TIMEOUT_S = 60
FLOOD_S = 10
# tests/hardening/abuse_floods_test.py's bound, SECURITY.md "Rapid reset".
RAPID_RESET_MAX_GROWTH_KIB = 128 * 1024
# Flags whose files a real pod mounts from a Secret; the image has no mount
# point for them, and without the flag factgraphd makes a key of its own.
NOT_IN_THIS_POD = ("--page_token_secret_file=",)


def fail(message):
    print(f"image_pod_check: FAIL: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def resident_kib(pid):
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_listening(port, process, label, log):
    deadline = time.monotonic() + SERVE_TIMEOUT_S
    while True:
        if process.poll() is not None:
            log.seek(0)
            fail(f"{label}: exited {process.returncode} before listening on {port}: {log.read()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        check(time.monotonic() < deadline, f"{label}: not listening on {port} within {SERVE_TIMEOUT_S}s")
        time.sleep(0.1)


def pod_containers(source_root):
    with open(os.path.join(source_root, "deploy", "k8s", "base", "deployment.yaml"), encoding="utf-8") as f:
        pod = yaml.safe_load(f)["spec"]["template"]["spec"]
    server = next(c for c in pod["containers"] if c["name"] == "factgraphd")
    proxy = next(c for c in pod.get("initContainers", []) if c["name"] == "nginx")
    return server, proxy


class Probe:
    """A GetInstitution every 50 ms over its own connection from 127.0.0.1."""

    def __init__(self, stubs, target):
        factgraph_service_pb2, factgraph_service_pb2_grpc = stubs[:2]
        self.request = factgraph_service_pb2.GetInstitutionRequest(name="institutions/kaist")
        self.channel = grpc.insecure_channel(target)
        self.stub = factgraph_service_pb2_grpc.FactGraphServiceStub(self.channel)
        self.failures, self.calls, self.slowest = [], 0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            start = time.monotonic()
            try:
                self.stub.GetInstitution(self.request, timeout=5)
                self.calls += 1
            except grpc.RpcError as error:
                self.failures.append(f"{error.code()}: {error.details()}")
            self.slowest = max(self.slowest, time.monotonic() - start)
            self._stop.wait(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.channel.close()


def check_probes_and_call(stubs, server, proxy):
    factgraph_service_pb2, factgraph_service_pb2_grpc, health_pb2, health_pb2_grpc = stubs
    for kind in ("startupProbe", "livenessProbe"):
        port = proxy[kind]["tcpSocket"]["port"]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    asked = []
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = server[kind]["grpc"]
        with grpc.insecure_channel(f"127.0.0.1:{probe['port']}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            deadline = time.monotonic() + SERVE_TIMEOUT_S
            while True:
                try:
                    reply = health.Check(health_pb2.HealthCheckRequest(service=probe.get("service", "")),
                                         timeout=5)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        break
                except grpc.RpcError:
                    pass
                check(time.monotonic() < deadline,
                      f"factgraphd's {kind} ({probe}) never SERVING through nginx")
                time.sleep(0.2)
        asked.append(f"{kind} {probe['port']} {probe.get('service', '')!r}")
    port = proxy["ports"][0]["containerPort"]
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = factgraph_service_pb2_grpc.FactGraphServiceStub(channel)
        institution = stub.GetInstitution(
            factgraph_service_pb2.GetInstitutionRequest(name="institutions/kaist"), timeout=10)
        check(institution.display_name == "KAIST",
              f"GetInstitution through nginx answered {institution.display_name!r}")
    print(f"image_pod_check: through nginx on {port}: SERVING for {', '.join(asked)}; "
          "GetInstitution(institutions/kaist) = KAIST", flush=True)


def calls_seen(monitoring_port=9090):
    """factgraphd's own count of the calls that reached it, by status, from
    its /metrics (the manifest's --monitoring_listen)."""
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{monitoring_port}/metrics", timeout=10) as reply:
        text = reply.read().decode()
    codes = {}
    for line in text.splitlines():
        if line.startswith("grpc_server_handled_total{"):
            code = line.split('grpc_code="', 1)[1].split('"', 1)[0]
            codes[code] = codes.get(code, 0) + int(float(line.rsplit(" ", 1)[1]))
    return f"calls by status {dict(sorted(codes.items()))}"


def check_rapid_reset(stubs, server_pid, port, source_root):
    sys.path.insert(0, os.path.join(source_root, "tests", "hardening"))
    import raw_http2  # noqa: E402  (tests/hardening's raw HTTP/2 client)
    factgraph_service_pb2 = stubs[0]
    body = factgraph_service_pb2.GetInstitutionRequest(name="institutions/kaist").SerializeToString()
    before = resident_kib(server_pid)
    peak = [before]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], resident_kib(server_pid))
            done.wait(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    probe = Probe(stubs, f"127.0.0.1:{port}")
    # In a process of its own, so that the flood loop does not starve the
    # probe's thread in this one.
    sent, closed = raw_http2.rapid_reset_elsewhere(
        port, FLOOD_S, b"/factgraph.v1.FactGraphService/GetInstitution", body, source="127.0.0.2")
    time.sleep(2)
    done.set()
    watcher.join()
    probe.stop()
    after = resident_kib(server_pid)
    figures = (f"rapid reset through nginx from 127.0.0.2: {sent} streams in {FLOOD_S} s, nginx closed "
               f"{closed} connections; factgraphd saw {calls_seen()}; factgraphd RSS {before} -> peak "
               f"{peak[0]} -> {after} KiB 2 s after (bound +{RAPID_RESET_MAX_GROWTH_KIB} KiB); probe "
               f"{probe.calls} calls, slowest {probe.slowest:.3f} s, failures {probe.failures[:5]} "
               f"({len(probe.failures)}); load average {' '.join('%.1f' % a for a in os.getloadavg())}")
    print(f"image_pod_check: {figures}", flush=True)
    check(closed > 0, f"nginx closed no flooding connection: {figures}")
    check(not probe.failures, f"the probe's Get failed: {figures}")
    check(probe.calls > 20, f"the probe made too few calls: {figures}")
    check(peak[0] - before < RAPID_RESET_MAX_GROWTH_KIB, f"factgraphd grew past the bound: {figures}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--view", required=True, help="the image's root, read-only")
    parser.add_argument("--root", required=True, help="the source tree")
    parser.add_argument("--stubs", required=True, help="generated Python stubs")
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    # grpcio is a regular package: its generated grpc.health.v1 modules are
    # found once its search path includes them (as replicas_test.py does).
    grpc.__path__.append(os.path.join(args.stubs, "grpc"))
    from factgraph.v1 import factgraph_service_pb2, factgraph_service_pb2_grpc
    from grpc.health.v1 import health_pb2, health_pb2_grpc
    stubs = (factgraph_service_pb2, factgraph_service_pb2_grpc, health_pb2, health_pb2_grpc)

    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    check([line.split(":")[1].strip() for line in links.splitlines()] == ["lo"],
          f"not in a network namespace of its own (run under unshare --net): {links}")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    server, proxy = pod_containers(args.root)
    # The pod's emptyDirs (nginx's and factgraphd's /tmp): the image's root
    # is read-only.
    for container in (server, proxy):
        check(any(m["mountPath"] == "/tmp" for m in container.get("volumeMounts", [])),
              f"container {container['name']} mounts nothing at /tmp")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=1777", "tmpfs", os.path.join(args.view, "tmp")],
                   check=True)
    server_args = [a for a in server["args"] if not a.startswith(NOT_IN_THIS_POD)]
    server_command = ["/usr/local/bin/factgraphd"] + server_args
    proxy_command = proxy["command"] + proxy["args"]
    backend_port = int(next(a for a in server_args if a.startswith("--listen=")).rsplit(":", 1)[1])
    port = proxy["ports"][0]["containerPort"]

    with tempfile.TemporaryFile(mode="w+") as server_log, tempfile.TemporaryFile(mode="w+") as proxy_log:
        chroot = ["chroot", f"--userspec={USER}", args.view]
        server_process = subprocess.Popen(chroot + server_command, stdout=server_log, stderr=subprocess.STDOUT)
        proxy_process = subprocess.Popen(chroot + proxy_command, stdout=proxy_log, stderr=subprocess.STDOUT)
        try:
            wait_listening(backend_port, server_process, "factgraphd", server_log)
            wait_listening(port, proxy_process, "nginx", proxy_log)
            for process, label in ((server_process, "factgraphd"), (proxy_process, "nginx")):
                uids = process_uids(process.pid)
                check(uids == [10001] * 4, f"{label} runs as uids {uids}, not 10001")
            print(f"image_pod_check: {' '.join(server_command)} and {' '.join(proxy_command)}, "
                  f"chrooted read-only as uid 10001", flush=True)
            check_probes_and_call(stubs, server, proxy)
            check_rapid_reset(stubs, server_process.pid, port, args.root)
            stop_with_sigterm(server_process, server_process.pid, "factgraphd")
            stop_with_sigterm(proxy_process, proxy_process.pid, "nginx")
            print("image_pod_check: SIGTERM: factgraphd drained and exited 0, then nginx exited 0", flush=True)
        finally:
            for process, log, label in ((proxy_process, proxy_log, "nginx"),
                                        (server_process, server_log, "factgraphd")):
                if process.poll() is None:
                    process.kill()
                    process.wait()
                if process.returncode != 0:
                    log.seek(0)
                    print(f"image_pod_check: {label} output: {log.read()[-3000:]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
