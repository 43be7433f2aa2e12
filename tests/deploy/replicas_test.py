#!/usr/bin/python3
"""Scale-out on one machine: three factgraphd replicas behind one client channel.

Starts three replicas on 127.0.0.1 (port 0, read back from --port_file) with a
short --max_connection_age, and drives them through ONE channel with
round_robin and a retry policy on UNAVAILABLE, the service config that
deploy/README.md tells clients to use. In the middle of the load one replica
is killed (SIGKILL) and later started again on the same port. Asserts:
  - no call failed, and every reply carries the same snapshot id, in its body
    and in the x-factgraph-snapshot-id header;
  - after the restart every replica serves a fair share of the calls (each
    replica's --access_log);
  - every surviving replica saw several client connections, i.e. the maximum
    connection age really recycled them;
  - SIGTERM drains each replica and it exits 0.
Everything is bounded in time and every child process is killed on the way
out, even if this script is killed (PR_SET_PDEATHSIG through setpriv).

Usage: replicas_test.py --factgraphd=PATH --root=REPO
"""

import argparse
import collections
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import grpc

REPLICAS = 3
MAX_CONNECTION_AGE = "2s"
SHUTDOWN_GRACE_S = 3
LOAD_THREADS = 4
# Phases of the load, in seconds from its start.
KILL_AT_S = 4.0
RESTART_AT_S = 7.0
# How long the load runs once the restarted replica is serving again.
AFTER_RESTART_S = 6.0
# The restarted replica's reconnection and the end of the run are left out
# of the fairness window.
FAIRNESS_SKIP_S = 2.0
MIN_FAIR_SHARE = 0.20
MIN_CONNECTIONS_PER_SURVIVOR = 3
STARTUP_TIMEOUT_S = 30.0
CALL_TIMEOUT_S = 10.0
METHOD = "/factgraph.v1.FactGraphService/GetKnowledgeBaseInfo"
SNAPSHOT_HEADER = "x-factgraph-snapshot-id"

