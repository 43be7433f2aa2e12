"""The Python client (client/python) and its example against the real
factgraphd."""

import os
import subprocess
import sys
import unittest

from factgraphd_process import SOURCE_DIR, Factgraphd

PYTHON_CLIENT_DIR = os.path.join(SOURCE_DIR, "client", "python")
sys.path.insert(0, PYTHON_CLIENT_DIR)

import grpc  # noqa: E402
from factgraph_client import FactGraphClient, error_details, value_text  # noqa: E402
from google.rpc import error_details_pb2  # noqa: E402

TOKEN = "python-client-token"


class PythonClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Factgraphd(admin_token=TOKEN)
        cls.client = FactGraphClient(cls.server.target)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.stop()

    def test_get_and_snapshot_id(self):
        kaist = self.client.get("institutions/kaist")
        self.assertEqual(kaist.display_name, "KAIST")
        self.assertIn("카이스트", kaist.aliases)
        self.assertEqual(self.client.snapshot_id, self.client.info().snapshot_id)
        self.assertEqual(len(self.client.snapshot_id), 32)

    def test_list_all_pages_match_one_big_page(self):
        paged = [p.name for p in self.client.list_all("people", page_size=3)]
        whole = self.client.list("people", page_size=1000)
        self.assertEqual(paged, [p.name for p in whole.people])
        self.assertEqual(len(paged), whole.total_size)
        self.assertEqual(len(paged), self.client.info().counts["people"])
        self.assertIn("people/lee-kwang-hyung", paged)

    def test_filter(self):
        universities = list(self.client.list_all(
            "institutions", filter="kind = INSTITUTION_KIND_UNIVERSITY"))
        names = {u.name for u in universities}
        self.assertTrue({"institutions/kaist", "institutions/korea-university"} <= names)

    def test_what_a_person_said(self):
        said = self.client.list("statements", filter='speaker.name = "people/lim-seok-hoon"')
        self.assertEqual([s.name for s in said.statements],
                         ["statements/lim-seok-hoon-government-support-for-fda-approvals",
                          "statements/lim-seok-hoon-penetrate-us-and-european-markets"])
        call = said.statements[0]
        self.assertEqual(call.speaker_title, "Head of Business")
        self.assertIn(call.text, [c.quote for c in call.citations][1])

    def test_search_facts_neighbors_paths(self):
        results = self.client.search("Lee Kwang-hyung", collections=["people"])
        self.assertEqual(results[0].entity.name, "people/lee-kwang-hyung")
        facts = list(self.client.facts(subject="institutions/kaist", predicate="display_name"))
        self.assertEqual([value_text(f.object) for f in facts], ["KAIST"])
        neighbors = self.client.neighbors("people/lee-kwang-hyung")
        self.assertIn("institutions/kaist", [n.entity.name for n in neighbors])
        paths = self.client.paths("institutions/kaist", "institutions/korea-university")
        self.assertEqual(paths[0].entities[0].name, "institutions/kaist")
        self.assertEqual(paths[0].entities[-1].name, "institutions/korea-university")

    def test_errors_carry_the_grpc_status(self):
        with self.assertRaises(grpc.RpcError) as missing:
            self.client.get("institutions/no-such-place")
        self.assertEqual(missing.exception.code(), grpc.StatusCode.NOT_FOUND)
        self.assertEqual(missing.exception.details(), "institutions/no-such-place not found")
        info, resource = error_details(missing.exception)
        self.assertEqual((info.reason, info.domain), ("RESOURCE_NOT_FOUND", "factgraph.dev"))
        self.assertEqual((resource.resource_type, resource.resource_name),
                         ("factgraph.dev/Institution", "institutions/no-such-place"))
        with self.assertRaises(grpc.RpcError) as bad_filter:
            self.client.list("institutions", filter='display_name = "x" AND no_such_field = 1')
        self.assertEqual(bad_filter.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        bad_request, info = error_details(bad_filter.exception)
        self.assertEqual([v.field for v in bad_request.field_violations], ["filter"])
        self.assertEqual((info.reason, info.metadata["position"]), ("INVALID_FILTER", "24"))
        with self.assertRaises(grpc.RpcError) as anonymous:
            self.client.reload()
        self.assertEqual(anonymous.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        [info] = error_details(anonymous.exception)
        self.assertIsInstance(info, error_details_pb2.ErrorInfo)
        self.assertEqual(info.reason, "UNAUTHENTICATED")
        with self.assertRaises(ValueError):
            self.client.get("colleges/x")

    def test_reload_with_token(self):
        with FactGraphClient(self.server.target, token=TOKEN) as admin:
            before = admin.info().snapshot_id
            reloaded = admin.reload()
            self.assertEqual(reloaded.snapshot_id, before)
            self.assertFalse(reloaded.changed)

    def test_example_runs(self):
        result = subprocess.run([sys.executable, os.path.join(PYTHON_CLIENT_DIR, "example.py"),
                                 self.server.target],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        kaist = self.client.get("institutions/kaist")
        self.assertEqual(lines[0], "institutions/kaist: KAIST (%s)" % ", ".join(kaist.aliases))
        self.assertEqual(lines[1], "snapshot: " + self.client.info().snapshot_id)
        self.assertIn("search: people/lee-kwang-hyung Lee Kwang-hyung", lines)
        self.assertEqual(lines[-1], "missing: NOT_FOUND: institutions/no-such-place not found "
                         "[reason=RESOURCE_NOT_FOUND resource=factgraph.dev/Institution "
                         "institutions/no-such-place]")


if __name__ == "__main__":
    unittest.main()
