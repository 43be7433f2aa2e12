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


@unittest.skipUnless(os.path.exists(BUF), "buf is not installed (scripts/setup.sh)")
class BufCurlTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Factgraphd()
        cls.url = "http://%s" % cls.server.target

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_list_services_and_methods_by_reflection(self):
        code, out, err = buf_curl("--list-services", self.url)
        self.assertEqual(code, 0, err)
        services = out.split()
        for service in ("factgraph.v1.FactGraphService", "grpc.health.v1.Health",
                        "grpc.reflection.v1alpha.ServerReflection"):
            self.assertIn(service, services)
        code, out, err = buf_curl("--list-methods", self.url)
        self.assertEqual(code, 0, err)
        self.assertIn("factgraph.v1.FactGraphService/GetInstitution", out.split())
        self.assertIn("factgraph.v1.FactGraphService/QueryFacts", out.split())

    def test_get_institution(self):
        code, out, err = buf_curl(
            self.url + "/factgraph.v1.FactGraphService/GetInstitution",
            "-d", '{"name":"institutions/kaist"}')
        self.assertEqual(code, 0, err)
        institution = json.loads(out)["institution"]
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
        self.assertEqual(json.loads(err), {"code": "not_found",
                                           "message": "institutions/no-such-place not found"})


if __name__ == "__main__":
    unittest.main()