# The client configuration documented in deploy/README.md.
SERVICE_CONFIG = {
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [{
        "name": [{"service": "factgraph.v1.FactGraphService"}],
        "timeout": "10s",
        "retryPolicy": {
            "maxAttempts": 5,
            "initialBackoff": "0.1s",
            "maxBackoff": "1s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }],
}


def fail(message):
    raise AssertionError(message)


def generate_stubs(root, out_dir):
    """Generates the Python stubs of the API and of grpc.health.v1."""
    os.makedirs(out_dir, exist_ok=True)
    health_dir = "/usr/share/grpc-proto"
    protos = sorted(os.path.join(root, "proto", "factgraph", "v1", p)
                    for p in os.listdir(os.path.join(root, "proto", "factgraph", "v1"))
                    if p.endswith(".proto"))
    google_dir = os.path.join(root, "tools", "node_modules", "google-proto-files")
    command = [sys.executable, "-m", "grpc_tools.protoc", "-I", os.path.join(root, "proto"),
               "-I", health_dir, "-I", google_dir,
               f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
               *protos, os.path.join(health_dir, "grpc", "health", "v1", "health.proto")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        fail(f"protoc failed: {result.stderr}")
    # The annotations the API imports (Debian's protoc: grpc_tools' is too old).
    result = subprocess.run(["protoc", "-I", google_dir, f"--python_out={out_dir}",
                             "google/api/annotations.proto", "google/api/http.proto",
                             "google/api/field_behavior.proto", "google/api/resource.proto"],
                            capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        fail(f"protoc failed: {result.stderr}")
    sys.path.insert(0, out_dir)
    # grpcio is a regular package, so the generated grpc.health.v1 modules are
    # only found once its search path includes them.
    grpc.__path__.append(os.path.join(out_dir, "grpc"))


class Replica:
    """One factgraphd child process; its port survives a restart."""

    def __init__(self, index, binary, seeds, work_dir):
        self.index = index
        self.binary = binary
        self.seeds = seeds
        self.work_dir = work_dir
        self.port = 0
        self.runs = 0
        self.process = None
        self.access_logs = []

    def start(self):
        self.runs += 1
        port_file = os.path.join(self.work_dir, f"replica{self.index}.run{self.runs}.port")
        access_log = os.path.join(self.work_dir, f"replica{self.index}.run{self.runs}.access.log")
        stderr_path = os.path.join(self.work_dir, f"replica{self.index}.run{self.runs}.stderr")
        self.access_logs.append(access_log)
        command = ["setpriv", "--pdeathsig", "KILL", self.binary,
                   f"--listen=127.0.0.1:{self.port}", f"--port_file={port_file}",
                   f"--seeds={self.seeds}",
                   f"--access_log={access_log}",
                   f"--max_connection_age={MAX_CONNECTION_AGE}",
                   "--max_connection_age_grace=5s",
                   f"--shutdown_grace={SHUTDOWN_GRACE_S}s"]
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"replica {self.index} exited with {self.process.returncode} while starting: "
                     f"{self.stderr_tail(stderr_path)}")
            try:
                with open(port_file, encoding="utf-8") as f:
                    text = f.read().strip()
                if text:
                    port = int(text)
                    if self.port not in (0, port):
                        fail(f"replica {self.index} restarted on port {port}, not {self.port}")
                    self.port = port
                    return
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        fail(f"replica {self.index} wrote no port to {port_file} within {STARTUP_TIMEOUT_S:g}s")

    @staticmethod
    def stderr_tail(path):
        with open(path, "rb") as f:
            return f.read()[-2000:].decode("utf-8", "replace")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self):
        """SIGTERM; returns the exit status, or None if it did not drain in time."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=SHUTDOWN_GRACE_S + 5)
        except subprocess.TimeoutExpired:
            return None

    def ensure_dead(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def wait_serving(health_pb2, health_pb2_grpc, replica):
    """Waits until the replica's health service reports the API SERVING."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    with grpc.insecure_channel(f"127.0.0.1:{replica.port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service="factgraph.v1.FactGraphService")
        while time.monotonic() < deadline:
            try:
                reply = stub.Check(request, timeout=2, wait_for_ready=True)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.1)
    fail(f"replica {replica.index} on port {replica.port} not SERVING within {STARTUP_TIMEOUT_S:g}s")


class Load:
    """Calls GetKnowledgeBaseInfo from several threads over one channel."""

    def __init__(self, stub, request):
        self.stub = stub
        self.request = request
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.succeeded = 0
        self.failures = []
        self.snapshot_ids = collections.Counter()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(LOAD_THREADS)]

    def run(self):
        while not self.stop.is_set():
            try:
                reply, call = self.stub.GetKnowledgeBaseInfo.with_call(self.request, timeout=CALL_TIMEOUT_S)
                headers = dict(call.initial_metadata())
                with self.lock:
                    self.succeeded += 1
                    self.snapshot_ids[(reply.snapshot_id, headers.get(SNAPSHOT_HEADER))] += 1
            except grpc.RpcError as error:
                with self.lock:
                    self.failures.append(f"{time.time():.3f} {error.code()} {error.details()}")
            time.sleep(0.005)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=CALL_TIMEOUT_S + 5)


