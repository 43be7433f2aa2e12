"""A real Prometheus (Debian's package) scrapes a factgraphd under load every
second; its HTTP API's rate(...) and histogram_quantile(...) over factgraph's
metrics must agree with the calls this test made. The alert rules of
deploy/monitoring pass `promtool check rules` and `promtool test rules`, and
load into that Prometheus with every rule healthy.

Bounded: about 20 s. Environment: FACTGRAPHD, FACTGRAPH_SOURCE_DIR,
PROMETHEUS and PROMTOOL (paths; found on PATH otherwise).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import fgtest as fg  # noqa: E402
from fgtest import factgraph_service_pb2 as pb  # noqa: E402
from fgtest import factgraph_service_pb2_grpc as pb_grpc  # noqa: E402
import metrics_text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(fg.SOURCE_DIR, "deploy", "monitoring", "factgraph.rules.yaml")
DASHBOARD = os.path.join(fg.SOURCE_DIR, "deploy", "monitoring", "grafana-dashboard.json")
PROMETHEUS = os.environ.get("PROMETHEUS") or shutil.which("prometheus") or ""
PROMTOOL = os.environ.get("PROMTOOL") or shutil.which("promtool") or ""
GET_OK = 'grpc_server_handled_total{grpc_method="GetInstitution",grpc_code="OK"}'
CALLS_OK = 300
CALLS_NOT_FOUND = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrometheusTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        for name, path in (("prometheus", PROMETHEUS), ("promtool", PROMTOOL)):
            if not path:
                raise RuntimeError(name + " is missing: run scripts/setup.sh (Debian package prometheus)")
        cls.dir = tempfile.mkdtemp(prefix="factgraph-prometheus-")
        port_file = os.path.join(cls.dir, "monitoring-port")
        cls.server = fg.Server("--monitoring_listen=127.0.0.1:0",
                               "--monitoring_port_file=" + port_file)
        cls.prometheus = None
        try:
            monitoring_port = cls.server._wait_for_port(port_file)
            cls.start_prometheus(monitoring_port)
            cls.make_load()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def start_prometheus(cls, monitoring_port):
        config = os.path.join(cls.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {RULES}
scrape_configs:
  - job_name: factgraph
    static_configs:
      - targets: ["127.0.0.1:{monitoring_port}"]
""")
        cls.api_port = free_port()
        cls.prometheus_log = open(os.path.join(cls.dir, "prometheus.log"), "w")
        cls.prometheus = subprocess.Popen(
            [PROMETHEUS, "--config.file=" + config,
             "--storage.tsdb.path=" + os.path.join(cls.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % cls.api_port,
             "--log.level=warn"],
            stdout=cls.prometheus_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/-/ready" % cls.api_port,
                                            timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if cls.prometheus.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError("Prometheus did not become ready:\n" + open(cls.prometheus_log.name).read())

    @classmethod
    def make_load(cls):
        # Wait for the first scrape, so that the counters' rise is seen from 0.
        cls.wait_for("up{job=\"factgraph\"}", lambda v: v == 1)
        with cls.server.channel() as channel:
            stub = pb_grpc.FactGraphServiceStub(channel)
            name = stub.ListInstitutions(pb.ListInstitutionsRequest(page_size=1)).institutions[0].name
            cls.client_latencies = []
            start = time.monotonic()
            # Spread over ~4 s so that several scrapes see the counters rise.
            for i in range(CALLS_OK):
                before = time.monotonic()
                stub.GetInstitution(pb.GetInstitutionRequest(name=name))
                cls.client_latencies.append(time.monotonic() - before)
                time.sleep(max(0.0, start + (i + 1) * 4.0 / CALLS_OK - time.monotonic()))
            for _ in range(CALLS_NOT_FOUND):
                try:
                    stub.GetInstitution(pb.GetInstitutionRequest(name="institutions/absent"))
                except fg.grpc.RpcError:
                    pass
        cls.load_seconds = time.monotonic() - start
        # Until a scrape has seen every call.
        cls.wait_for(GET_OK, lambda v: v == CALLS_OK)
        cls.wait_for('grpc_server_handled_total{grpc_method="GetInstitution",grpc_code="NOT_FOUND"}',
                     lambda v: v == CALLS_NOT_FOUND)

    @classmethod
    def query(cls, expression):
        url = "http://127.0.0.1:%d/api/v1/query?%s" % (
            cls.api_port, urllib.parse.urlencode({"query": expression}))
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.loads(response.read())
        if body["status"] != "success":
            raise AssertionError("%s: %s" % (expression, body))
        return [(r["metric"], float(r["value"][1])) for r in body["data"]["result"]]

    @classmethod
    def wait_for(cls, expression, accept, timeout=20):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = cls.query(expression)
            if len(last) == 1 and accept(last[0][1]):
                return last[0][1]
            time.sleep(0.25)
        raise AssertionError("%s stayed %s" % (expression, last))

    @classmethod
    def tearDownClass(cls):
        if cls.prometheus is not None:
            fg.factgraphd_process.stop_process(cls.prometheus)
        cls.server.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def single(self, expression):
        result = self.query(expression)
        self.assertEqual(len(result), 1, (expression, result))
        return result[0][1]

    def test_counts_are_exact(self):
        self.assertEqual(self.single(GET_OK), CALLS_OK)
        self.assertEqual(self.single(
            'sum(grpc_server_handled_total{grpc_method="GetInstitution"})'),
            CALLS_OK + CALLS_NOT_FOUND)
        self.assertEqual(self.single(
            'grpc_server_started_total{grpc_method="GetInstitution"}'), CALLS_OK + CALLS_NOT_FOUND + 0)

    def test_rate_matches_the_calls_made(self):
        # Over a window that holds the whole load, increase() (rate() times
        # the window, extrapolated to its edges) is the number of calls,
        # within the extrapolation of one scrape interval either side.
        window = int(self.load_seconds) + 10
        increase = self.single('sum(rate(%s[%ds])) * %d' % (GET_OK, window, window))
        self.assertGreater(increase, CALLS_OK * 0.8)
        self.assertLess(increase, CALLS_OK * 1.6)
        # The calls came at ~75/s for 4 s: a 3 s window inside the load saw
        # a rate of that order.
        peak = self.single('max_over_time(rate(%s[3s])[%ds:1s])' % (GET_OK, window))
        self.assertGreater(peak, 20)
        self.assertLess(peak, 400)

    def test_latency_quantiles_are_plausible(self):
        window = int(self.load_seconds) + 10
        p50 = self.single(
            'histogram_quantile(0.5, sum by (le) (rate(grpc_server_handling_seconds_bucket'
            '{grpc_method="GetInstitution",grpc_code="OK"}[%ds])))' % window)
        p99 = self.single(
            'histogram_quantile(0.99, sum by (le) (rate(grpc_server_handling_seconds_bucket'
            '{grpc_method="GetInstitution",grpc_code="OK"}[%ds])))' % window)
        client = sorted(self.client_latencies)
        # The server's time is part of the client's; a bucket's upper bound
        # is at most 2.5 times its lower one.
        self.assertGreater(p50, 0)
        self.assertLessEqual(p50, p99)
        self.assertLessEqual(p50, client[len(client) // 2] * 2.5)
        self.assertLessEqual(p99, max(client) * 2.5)
        mean = self.single(
            'sum(grpc_server_handling_seconds_sum{grpc_method="GetInstitution",grpc_code="OK"})'
            ' / sum(grpc_server_handling_seconds_count{grpc_method="GetInstitution",grpc_code="OK"})')
        self.assertGreater(mean, 1e-6)
        self.assertLess(mean, sum(client) / len(client))

    def test_rules_load_and_evaluate_without_error(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/rules" % self.api_port,
                                    timeout=10) as response:
            groups = json.loads(response.read())["data"]["groups"]
        # Let each rule be evaluated at least once.
        rules = [r for g in groups for r in g["rules"]]
        self.assertEqual(sorted(r["name"] for r in rules), [
            "FactgraphHighErrorRatio", "FactgraphHighLatencyP99", "FactgraphNotServing",
            "FactgraphReloadRefused", "FactgraphSnapshotStale"])
        for rule in rules:
            self.assertEqual(rule["health"], "ok", rule)
        self.assertEqual(self.query('ALERTS{alertstate="firing"}'), [])

    def test_dashboard_queries_run_on_factgraph_metrics(self):
        with open(DASHBOARD) as f:
            dashboard = json.load(f)
        expressions = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
        self.assertGreater(len(expressions), 10)
        read = set()
        for expression in expressions:
            names = metrics_text.metric_names(expression)
            self.assertTrue(names, expression)
            self.assertLessEqual(names, set(metrics_text.FAMILIES), expression)
            read |= names
            # Grafana's variables as the dashboard's defaults would set them.
            query = expression.replace("$job", ".*").replace("$__rate_interval", "1m")
            self.query(query)  # Raises unless Prometheus accepts it.
        # Every family is on the dashboard.
        self.assertEqual(read, set(metrics_text.FAMILIES))
        self.assertEqual(self.single('sum(factgraph_serving{job=~".*"})'), 1)

    def test_rules_read_only_factgraph_metrics(self):
        with open(RULES) as f:
            text = f.read()
        self.assertLessEqual(metrics_text.metric_names(text), set(metrics_text.FAMILIES))

    def test_promtool_checks_and_tests_the_rules(self):
        for command in ([PROMTOOL, "check", "rules", RULES],
                        [PROMTOOL, "test", "rules", "alerts_test.yaml"]):
            result = subprocess.run(command, capture_output=True, text=True, cwd=HERE, timeout=60)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
