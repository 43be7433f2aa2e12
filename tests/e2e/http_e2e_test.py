"""The HTTP/JSON listener of the real factgraphd, driven by curl: every public
method answers what its gRPC call answers (the same JSON as protobuf's JSON
mapping of the gRPC response), every error class has its HTTP status and a
google.rpc.Status body, limits, deadlines, CORS on and off, the admin token,
the access log and metrics (docs/http.md)."""

import json
import os
import subprocess
import tempfile
import unittest
import urllib.request

import fgtest
from fgtest import factgraph_service_pb2 as fg
from fgtest import factgraph_service_pb2_grpc as fg_grpc
from google.protobuf import json_format

ADMIN_TOKEN = "http-e2e-token"


class Curl:
    """curl against one server's HTTP port; returns (status, headers, body)."""

    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port

    def __call__(self, path, *args, method=None):
        command = ["curl", "-sS", "-D", "-", "-o", "-", "--max-time", "30"]
        if method:
            command += ["-X", method]
        command += list(args) + [self.base + path]
        out = subprocess.run(command, capture_output=True, timeout=60, check=True).stdout
        head, _, body = out.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, body.decode()


def grpc_json(message):
    return json.loads(json_format.MessageToJson(message))


class HttpEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="factgraph-http-e2e-")
        cls.access_log = os.path.join(cls.work, "access.log")
        port_file = os.path.join(cls.work, "http_port")
        monitoring_port_file = os.path.join(cls.work, "monitoring_port")
        cls.server = fgtest.Server(
            "--http_listen=127.0.0.1:0", "--http_port_file=" + port_file,
            "--monitoring_listen=127.0.0.1:0",
            "--monitoring_port_file=" + monitoring_port_file,
            "--access_log=" + cls.access_log, "--http_max_request_bytes=4096",
            admin_token=ADMIN_TOKEN)
        with open(port_file) as f:
            cls.http_port = int(f.read())
        with open(monitoring_port_file) as f:
            cls.monitoring_port = int(f.read())
        cls.curl = Curl(cls.http_port)
        cls.channel = cls.server.channel()
        cls.stub = fg_grpc.FactGraphServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.stop()

    def get_json(self, path, *args):
        status, headers, body = self.curl(path, *args)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "application/json")
        return json.loads(body)

    def test_curl_gets_the_institution(self):
        out = subprocess.run(["curl", "-s", "localhost:%d/v1/institutions/kaist" % self.http_port],
                             capture_output=True, text=True, timeout=30, check=True).stdout
        institution = json.loads(out)
        self.assertEqual(institution["name"], "institutions/kaist")
        self.assertEqual(institution["displayName"],
                         self.stub.GetInstitution(
                             fg.GetInstitutionRequest(name="institutions/kaist")).display_name)

    def test_every_standard_method_answers_as_grpc(self):
        names = {
            "Institution": ("institutions", "institutions/kaist"),
            "Person": ("people", "people/lee-kwang-hyung"),
            "Agreement": ("agreements", "agreements/ncc-kaist-mutual-cooperation"),
            "Project": ("projects", "projects/kaist-physician-scientist-training"),
            "Funding": ("fundings", "fundings/arpa-h-frailty-project"),
            "Event": ("events", "events/kim-hak-jun-interview"),
            "Statistic": ("statistics", "statistics/korea-related-fund-size-ratio"),
            "Document": ("documents", "documents/ncc-kaist-agreement"),
            "Statement": ("statements", "statements/seo-hong-gwan-three-priorities"),
        }
        plural = {"Person": "People", "Statistic": "Statistics"}
        for resource, (collection, name) in names.items():
            resources = plural.get(resource, resource + "s")
            with self.subTest(resource=resource):
                got = self.get_json("/v1/" + name)
                want = getattr(self.stub, "Get" + resource)(
                    getattr(fg, "Get%sRequest" % resource)(name=name))
                self.assertEqual(got, grpc_json(want))

                got = self.get_json("/v1/%s?page_size=3&order_by=name+desc" % collection)
                want = getattr(self.stub, "List" + resources)(
                    getattr(fg, "List%sRequest" % resources)(page_size=3, order_by="name desc"))
                self.assertEqual(got, grpc_json(want))
                self.assertEqual(len(got[collection if collection != "people" else "people"]), 3)
                # The next page, by the token the first one returned.
                token = got["nextPageToken"]
                got = self.get_json("/v1/%s?page_size=3&order_by=name+desc&page_token=%s"
                                    % (collection, urllib.request.quote(token, safe="")))
                want = getattr(self.stub, "List" + resources)(
                    getattr(fg, "List%sRequest" % resources)(page_size=3, order_by="name desc",
                                                             page_token=token))
                self.assertEqual(got, grpc_json(want))

                other = next(r["name"] for r in grpc_json(want)[collection] if r["name"] != name)
                got = self.get_json("/v1/%s:batchGet?names=%s&names=%s" % (collection, other, name))
                want = getattr(self.stub, "BatchGet" + resources)(
                    getattr(fg, "BatchGet%sRequest" % resources)(names=[other, name]))
                self.assertEqual(len(got[collection]), 2)
                self.assertEqual(got, grpc_json(want))

    def test_filter_search_graph_and_info_answer_as_grpc(self):
        cases = [
            ("/v1/institutions?filter=aliases:%22KAIST%22",
             self.stub.ListInstitutions, fg.ListInstitutionsRequest(filter='aliases:"KAIST"')),
            ("/v1/statements?filter=speaker.name%3D%22people/seo-hong-gwan%22",
             self.stub.ListStatements,
             fg.ListStatementsRequest(filter='speaker.name="people/seo-hong-gwan"')),
            ("/v1/entities:search?query=korea+univ&collections=institutions&page_size=4",
             self.stub.SearchEntities,
             fg.SearchEntitiesRequest(query="korea univ", collections=["institutions"],
                                      page_size=4)),
            ("/v1/institutions/kaist:neighbors?depth=2&max_results=7&predicates=parties",
             self.stub.ListNeighbors,
             fg.ListNeighborsRequest(name="institutions/kaist", depth=2, max_results=7,
                                     predicates=["parties"])),
            ("/v1/institutions/kaist:paths?to=institutions/moderna&max_paths=3",
             self.stub.FindPaths,
             fg.FindPathsRequest(**{"from": "institutions/kaist", "to": "institutions/moderna",
                                    "max_paths": 3})),
            ("/v1/knowledgeBase", self.stub.GetKnowledgeBaseInfo,
             fg.GetKnowledgeBaseInfoRequest()),
        ]
        for path, method, request in cases:
            with self.subTest(path=path):
                want = grpc_json(method(request))
                got = self.get_json(path)
                if "loadTime" in want:
                    self.assertEqual(got["snapshotId"], want["snapshotId"])
                self.assertEqual(got, want)
        # int64 as a string, per the JSON mapping.
        self.assertIsInstance(self.get_json("/v1/knowledgeBase")["factCount"], str)

    def test_query_facts_streams_ndjson(self):
        status, headers, body = self.curl("/v1/facts?subject=institutions/kaist&stated_only=true")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "application/x-ndjson")
        self.assertEqual(headers["transfer-encoding"], "chunked")
        lines = [json.loads(line) for line in body.splitlines()]
        want = [{"result": grpc_json(batch)} for batch in self.stub.QueryFacts(
            fg.QueryFactsRequest(subject="institutions/kaist", stated_only=True))]
        self.assertGreater(len(want), 0)
        self.assertEqual(lines, want)
        # Nothing matches: 200 and no line.
        status, _, body = self.curl("/v1/facts?subject=institutions/no-such-thing")
        self.assertEqual((status, body), (200, ""))

    def error(self, path, *args, method=None):
        status, headers, body = self.curl(path, *args, method=method)
        self.assertEqual(headers.get("content-type"), "application/json", body)
        return status, headers, json.loads(body)

    def test_errors_have_their_http_status_and_a_google_rpc_status(self):
        status, _, body = self.error("/v1/institutions/no-such")
        self.assertEqual(status, 404)
        self.assertEqual(body["code"], 5)
        self.assertIn("institutions/no-such", body["message"])
        types = [d["@type"] for d in body["details"]]
        self.assertIn("type.googleapis.com/google.rpc.ResourceInfo", types)
        self.assertIn("type.googleapis.com/google.rpc.ErrorInfo", types)

        # The same error as gRPC's, details and all.
        try:
            self.stub.ListInstitutions(fg.ListInstitutionsRequest(filter="kind = ("))
            self.fail("no error")
        except fgtest.grpc.RpcError as error:
            grpc_message = error.details()
        status, _, body = self.error("/v1/institutions?filter=kind+%3D+(")
        self.assertEqual(status, 400)
        self.assertEqual(body["code"], 3)
        self.assertEqual(body["message"], grpc_message)
        bad_request = [d for d in body["details"]
                       if d["@type"] == "type.googleapis.com/google.rpc.BadRequest"]
        self.assertEqual(bad_request[0]["fieldViolations"][0]["field"], "filter")

        status, _, body = self.error("/v1/institutions?page_size=many")
        self.assertEqual(status, 400)
        self.assertEqual(body["message"],
                         'query parameter "page_size": "many" is not a 32-bit integer')
        self.assertEqual(body["details"][0]["fieldViolations"][0]["field"], "page_size")

        status, _, body = self.error("/v1/institutions?colour=red")
        self.assertEqual((status, body["message"]),
                         (400, 'query parameter "colour": factgraph.v1.ListInstitutionsRequest '
                               'has no field "colour"'))

        status, _, body = self.error("/v1/no/such/path")
        self.assertEqual((status, body["code"]), (404, 5))
        self.assertEqual(body["details"][0]["reason"], "NO_SUCH_PATH")

        status, headers, body = self.error("/v1/institutions/kaist", method="DELETE")
        self.assertEqual((status, headers["allow"]), (405, "GET"))
        self.assertEqual(body["details"][0]["reason"], "METHOD_NOT_ALLOWED")

        status, _, body = self.error("/v1/institutions/kaist", "-d", "x" * 5000, method="GET")
        self.assertEqual((status, body["details"][0]["reason"]), (413, "REQUEST_TOO_LARGE"))

        status, _, body = self.error("/v1/knowledgeBase:reload", "-d", "{not json",
                                     "-H", "Authorization: Bearer " + ADMIN_TOKEN)
        self.assertEqual(status, 400)
        self.assertTrue(body["message"].startswith(
            "request body is not a JSON factgraph.v1.ReloadKnowledgeBaseRequest: "), body)

        # Deadlines: the whole fact stream takes several milliseconds, so one
        # of 1 ms passes before it ends: before its first batch (504) or
        # after (200, and the last line says so). A unary call's 504 would be
        # timing-bound; its mapping is in http_units_test.
        for args in (("/v1/facts?timeout=1ms",), ("/v1/facts", "-H", "X-Server-Timeout: 0.001")):
            status, _, body = self.curl(*args)
            if status == 504:  # Before the first batch.
                self.assertEqual(json.loads(body)["code"], 4)
            else:  # After it, with 200 already sent.
                self.assertEqual(status, 200)
                self.assertEqual(json.loads(body.splitlines()[-1]),
                                 {"error": {"code": 4, "message": "Deadline Exceeded"}})
        status, _, body = self.error("/v1/institutions/kaist?timeout=later")
        self.assertEqual((status, body["details"][0]["fieldViolations"][0]["field"]),
                         (400, "timeout"))
        self.assertEqual(self.get_json("/v1/institutions/kaist?timeout=5s")["name"],
                         "institutions/kaist")

        # OUT_OF_RANGE (a documented limit) is 400, as google.rpc.Code maps it.
        names = "&".join(["names=institutions/kaist"] * 1001)
        status, _, body = self.error("/v1/institutions:batchGet?" + names)
        self.assertEqual((status, body["code"]), (400, 11))

    def test_admin_reload_needs_the_token(self):
        status, _, body = self.error("/v1/knowledgeBase:reload", method="POST")
        self.assertEqual((status, body["code"]), (401, 16))
        status, _, body = self.error("/v1/knowledgeBase:reload", "-H",
                                     "Authorization: Bearer wrong", method="POST")
        self.assertEqual((status, body["code"]), (401, 16))
        status, _, body = self.curl("/v1/knowledgeBase:reload", "-H",
                                    "Authorization: Bearer " + ADMIN_TOKEN, method="POST")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["snapshotId"],
                         self.get_json("/v1/knowledgeBase")["snapshotId"])
        status, headers, _ = self.error("/v1/knowledgeBase:reload")
        self.assertEqual((status, headers["allow"]), (405, "POST"))

    def test_cors_is_off_by_default(self):
        status, headers, _ = self.curl("/v1/institutions/kaist", "-H", "Origin: https://x.example")
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)
        status, headers, _ = self.curl("/v1/institutions/kaist", "-H", "Origin: https://x.example",
                                       "-H", "Access-Control-Request-Method: GET",
                                       method="OPTIONS")
        self.assertEqual((status, headers["allow"]), (405, "GET"))

    def test_access_log_and_metrics_see_http_calls(self):
        self.get_json("/v1/people/lee-kwang-hyung")
        with open(self.access_log) as f:
            lines = [line for line in f if "/GetPerson " in line]
        self.assertTrue(any(" http:ipv4:127.0.0.1:" in line and " OK " in line
                            for line in lines), lines)
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.monitoring_port) as r:
            metrics = r.read().decode()
        ok = [line for line in metrics.splitlines()
              if line.startswith('factgraph_http_responses_total{code="200"}')]
        self.assertGreater(float(ok[0].split()[-1]), 0)
        self.assertIn('grpc_server_handled_total{grpc_service="factgraph.v1.FactGraphService",'
                      'grpc_method="GetPerson",grpc_type="unary",grpc_code="OK"}', metrics)


