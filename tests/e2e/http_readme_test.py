"""Runs every curl line of README's "HTTP/JSON" block against a real
factgraphd, so that the examples cannot drift from the server: each must
answer 200 with JSON (one object, or NDJSON lines for a stream)."""

import json
import os
import re
import shlex
import subprocess
import tempfile
import unittest

import fgtest

ADMIN_TOKEN = "readme-token"


def readme_curl_lines():
    with open(os.path.join(fgtest.SOURCE_DIR, "README.md")) as f:
        text = f.read()
    section = text.split("\n### HTTP/JSON\n", 1)[1].split("\n#", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line for block in blocks for line in block.splitlines()
            if line.startswith("curl ")]


class ReadmeHttpExamplesTest(unittest.TestCase):

    def test_every_readme_curl_example_answers(self):
        lines = readme_curl_lines()
        self.assertGreaterEqual(len(lines), 30)
        work = tempfile.mkdtemp(prefix="factgraph-readme-http-")
        port_file = os.path.join(work, "http_port")
        with open(os.path.join(work, "admin-token"), "w") as f:
            f.write(ADMIN_TOKEN + "\n")
        with fgtest.running_server("--http_listen=127.0.0.1:0", "--http_port_file=" + port_file,
                                   admin_token=ADMIN_TOKEN) as server:
            with open(port_file) as f:
                port = int(f.read())
            del server
            covered = set()
            for line in lines:
                with self.subTest(line=line):
                    command = line.replace("localhost:8080", "127.0.0.1:%d" % port)
                    command = command.replace("curl -s ", "curl -s -w '\\n%{http_code}' ", 1)
                    out = subprocess.run(["bash", "-c", command], cwd=work, capture_output=True,
                                         text=True, timeout=60)
                    body, _, status = out.stdout.rpartition("\n")
                    self.assertEqual(status, "200", body)
                    for part in body.splitlines():
                        self.assertIsInstance(json.loads(part), dict)
                    path = shlex.split(line)[-1].split("8080", 1)[1].split("?")[0]
                    covered.add(path.rsplit(":", 1)[1] if ":" in path else
                                "get" if path.count("/") == 3 else path.split("/")[2])
            # Each kind of mapping has its example.
            for kind in ("get", "institutions", "batchGet", "search", "facts", "neighbors",
                         "paths", "knowledgeBase", "reload"):
                self.assertIn(kind, covered)


if __name__ == "__main__":
    unittest.main()
