"""grpcurl-style calls with `buf curl`, which knows the API only through the
server's reflection: the commands the README shows."""

import json
import os
import subprocess
import unittest

from factgraphd_process import SOURCE_DIR, Factgraphd

BUF = os.path.join(SOURCE_DIR, "tools", "node_modules", ".bin", "buf")


def buf_curl(*args):
    result = subprocess.run([BUF, "curl", "--protocol", "grpc", "--http2-prior-knowledge"]
                            + list(args), capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


class BufCurlTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(BUF):
            raise RuntimeError(BUF + " is missing: run scripts/setup.sh")
        cls.server = Factgraphd("--enable_channelz", admin_token="buf-curl-token")
        cls.url = "http://%s" % cls.server.target

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_list_services_and_methods_by_reflection(self):
        code, out, err = buf_curl("--list-services", self.url)
        self.assertEqual(code, 0, err)
        self.assertEqual(sorted(out.split()), [
            "factgraph.v1.AdminService", "factgraph.v1.FactGraphService",
            "grpc.channelz.v1.Channelz", "grpc.health.v1.Health",
            "grpc.reflection.v1alpha.ServerReflection"])
        code, out, err = buf_curl("--list-methods", self.url)
        self.assertEqual(code, 0, err)
        self.assertIn("factgraph.v1.FactGraphService/GetInstitution", out.split())
        self.assertIn("factgraph.v1.FactGraphService/QueryFacts", out.split())

    def test_admin_reload_by_reflection_with_the_bearer_token(self):
        url = self.url + "/factgraph.v1.AdminService/ReloadKnowledgeBase"
        code, out, err = buf_curl("-H", "authorization: Bearer buf-curl-token", url, "-d", "{}")
        self.assertEqual(code, 0, err)
        response = json.loads(out)
        self.assertEqual(response["snapshotId"], response["previousSnapshotId"])
        code, out, err = buf_curl(url, "-d", "{}")
        self.assertEqual(code, 16 * 8, err)
        self.assertEqual(json.loads(err)["code"], "unauthenticated")

    def test_channelz_by_reflection(self):
        code, out, err = buf_curl(self.url + "/grpc.channelz.v1.Channelz/GetServers",
                                  "-d", "{}")
        self.assertEqual(code, 0, err)
        servers = json.loads(out)["server"]
        self.assertEqual(len(servers), 1)
        self.assertGreater(int(servers[0]["data"]["callsStarted"]), 0)

    def test_reflection_describes_the_health_service(self):
        code, out, err = buf_curl("--list-methods", self.url)
        self.assertEqual(code, 0, err)
        self.assertIn("grpc.health.v1.Health/Watch", out.split())

    def test_get_institution(self):
        code, out, err = buf_curl(
            self.url + "/factgraph.v1.FactGraphService/GetInstitution",
            "-d", '{"name":"institutions/kaist"}')
        self.assertEqual(code, 0, err)
        institution = json.loads(out)  # the resource itself (AIP-131)
        self.assertEqual(institution["name"], "institutions/kaist")
        self.assertEqual(institution["displayName"], "KAIST")
        self.assertEqual(institution["kind"], "INSTITUTION_KIND_UNIVERSITY")

    def test_query_facts_stream(self):
        code, out, err = buf_curl(
            self.url + "/factgraph.v1.FactGraphService/QueryFacts",
            "-d", '{"subject":"institutions/kaist","predicate":"display_name"}')
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["facts"][0]["object"], {"stringValue": "KAIST"})

    def test_health_check(self):
        code, out, err = buf_curl(self.url + "/grpc.health.v1.Health/Check", "-d", "{}")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out), {"status": "SERVING"})

    def test_not_found(self):
        code, out, err = buf_curl(
            self.url + "/factgraph.v1.FactGraphService/GetInstitution",
            "-d", '{"name":"institutions/no-such-place"}')
        # buf curl exits with 8 times the status code: NOT_FOUND (5) gives 40.
        self.assertEqual(code, 40, err)
        self.assertEqual(out, "")
        error = json.loads(err)
        self.assertEqual((error["code"], error["message"]),
                         ("not_found", "institutions/no-such-place not found"))
        # The google.rpc error details (docs/errors.md), decoded by reflection.
        self.assertEqual([d["type"] for d in error["details"]],
                         ["google.rpc.ErrorInfo", "google.rpc.ResourceInfo"])


if __name__ == "__main__":
    unittest.main()
