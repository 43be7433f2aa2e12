"""End-to-end tests of the real factgraphd binary, called from this process."""

import os
import signal
import tempfile
import subprocess
import threading
import time
import unittest

import fgtest
from fgtest import admin_service_pb2, admin_service_pb2_grpc
from fgtest import factgraph_service_pb2 as fg
from fgtest import factgraph_service_pb2_grpc as fg_grpc
from fgtest import grpc, health_pb2, health_pb2_grpc

SNAPSHOT_KEY = "x-factgraph-snapshot-id"
EXTRA_INSTITUTION = """
institutions {
  name: "institutions/e2e-extra"
  display_name: "Anam-dong"
  kind: INSTITUTION_KIND_DISTRICT
  citations {
    document: "documents/ku-kaist-symposium"
    quote: "Anam-dong"
    field_paths: ["display_name", "kind"]
  }
}
"""


def snapshot_id(call):
    return dict(call.initial_metadata())[SNAPSHOT_KEY]


def reload_when_idle(admin, auth):
    """An admin reload, retried while a SIGHUP reload still runs (ABORTED:
    one reload at a time, see SECURITY.md)."""
    deadline = time.time() + 30
    while True:
        try:
            return admin.ReloadKnowledgeBase(
                admin_service_pb2.ReloadKnowledgeBaseRequest(),
                metadata=auth, timeout=30)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.ABORTED or time.time() > deadline:
                raise
            time.sleep(0.05)