class HttpLimitsAndCorsTest(unittest.TestCase):

    def test_resource_exhausted_is_429_and_cors_answers_allowed_origins(self):
        work = tempfile.mkdtemp(prefix="factgraph-http-e2e-")
        port_file = os.path.join(work, "http_port")
        with fgtest.running_server("--http_listen=127.0.0.1:0", "--http_port_file=" + port_file,
                                   "--max_response_bytes=2048",
                                   "--http_cors_origins=https://app.example") as server:
            with open(port_file) as f:
                curl = Curl(int(f.read()))
            status, headers, body = curl("/v1/institutions?page_size=100")
            self.assertEqual(status, 429, body)
            self.assertEqual(json.loads(body)["code"], 8)

            status, headers, _ = curl("/v1/institutions/kaist", "-H", "Origin: https://app.example")
            self.assertEqual(status, 200)
            self.assertEqual(headers["access-control-allow-origin"], "https://app.example")
            self.assertEqual(headers["vary"], "Origin")
            status, headers, _ = curl("/v1/institutions/kaist", "-H", "Origin: https://evil.example")
            self.assertNotIn("access-control-allow-origin", headers)
            status, headers, _ = curl("/v1/institutions/kaist", "-H", "Origin: https://app.example",
                                      "-H", "Access-Control-Request-Method: GET",
                                      method="OPTIONS")
            self.assertEqual(status, 204)
            self.assertEqual(headers["access-control-allow-methods"], "GET")
            self.assertEqual(headers["access-control-allow-origin"], "https://app.example")
            self.assertIn("X-Server-Timeout", headers["access-control-allow-headers"])
            del server

    def test_http_listen_must_not_share_the_grpc_port(self):
        out = subprocess.run([fgtest.FACTGRAPHD, "--listen=127.0.0.1:50999",
                              "--http_listen=127.0.0.1:50999",
                              "--seeds=" + os.path.join(fgtest.SOURCE_DIR, "seeds")],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 1)
        self.assertIn("--http_listen 127.0.0.1:50999 must not share the port", out.stderr)


if __name__ == "__main__":
    unittest.main()
