"""The C++ example (client/cpp/example.cc) against the real factgraphd."""

import json
import os
import subprocess
import unittest

from factgraphd_process import FACTGRAPH_CLI, Factgraphd

CPP_EXAMPLE = os.environ.get("FACTGRAPH_CPP_EXAMPLE", "")


class CppExampleTest(unittest.TestCase):

    def test_example_output(self):
        with Factgraphd() as server:
            result = subprocess.run([CPP_EXAMPLE, server.target], capture_output=True,
                                    text=True, timeout=120)
            self.assertEqual(result.returncode, 0, result.stderr)
            info = json.loads(subprocess.run(
                [FACTGRAPH_CLI, "--server=" + server.target, "info", "--json"],
                capture_output=True, text=True, timeout=120, check=True).stdout)
            kaist = json.loads(subprocess.run(
                [FACTGRAPH_CLI, "--server=" + server.target, "get", "institutions/kaist",
                 "--json"], capture_output=True, text=True, timeout=120, check=True).stdout)
            universities = json.loads(subprocess.run(
                [FACTGRAPH_CLI, "--server=" + server.target, "list", "institutions", "--all",
                 "--filter=kind = INSTITUTION_KIND_UNIVERSITY", "--json"],
                capture_output=True, text=True, timeout=120, check=True).stdout)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "institutions/kaist: KAIST (%s)" % ", ".join(kaist["aliases"]))
        self.assertEqual(lines[1], "snapshot: " + info["snapshotId"])
        self.assertEqual(lines[2], "universities: " + " ".join(
            u["name"] for u in universities["institutions"]))
        self.assertTrue(lines[3].startswith("missing: NOT_FOUND "), lines[3])
        self.assertEqual(len(lines), 4)
        self.assertEqual(subprocess.run([CPP_EXAMPLE], capture_output=True,
                                        timeout=60).returncode, 64)


if __name__ == "__main__":
    unittest.main()