class ServerEndToEndTest(unittest.TestCase):

    def test_help_documents_every_flag(self):
        out = subprocess.run([fgtest.FACTGRAPHD, "--help"], capture_output=True,
                             text=True, timeout=30)
        text = out.stdout + out.stderr
        for flag in ("listen", "port_file", "seeds", "snapshot", "max_page_size",
                     "admin_token_file", "tls_cert_file", "tls_key_file",
                     "tls_client_ca_file", "access_log", "max_connection_age",
                     "shutdown_grace"):
            self.assertIn("--" + flag, text)

    def test_info_carries_snapshot_id_in_metadata(self):
        with fgtest.running_server() as server:
            stub = fg_grpc.FactGraphServiceStub(server.channel())
            info, call = stub.GetKnowledgeBaseInfo.with_call(
                fg.GetKnowledgeBaseInfoRequest(), timeout=10)
            self.assertEqual(snapshot_id(call), info.snapshot_id)
            self.assertEqual(len(info.snapshot_id), 32)
            self.assertEqual(info.counts["documents"], 5)
            self.assertGreaterEqual(info.counts["institutions"], 55)

    def test_missing_entity_is_not_found(self):
        with fgtest.running_server() as server:
            stub = fg_grpc.FactGraphServiceStub(server.channel())
            with self.assertRaises(grpc.RpcError) as caught:
                stub.GetInstitution(fg.GetInstitutionRequest(name="institutions/nope"),
                                    timeout=10)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
            self.assertIn("institutions/nope", caught.exception.details())

    def test_health_watch_sees_serving_then_not_serving_on_sigterm(self):
        with fgtest.running_server() as server:
            health = health_pb2_grpc.HealthStub(server.channel())
            self.assertEqual(
                health.Check(health_pb2.HealthCheckRequest(), timeout=10).status,
                health_pb2.HealthCheckResponse.SERVING)
            self.assertEqual(
                health.Check(health_pb2.HealthCheckRequest(
                    service="factgraph.v1.FactGraphService"), timeout=10).status,
                health_pb2.HealthCheckResponse.SERVING)
            stream = health.Watch(health_pb2.HealthCheckRequest(), timeout=30)
            self.assertEqual(next(stream).status, health_pb2.HealthCheckResponse.SERVING)
            server.signal(signal.SIGTERM)
            self.assertEqual(next(stream).status,
                             health_pb2.HealthCheckResponse.NOT_SERVING)
            self.assertEqual(server.wait(), 0)

    def test_sigterm_lets_calls_in_flight_finish_then_exits_zero(self):
        with fgtest.running_server("--shutdown_grace=20s") as server:
            stub = fg_grpc.FactGraphServiceStub(server.channel())
            info = stub.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(), timeout=10)
            # A stream read slowly is in flight when the signal arrives.
            stream = stub.QueryFacts(fg.QueryFactsRequest(), timeout=60)
            received = len(next(stream).facts)
            server.signal(signal.SIGTERM)
            time.sleep(0.5)
            for response in stream:
                received += len(response.facts)
                time.sleep(0.01)
            self.assertEqual(stream.code(), grpc.StatusCode.OK)
            self.assertEqual(received, info.fact_count)
            self.assertEqual(server.wait(), 0)
            self.assertIn("stopped", server.stderr())

    def test_reload_under_load_fails_no_call_and_mixes_no_snapshots(self):
        seeds = fgtest.copy_seeds()
        extra = os.path.join(seeds, "kb", "zz_e2e_extra.textproto")
        with fgtest.running_server(seeds=seeds, admin_token="e2e-token") as server:
            channel = server.channel()
            stub = fg_grpc.FactGraphServiceStub(channel)
            admin = admin_service_pb2_grpc.AdminServiceStub(channel)
            auth = (("authorization", "Bearer e2e-token"),)
            # Institution count per snapshot id, learned from Info.
            counts = {}

            def learn():
                info = stub.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(),
                                                 timeout=10)
                counts[info.snapshot_id] = info.counts["institutions"]

            learn()
            failures, checked = [], [0]
            stop = threading.Event()

            def hammer():
                while not stop.is_set():
                    try:
                        response, call = stub.ListInstitutions.with_call(
                            fg.ListInstitutionsRequest(page_size=5), timeout=10)
                        checked[0] += 1
                        observed = (snapshot_id(call), response.total_size)
                        if observed[0] in counts and counts[observed[0]] != observed[1]:
                            failures.append("mixed snapshot: %r" % (observed,))
                        stub.GetInstitution(
                            fg.GetInstitutionRequest(name="institutions/kaist"), timeout=10)
                    except grpc.RpcError as error:
                        failures.append("%s %s" % (error.code(), error.details()))

            threads = [threading.Thread(target=hammer) for _ in range(4)]
            for thread in threads:
                thread.start()
            try:
                deadline = time.time() + 4
                toggle = 0
                while time.time() < deadline:
                    toggle += 1
                    if toggle % 2:
                        with open(extra, "w") as f:
                            f.write(EXTRA_INSTITUTION)
                    elif os.path.exists(extra):
                        os.remove(extra)
                    if toggle % 3 == 0:
                        server.signal(signal.SIGHUP)
                        time.sleep(0.1)
                    else:
                        reload_when_idle(admin, auth)
                    learn()
                    time.sleep(0.1)
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
            self.assertEqual(failures, [])
            self.assertGreater(checked[0], 20)
            self.assertEqual(len(counts), 2, counts)

    def test_invalid_knowledge_base_is_refused_and_old_snapshot_keeps_serving(self):
        seeds = fgtest.copy_seeds()
        with fgtest.running_server(seeds=seeds, admin_token="t0k3n") as server:
            channel = server.channel()
            stub = fg_grpc.FactGraphServiceStub(channel)
            before = stub.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(),
                                               timeout=10).snapshot_id
            with open(os.path.join(seeds, "kb", "zz_broken.textproto"), "w") as f:
                f.write('institutions {\n  name: "institutions/kaist"\n  bogus: 1\n}\n')
            admin = admin_service_pb2_grpc.AdminServiceStub(channel)
            with self.assertRaises(grpc.RpcError) as caught:
                admin.ReloadKnowledgeBase(admin_service_pb2.ReloadKnowledgeBaseRequest(),
                                          metadata=(("authorization", "Bearer t0k3n"),),
                                          timeout=30)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
            self.assertIn("kb/zz_broken.textproto:3:", caught.exception.details())
            server.signal(signal.SIGHUP)
            time.sleep(0.5)
            self.assertIn("reload refused", server.stderr())
            after = stub.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(),
                                              timeout=10).snapshot_id
            self.assertEqual(after, before)
            health = health_pb2_grpc.HealthStub(channel)
            self.assertEqual(health.Check(health_pb2.HealthCheckRequest(), timeout=10).status,
                             health_pb2.HealthCheckResponse.SERVING)

    def test_invalid_seeds_at_start_exit_nonzero_listing_every_error(self):
        seeds = fgtest.copy_seeds()
        with open(os.path.join(seeds, "kb", "zz_broken.textproto"), "w") as f:
            f.write('institutions {\n  name: "institutions/kaist"\n}\n'
                    'people {\n  name: "people/x"\n  roles { institution { name: "institutions/none" } }\n}\n')
        out = subprocess.run([fgtest.FACTGRAPHD, "--listen=127.0.0.1:0", "--seeds=" + seeds],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 1)
        self.assertIn("kb/zz_broken.textproto:2:", out.stderr)
        self.assertIn("kb/zz_broken.textproto:6:", out.stderr)

    def test_admin_service_requires_the_token(self):
        with fgtest.running_server(admin_token="right") as server:
            admin = admin_service_pb2_grpc.AdminServiceStub(server.channel())
            request = admin_service_pb2.ReloadKnowledgeBaseRequest()
            for metadata in ((), (("authorization", "Bearer wrong"),),
                             (("authorization", "right"),)):
                with self.assertRaises(grpc.RpcError) as caught:
                    admin.ReloadKnowledgeBase(request, metadata=metadata, timeout=10)
                self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
            response = admin.ReloadKnowledgeBase(
                request, metadata=(("authorization", "Bearer right"),), timeout=30)
            self.assertFalse(response.changed)
            self.assertEqual(response.snapshot_id, response.previous_snapshot_id)

    def test_admin_service_is_not_offered_without_a_token(self):
        with fgtest.running_server() as server:
            admin = admin_service_pb2_grpc.AdminServiceStub(server.channel())
            with self.assertRaises(grpc.RpcError) as caught:
                admin.ReloadKnowledgeBase(admin_service_pb2.ReloadKnowledgeBaseRequest(),
                                          metadata=(("authorization", "Bearer x"),),
                                          timeout=10)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.UNIMPLEMENTED)

    def test_access_log_has_one_line_per_call(self):
        log_path = os.path.join(tempfile.mkdtemp(prefix="factgraph-log-"), "access.log")
        with fgtest.running_server("--access_log=" + log_path) as server:
            stub = fg_grpc.FactGraphServiceStub(server.channel())
            stub.GetInstitution(fg.GetInstitutionRequest(name="institutions/kaist"), timeout=10)
            with self.assertRaises(grpc.RpcError):
                stub.GetInstitution(fg.GetInstitutionRequest(name="institutions/none"),
                                    timeout=10)
            with open(log_path) as log:
                lines = log.read().splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertRegex(lines[0], r"^\S+Z ipv4:127\.0\.0\.1:\d+ "
                         r"/factgraph\.v1\.FactGraphService/GetInstitution OK \d+us$")
        self.assertIn(" NOT_FOUND ", lines[1])


if __name__ == "__main__":
    unittest.main()
