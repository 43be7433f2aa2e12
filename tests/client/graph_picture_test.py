"""docs/graph.svg, the README's picture, is `factgraph graph` of the real
seeds: the same nodes and edges that the command prints now."""

import html
import json
import os
import re
import subprocess
import unittest

from factgraphd_process import FACTGRAPH_CLI, SOURCE_DIR, Factgraphd

PICTURE = os.path.join(SOURCE_DIR, "docs", "graph.svg")


def picture_nodes_and_edges(svg):
    """Graphviz writes each node's id and each edge's "from->to" as <title>."""
    nodes, edges = set(), set()
    for kind, title in re.findall(r'class="(node|edge)">\s*<title>([^<]*)</title>', svg):
        title = html.unescape(title)
        if kind == "node":
            nodes.add(title)
        else:
            edges.add(tuple(title.split("->", 1)))
    return nodes, edges


class GraphPictureTest(unittest.TestCase):

    def test_picture_shows_the_current_seeds(self):
        with Factgraphd() as server:
            result = subprocess.run([FACTGRAPH_CLI, "--server=" + server.target, "graph",
                                     "--format=json"], capture_output=True, text=True,
                                    timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        graph = json.loads(result.stdout)
        with open(PICTURE, encoding="utf-8") as f:
            nodes, edges = picture_nodes_and_edges(f.read())
        stale = "docs/graph.svg is out of date with seeds/; run client/render_graph.sh"
        self.assertEqual(nodes, {node["name"] for node in graph["nodes"]}, stale)
        self.assertEqual(edges, {(edge["from"], edge["to"]) for edge in graph["edges"]}, stale)


if __name__ == "__main__":
    unittest.main()