def read_access_log(path):
    """Returns [(unix time, peer)] of the successful API calls in one log."""
    calls = []
    if not os.path.exists(path):
        return calls
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            fields = line.split()
            if len(fields) != 5 or not fields[4].endswith("us"):
                fail(f"{path}:{number}: not '<time> <peer> <method> <status> <latency>us': {line!r}")
            stamp, peer, method, status = fields[:4]
            if method != METHOD:
                continue
            if status not in ("OK", "0"):
                fail(f"{path}:{number}: the server logged {status} for {method}")
            when = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            calls.append((when.timestamp(), peer))
    return calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factgraphd", required=True)
    parser.add_argument("--root", required=True)
    options = parser.parse_args()
    if not os.access(options.factgraphd, os.X_OK):
        fail(f"{options.factgraphd}: not an executable")

    work_dir = tempfile.mkdtemp(prefix="factgraph-replicas-")
    replicas = []
    # SIGTERM from ctest on timeout: unwind through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"terminated; logs in {work_dir}"))
    passed = False
    try:
        generate_stubs(os.path.abspath(options.root), os.path.join(work_dir, "gen"))
        from factgraph.v1 import factgraph_service_pb2, factgraph_service_pb2_grpc
        from grpc.health.v1 import health_pb2, health_pb2_grpc

        # A private copy: the restarted replica must load the very seeds the
        # others did, even while someone edits the checkout.
        seeds = os.path.join(work_dir, "seeds")
        shutil.copytree(os.path.join(options.root, "seeds"), seeds)
        for index in range(REPLICAS):
            replicas.append(Replica(index, os.path.abspath(options.factgraphd), seeds, work_dir))
        for replica in replicas:
            replica.start()
            wait_serving(health_pb2, health_pb2_grpc, replica)
        print("replicas on ports", [r.port for r in replicas], flush=True)

        target = "ipv4:" + ",".join(f"127.0.0.1:{r.port}" for r in replicas)
        channel_options = [
            ("grpc.service_config", json.dumps(SERVICE_CONFIG)),
            ("grpc.enable_retries", 1),
            # The restarted replica is back within seconds; do not wait out the
            # default reconnection backoff (up to 120 s) to notice.
            ("grpc.initial_reconnect_backoff_ms", 200),
            ("grpc.min_reconnect_backoff_ms", 200),
            ("grpc.max_reconnect_backoff_ms", 1000),
        ]
        victim = replicas[1]
        with grpc.insecure_channel(target, options=channel_options) as channel:
            grpc.channel_ready_future(channel).result(timeout=STARTUP_TIMEOUT_S)
            stub = factgraph_service_pb2_grpc.FactGraphServiceStub(channel)
            request = factgraph_service_pb2.GetKnowledgeBaseInfoRequest()
            with Load(stub, request) as load:
                start = time.monotonic()
                started_at = time.time()
                time.sleep(KILL_AT_S)
                victim.kill()
                print(f"killed replica {victim.index} (port {victim.port}) after {load.succeeded} calls", flush=True)
                time.sleep(max(0.0, start + RESTART_AT_S - time.monotonic()))
                victim.start()
                wait_serving(health_pb2, health_pb2_grpc, victim)
                restarted_at = time.time()
                print(f"restarted replica {victim.index} on port {victim.port} after {load.succeeded} calls",
                      flush=True)
                time.sleep(AFTER_RESTART_S)
            ended_at = time.time()

        statuses = [replica.terminate() for replica in replicas]
        succeeded, failures, snapshot_ids = load.succeeded, load.failures, load.snapshot_ids
        print(f"{succeeded} calls succeeded, {len(failures)} failed; snapshot ids {dict(snapshot_ids)}", flush=True)

        problems = []
        if failures:
            problems.append(f"{len(failures)} call(s) failed, first: {failures[:5]}")
        if succeeded < 200:
            problems.append(f"only {succeeded} calls in {ended_at - started_at:.0f}s: the load did not run")
        if len(snapshot_ids) != 1:
            problems.append(f"replies disagree on the snapshot: {dict(snapshot_ids)}")
        else:
            (body_id, header_id), = snapshot_ids
            if not body_id or body_id != header_id:
                problems.append(f"snapshot id {body_id!r} in the body but {header_id!r} in the {SNAPSHOT_HEADER} header")
        for replica, status in zip(replicas, statuses):
            if status != 0:
                problems.append(f"replica {replica.index}: SIGTERM gave exit status {status}, not 0 within "
                                f"{SHUTDOWN_GRACE_S + 5}s")

        window_start, window_end = restarted_at + FAIRNESS_SKIP_S, ended_at
        in_window = {}
        for replica in replicas:
            calls = [c for log in replica.access_logs for c in read_access_log(log)]
            in_window[replica.index] = sum(1 for when, _ in calls if window_start <= when <= window_end)
            if replica is not victim:
                peers = {peer for _, peer in calls}
                if len(peers) < MIN_CONNECTIONS_PER_SURVIVOR:
                    problems.append(f"replica {replica.index} saw {len(peers)} client connection(s) in "
                                    f"{ended_at - started_at:.0f}s: --max_connection_age="
                                    f"{MAX_CONNECTION_AGE} did not recycle them")
                else:
                    print(f"replica {replica.index}: {len(calls)} calls over {len(peers)} connections", flush=True)
        total = sum(in_window.values())
        print(f"calls per replica in the last {window_end - window_start:.1f}s: {in_window}", flush=True)
        for index, count in in_window.items():
            if total == 0 or count / total < MIN_FAIR_SHARE:
                problems.append(f"replica {index} served {count} of {total} calls after the restart, "
                                f"under {MIN_FAIR_SHARE:.0%}: the load did not spread again")
        if problems:
            fail("\n".join(problems))
        passed = True
        print("PASS", flush=True)
    finally:
        for replica in replicas:
            replica.ensure_dead()
        if passed:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            print(f"logs kept in {work_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
