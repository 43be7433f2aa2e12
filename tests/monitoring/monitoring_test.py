"""factgraphd's monitoring listener and JSON logs, end to end: every metric
family on `curl <monitoring>/metrics`, counts equal to the calls this test
made, refusals by limit and page-token reason, reloads by outcome, the
exposition accepted by `promtool check metrics`, and one JSON object per log
line with every error of a refused reload.

Environment: FACTGRAPHD, FACTGRAPH_SOURCE_DIR, PROMTOOL (optional path).
"""

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
import fgtest as fg  # noqa: E402
from fgtest import factgraph_service_pb2 as pb  # noqa: E402
from fgtest import factgraph_service_pb2_grpc as pb_grpc  # noqa: E402
import metrics_text  # noqa: E402

PROMTOOL = os.environ.get("PROMTOOL") or shutil.which("promtool") or ""
FS = "factgraph.v1.FactGraphService"

FAMILIES = metrics_text.FAMILIES


def forge(token):
    """The token with its last MAC byte changed, canonically re-encoded."""
    data = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    data[-1] ^= 1
    return base64.urlsafe_b64encode(bytes(data)).decode().rstrip("=")


class MonitoringTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.seeds = fg.copy_seeds()
        cls.dir = os.path.dirname(cls.seeds)
        cls.access_log = os.path.join(cls.dir, "access.jsonl")
        cls.monitoring_port_file = os.path.join(cls.dir, "monitoring-port")
        cls.server = fg.Server("--monitoring_listen=127.0.0.1:0",
                               "--monitoring_port_file=" + cls.monitoring_port_file,
                               "--log_format=json", "--access_log=" + cls.access_log,
                               "--max_batch_size=2", seeds=cls.seeds,
                               admin_token="monitoring-test-token")
        cls.monitoring_port = cls.server._wait_for_port(cls.monitoring_port_file)
        cls.channel = cls.server.channel()
        cls.stub = pb_grpc.FactGraphServiceStub(cls.channel)
        cls.make_calls()
        content_type, cls.text = metrics_text.scrape(cls.monitoring_port)
        cls.content_type = content_type
        cls.samples, cls.types = metrics_text.parse(cls.text)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def make_calls(cls):
        stub = cls.stub
        first = stub.ListInstitutions(pb.ListInstitutionsRequest(page_size=2))
        cls.institution = first.institutions[0].name
        token = first.next_page_token
        for _ in range(7):
            stub.GetInstitution(pb.GetInstitutionRequest(name=cls.institution))
        cls.refusals = []
        for request, expected in (
                (lambda: stub.GetInstitution(pb.GetInstitutionRequest(name="institutions/nope")),
                 "NOT_FOUND"),
                (lambda: stub.GetInstitution(pb.GetInstitutionRequest(name="institutions/nope2")),
                 "NOT_FOUND"),
                (lambda: stub.BatchGetInstitutions(pb.BatchGetInstitutionsRequest(
                    names=[cls.institution] * 3)), "OUT_OF_RANGE"),
                (lambda: stub.SearchEntities(pb.SearchEntitiesRequest(query="x" * 600)),
                 "OUT_OF_RANGE"),
                (lambda: stub.ListInstitutions(pb.ListInstitutionsRequest(
                    page_size=2, page_token="not-a-token")), "INVALID_ARGUMENT"),
                (lambda: stub.ListInstitutions(pb.ListInstitutionsRequest(
                    page_size=2, page_token=forge(token))), "INVALID_ARGUMENT"),
                # A token of another request (page_size may change: AIP-158).
                (lambda: stub.ListInstitutions(pb.ListInstitutionsRequest(
                    page_size=2, page_token=token, filter="kind = INSTITUTION_KIND_UNIVERSITY")),
                 "INVALID_ARGUMENT")):
            with cls.assertRaises(unittest.TestCase(), fg.grpc.RpcError) as caught:
                request()
            assert caught.exception.code().name == expected, caught.exception
        cls.streamed = list(stub.QueryFacts(pb.QueryFactsRequest()))
        # One reload that changes nothing, then one the seeds refuse.
        cls.server.signal(signal.SIGHUP)
        cls.wait_for_log('"outcome":"unchanged"')
        admin = fg.admin_service_pb2_grpc.AdminServiceStub(cls.channel)
        admin.ReloadKnowledgeBase(
            fg.admin_service_pb2.ReloadKnowledgeBaseRequest(),
            metadata=[("authorization", "Bearer monitoring-test-token")])
        for broken in ("zz-broken-1", "zz-broken-2"):
            with open(os.path.join(cls.seeds, "kb", broken + ".textproto"), "w") as f:
                f.write("institutions { nonsense: 1 }\n")
        cls.server.signal(signal.SIGHUP)
        cls.wait_for_log('"outcome":"refused"')

    @classmethod
    def wait_for_log(cls, needle, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in cls.server.log():
                return
            time.sleep(0.05)
        raise AssertionError("no %s in the log:\n%s" % (needle, cls.server.log()))

    def value(self, name, **labels):
        return metrics_text.value(self.samples, name, **labels)

    def test_every_family_is_there_with_its_type(self):
        self.assertEqual({name: self.types.get(name) for name in FAMILIES}, FAMILIES)
        self.assertTrue(self.content_type.startswith("text/plain; version=0.0.4"))

    def test_calls_are_counted_by_method_and_code(self):
        self.assertEqual(self.value("grpc_server_handled_total", grpc_method="GetInstitution",
                                    grpc_code="OK"), 7)
        self.assertEqual(self.value("grpc_server_handled_total", grpc_method="GetInstitution",
                                    grpc_code="NOT_FOUND"), 2)
        self.assertEqual(self.value("grpc_server_started_total", grpc_method="GetInstitution"), 9)
        self.assertEqual(self.value("grpc_server_handled_total", grpc_method="ListInstitutions",
                                    grpc_code="INVALID_ARGUMENT"), 3)
        self.assertEqual(self.value("grpc_server_handling_seconds_count",
                                    grpc_method="GetInstitution", grpc_code="OK"), 7)
        self.assertEqual(self.value("grpc_server_handling_seconds_bucket",
                                    grpc_method="GetInstitution", grpc_code="OK", le="+Inf"), 7)
        # Seven local lookups take well under a second in all, over 50 µs each.
        total = self.value("grpc_server_handling_seconds_sum", grpc_method="GetInstitution",
                           grpc_code="OK")
        self.assertGreater(total, 7 * 1e-6)
        self.assertLess(total, 1.0)
        self.assertEqual(self.value("grpc_server_in_flight_calls", grpc_method="GetInstitution"), 0)
        self.assertEqual(self.value("grpc_server_msg_sent_total", grpc_method="GetInstitution"), 7)

    def test_query_facts_streams(self):
        facts = sum(len(message.facts) for message in self.streamed)
        self.assertEqual(self.value("factgraph_query_facts_streamed_facts_total"), facts)
        self.assertEqual(self.value("factgraph_snapshot_facts"), facts)
        self.assertEqual(self.value("grpc_server_msg_sent_total", grpc_method="QueryFacts"),
                         len(self.streamed))
        self.assertEqual(self.value("factgraph_query_facts_open_streams"), 0)

    def test_refusals_by_limit_and_page_token_reason(self):
        for limit, count in (("batch_size", 1), ("search_query_length", 1),
                             ("open_fact_streams", 0), ("facts_per_call", 0)):
            self.assertEqual(self.value("factgraph_limit_refusals_total", limit=limit), count,
                             limit)
        for reason, count in (("malformed", 1), ("forged", 1), ("request_changed", 1),
                              ("snapshot_expired", 0)):
            self.assertEqual(self.value("factgraph_page_token_refusals_total", reason=reason),
                             count, reason)

    def test_snapshot_and_reloads(self):
        info = [ls for (name, ls) in self.samples if name == "factgraph_snapshot_info"]
        self.assertEqual(len(info), 1)
        self.assertIn(("snapshot_id", self.streamed and self.snapshot_id()), info[0])
        self.assertEqual(self.value("factgraph_serving"), 1)
        self.assertGreater(self.value("factgraph_snapshot_resources", collection="institutions"), 2)
        self.assertLess(self.value("factgraph_snapshot_age_seconds"), 300)
        self.assertAlmostEqual(self.value("factgraph_snapshot_load_time_seconds"),
                               time.time() - self.value("factgraph_snapshot_age_seconds"),
                               delta=60)
        for outcome, count in (("loaded", 0), ("unchanged", 2), ("refused", 1)):
            self.assertEqual(self.value("factgraph_snapshot_reloads_total", outcome=outcome),
                             count, outcome)

    def snapshot_id(self):
        info = self.stub.GetKnowledgeBaseInfo(pb.GetKnowledgeBaseInfoRequest())
        return info.snapshot_id

    def test_process_metrics(self):
        self.assertGreater(self.value("process_resident_memory_bytes"), 1 << 20)
        self.assertGreater(self.value("process_threads"), 1)
        self.assertGreater(self.value("process_open_fds"), 3)
        self.assertGreater(self.value("process_cpu_seconds_total"), 0)
        self.assertAlmostEqual(self.value("process_start_time_seconds"), time.time(), delta=600)

    def test_promtool_accepts_the_exposition(self):
        if not PROMTOOL:
            self.fail("promtool is missing: run scripts/setup.sh (Debian package prometheus)")
        result = subprocess.run([PROMTOOL, "check", "metrics"], input=self.text,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.strip() + result.stderr.strip(), "")

    def test_other_paths_and_methods(self):
        base = "http://127.0.0.1:%d" % self.monitoring_port
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(base + "/metrics/extra", timeout=10)
        self.assertEqual(caught.exception.code, 404)
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(urllib.request.Request(base + "/metrics", data=b"x"),
                                   timeout=10)
        self.assertEqual(caught.exception.code, 405)
        with urllib.request.urlopen(base + "/debug/channelz/servers", timeout=10) as response:
            servers = json.loads(response.read())["server"]
        self.assertEqual(len(servers), 1)

    def test_the_grpc_port_serves_no_channelz(self):
        get_servers = self.channel.unary_unary("/grpc.channelz.v1.Channelz/GetServers")
        with self.assertRaises(fg.grpc.RpcError) as caught:
            get_servers(b"", timeout=10)
        self.assertEqual(caught.exception.code(), fg.grpc.StatusCode.UNIMPLEMENTED)

    def test_server_events_are_json_lines(self):
        events = [json.loads(line) for line in self.server.log().splitlines() if line.strip()]
        for event in events:
            self.assertEqual(set(event) >= {"time", "level", "message"}, True, event)
        by_event = {}
        for event in events:
            by_event.setdefault(event.get("event"), []).append(event)
        self.assertEqual(by_event["load"][0]["snapshot_id"], self.snapshot_id())
        self.assertEqual(by_event["start"][0]["port"], self.server.port)
        self.assertEqual(by_event["start"][0]["monitoring_port"], self.monitoring_port)
        self.assertEqual([(e["trigger"], e["outcome"]) for e in by_event["reload"]],
                         [("SIGHUP", "unchanged"), ("AdminService", "unchanged"),
                          ("SIGHUP", "refused")])
        refused = [e for e in by_event["reload"] if e["outcome"] == "refused"]
        self.assertEqual(len(refused), 1)
        self.assertEqual(refused[0]["level"], "error")
        errors = refused[0]["errors"]
        self.assertEqual(len(errors), 2, errors)
        self.assertTrue(errors[0].startswith("kb/zz-broken-1.textproto:1:"), errors)
        self.assertTrue(errors[1].startswith("kb/zz-broken-2.textproto:1:"), errors)
        self.assertIn("the previous snapshot keeps serving", refused[0]["message"])

    def test_drain_and_exit_are_events(self):
        with fg.running_server("--log_format=json") as server:
            server.signal(signal.SIGTERM)
            self.assertEqual(server.wait(), 0)
            events = [json.loads(line) for line in server.log().splitlines()]
        self.assertEqual([e["event"] for e in events if "event" in e], ["load", "start", "drain", "exit"])
        events = [e for e in events if "event" in e]
        self.assertEqual(events[2]["signal"], "Terminated")
        self.assertEqual(events[2]["grace_seconds"], 10)

    def test_bad_monitoring_flags_are_refused(self):
        def run(*flags):
            result = subprocess.run([fg.FACTGRAPHD, "--seeds=" + os.path.join(fg.SOURCE_DIR, "seeds")]
                                    + list(flags),
                                    capture_output=True, text=True, timeout=60)
            return result.returncode, result.stderr
        code, err = run("--listen=127.0.0.1:50999", "--monitoring_listen=0.0.0.0:50999")
        self.assertEqual(code, 1, err)
        self.assertIn("--monitoring_listen 0.0.0.0:50999 must not share the gRPC port of "
                      "--listen 127.0.0.1:50999", err)
        code, err = run("--log_format=yaml")
        self.assertEqual(code, 2, err)
        self.assertIn('--log_format: "yaml" is not text or json', err)

    def test_access_log_is_json_lines(self):
        with open(self.access_log) as f:
            calls = [json.loads(line) for line in f]
        gets = [c for c in calls if c["method"] == "/%s/GetInstitution" % FS]
        self.assertEqual(len(gets), 9)
        self.assertEqual(sorted({c["status"] for c in gets}), ["NOT_FOUND", "OK"])
        for call in gets:
            self.assertEqual(set(call), {"time", "level", "message", "method", "peer", "status",
                                         "latency_seconds", "snapshot_id"})
            self.assertTrue(call["peer"].startswith("ipv4:127.0.0.1:"), call)
            self.assertGreater(call["latency_seconds"], 0)
        ok = [c for c in gets if c["status"] == "OK"]
        self.assertEqual({c["snapshot_id"] for c in ok}, {self.snapshot_id()})


if __name__ == "__main__":
    unittest.main()
