"""End-to-end tests of the factgraph command against the real factgraphd:
every verb, tables and --json, and the exit codes of failures (the gRPC
status code; 64 for usage errors), each error one line on stderr."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from factgraphd_process import FACTGRAPH_CLI, FACTGRAPHD, SEEDS_DIR, Factgraphd, closed_port

TOKEN = "cli-e2e-token"


def run(*args, env=None):
    """(exit code, stdout, stderr) of `factgraph args...`."""
    result = subprocess.run([FACTGRAPH_CLI] + list(args), capture_output=True, text=True,
                            timeout=120, env=env)
    return result.returncode, result.stdout, result.stderr


def table_rows(stdout):
    """The rows of a table as lists of cells (columns are separated by two
    or more spaces), without the header."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    return [re.split(r"  +", line.strip()) for line in lines[1:]]


BROKEN_INSTITUTION = ("# A quote that no document contains.\n"
                      "institutions {\n"
                      "  name: \"institutions/zz-broken\"\n"
                      "  display_name: \"Broken\"\n"
                      "  kind: INSTITUTION_KIND_COMPANY\n"
                      "  citations {\n"
                      "    document: \"documents/ku-kaist-symposium\"\n"
                      "    quote: \"words that the article never says\"\n"
                      "    field_paths: [\"display_name\", \"kind\"]\n"
                      "  }\n"
                      "}\n")


def copy_of_seeds():
    """A private copy of the real seeds that a test may break."""
    seeds = os.path.join(tempfile.mkdtemp(prefix="factgraph-seeds-"), "seeds")
    shutil.copytree(SEEDS_DIR, seeds)
    return seeds


class CliTestBase(unittest.TestCase):
    """One server with the real seeds and an admin token for the class."""

    @classmethod
    def setUpClass(cls):
        cls.server = Factgraphd(admin_token=TOKEN)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def fg(self, *args):
        return run("--server=" + self.server.target, *args)

    def fg_ok(self, *args):
        code, out, err = self.fg(*args)
        self.assertEqual(code, 0, "factgraph %s failed: %s" % (" ".join(args), err))
        self.assertEqual(err, "")
        return out

    def fg_json(self, *args):
        return json.loads(self.fg_ok(*args, "--json"))

    def assertFails(self, expected_code, args, stderr_prefix, server=True):
        code, out, err = self.fg(*args) if server else run(*args)
        self.assertEqual(code, expected_code, err)
        self.assertEqual(out, "")
        self.assertEqual(err.count("\n"), 1, "not one line: %r" % err)
        self.assertTrue(err.startswith(stderr_prefix), err)
        return err


class ResourceVerbsTest(CliTestBase):

    def test_get_prints_fields_as_a_table(self):
        rows = dict((row[0], row[1]) for row in table_rows(self.fg_ok("get", "institutions/kaist"))
                    if len(row) == 2)
        self.assertEqual(rows["name"], "institutions/kaist")
        self.assertEqual(rows["display_name"], "KAIST")
        self.assertEqual(rows["kind"], "INSTITUTION_KIND_UNIVERSITY")
        self.assertIn("카이스트", rows.values())
        self.assertTrue(rows["citations[0]"].startswith("documents/"), rows["citations[0]"])

    def test_get_json_is_the_resource(self):
        kaist = self.fg_json("get", "institutions/kaist")
        self.assertEqual(kaist["name"], "institutions/kaist")
        self.assertEqual(kaist["displayName"], "KAIST")
        self.assertEqual(kaist["kind"], "INSTITUTION_KIND_UNIVERSITY")
        self.assertIn("카이스트", kaist["aliases"])

    def test_get_person_roles(self):
        person = self.fg_json("get", "people/lee-kwang-hyung")
        institutions = [role["institution"]["name"] for role in person["roles"]]
        self.assertIn("institutions/kaist", institutions)

    def test_get_missing_is_not_found_exit_5(self):
        err = self.assertFails(5, ["get", "institutions/no-such-place"],
                               "factgraph get: NOT_FOUND: ")
        # The google.rpc details follow the message.
        self.assertEqual(err, "factgraph get: NOT_FOUND: institutions/no-such-place not found "
                              "[reason=RESOURCE_NOT_FOUND resource=factgraph.dev/Institution "
                              "institutions/no-such-place]\n")

    def test_get_without_collection_is_usage_error(self):
        self.assertFails(64, ["get", "kaist"],
                         "factgraph get: \"kaist\" is not a resource name such as "
                         "institutions/kaist; to find one, run: factgraph search kaist")
        self.assertFails(64, ["get", "colleges/x"],
                         "factgraph get: \"colleges\" is not a collection; collections: "
                         "institutions, people, agreements, projects, fundings, events, "
                         "statistics, documents, statements")

    def test_list_all_follows_pages(self):
        info = self.fg_json("info")
        everything = self.fg_json("list", "institutions", "--all", "--page_size=7")
        names = [i["name"] for i in everything["institutions"]]
        self.assertEqual(len(names), info["counts"]["institutions"])
        self.assertEqual(names, sorted(set(names)))
        self.assertNotIn("nextPageToken", everything)
        for collection in ("people", "agreements", "projects", "fundings", "events",
                           "statistics", "documents", "statements"):
            listed = self.fg_json("list", collection, "--all")
            self.assertEqual(len(listed.get(collection, [])), info["counts"][collection],
                             collection)

    def test_list_table_pages_with_the_printed_token(self):
        everything = [i["name"] for i in
                      self.fg_json("list", "institutions", "--all")["institutions"]]
        out = self.fg_ok("list", "institutions", "--page_size=2")
        lines = out.splitlines()
        self.assertEqual(lines[0].split()[:2], ["NAME", "DISPLAY"])
        self.assertEqual([row[0] for row in table_rows("\n".join(lines[:-1]))], everything[:2])
        footer = re.fullmatch(r"2 of (\d+) institutions; next page: --page_token=(\S+)",
                              lines[-1])
        self.assertIsNotNone(footer, lines[-1])
        self.assertEqual(int(footer.group(1)), len(everything))
        second = self.fg_json("list", "institutions", "--page_size=2",
                              "--page_token=" + footer.group(2))
        self.assertEqual([i["name"] for i in second["institutions"]], everything[2:4])

    def test_list_filter_and_order(self):
        universities = self.fg_json("list", "institutions", "--all",
                                    "--filter=kind = INSTITUTION_KIND_UNIVERSITY",
                                    "--order_by=name desc")["institutions"]
        names = [u["name"] for u in universities]
        self.assertIn("institutions/kaist", names)
        self.assertIn("institutions/korea-university", names)
        self.assertEqual(names, sorted(names, reverse=True))
        self.assertEqual({u["kind"] for u in universities}, {"INSTITUTION_KIND_UNIVERSITY"})

    def test_list_what_a_person_said_with_the_quotes(self):
        said = self.fg_json("list", "statements",
                            '--filter=speaker.name = "people/seo-hong-gwan"')
        self.assertEqual([s["name"] for s in said["statements"]],
                         ["statements/seo-hong-gwan-lead-intractable-cancer-treatment",
                          "statements/seo-hong-gwan-three-priorities"])
        self.assertEqual(said["totalSize"], 2)
        priorities = said["statements"][1]
        self.assertEqual(priorities["kind"], "STATEMENT_KIND_PLAN")
        self.assertEqual(priorities["speaker"]["displayName"], "Seo Hong-gwan")
        self.assertTrue(priorities["text"].startswith(
            "We aim to strengthen open research cooperation"))
        text_quotes = [c["quote"] for c in priorities["citations"] if "text" in c["fieldPaths"]]
        self.assertEqual(text_quotes, [priorities["text"]])
        self.assertEqual(priorities["citations"][0]["quote"],
                         "Seo Hong-gwan, Director of the National Cancer Center, said")
        # The table never cuts a resource name, however long.
        lim = '--filter=speaker.name = "people/lim-seok-hoon"'
        names = [s["name"] for s in self.fg_json("list", "statements", lim)["statements"]]
        lines = self.fg_ok("list", "statements", lim).splitlines()
        self.assertEqual(lines[0].split()[:3], ["NAME", "DISPLAY", "NAME"])
        self.assertEqual([row[0] for row in table_rows("\n".join(lines[:-1]))], names)
        self.assertTrue(all(name.startswith("statements/lim-seok-hoon-") for name in names))
        self.assertGreater(max(len(name) for name in names), 48)
        self.assertEqual(lines[-1], "2 statements")

    def test_list_errors(self):
        err = self.assertFails(3, ["list", "institutions", "--filter=no_such_field = 1"],
                               "factgraph list: INVALID_ARGUMENT: ")
        self.assertEqual(err, "factgraph list: INVALID_ARGUMENT: filter: unknown field "
                              "\"no_such_field\" of factgraph.v1.Institution at position 1 "
                              "[field=filter reason=INVALID_FILTER position=1]\n")
        err = self.assertFails(3, ["list", "institutions", "--page_size=-1"],
                               "factgraph list: INVALID_ARGUMENT: ")
        self.assertTrue(err.endswith(" [field=page_size reason=INVALID_ARGUMENT]\n"), err)
        self.assertFails(64, ["list", "institutions", "--page_size=ten"],
                         "factgraph list: --page_size takes an integer, not \"ten\"")
        self.assertFails(64, ["list", "colleges"], "factgraph list: \"colleges\" is not a "
                         "collection")

    def test_search_by_alias_and_korean(self):
        rows = table_rows(self.fg_ok("search", "Lee Kwang-hyung", "--type=people"))
        self.assertEqual(rows[0][0], "people/lee-kwang-hyung")
        hits = self.fg_json("search", "카이스트")["results"]
        self.assertEqual(hits[0]["entity"]["name"], "institutions/kaist")
        self.assertEqual(hits[0]["matchedText"], "카이스트")
        self.assertEqual(hits[0]["matchKind"], "MATCH_KIND_EXACT_ALIAS")
        self.assertFails(64, ["search", "x", "--type=colleges"],
                         "factgraph search: --type: \"colleges\" is not a collection")

    def test_search_shows_why_each_hit_matched(self):
        out = self.fg_ok("search", "Vuno business head", "--page_size=1")
        self.assertIn("1. people/lim-seok-hoon  MATCH_KIND_TEXT\n"
                      "   roles[0].title: [Head] of [Business]\n"
                      "   roles[0].institution.display_name: [Vuno]\n", out)
        self.assertIn("   display_name: KU [Anam] [Hospital~]\n",
                      self.fg_ok("search", "Anam Hospitl", "--page_size=1"))
        self.assertNotIn("Why they matched",
                         self.fg_ok("search", "kaist", "--brief"))

    def test_facts_by_subject_and_predicate(self):
        facts = self.fg_json("facts", "--subject=institutions/kaist",
                             "--predicate=display_name")["facts"]
        self.assertEqual(len(facts), 1)
        self.assertEqual(facts[0]["object"], {"stringValue": "KAIST"})
        self.assertEqual(facts[0]["path"], "display_name")
        self.assertTrue(facts[0]["citations"])
        all_about_kaist = self.fg_json("facts", "--subject=institutions/kaist")["facts"]
        out = self.fg_ok("facts", "--subject=institutions/kaist")
        self.assertEqual(out.splitlines()[-1], "%d facts" % len(all_about_kaist))
        self.assertEqual(table_rows(out)[0][:2], ["institutions/kaist", all_about_kaist[0]["path"]])
        self.assertIn(["institutions/kaist", "display_name", "KAIST"],
                      [row[:3] for row in table_rows(out)])
        limited = self.fg_json("facts", "--limit=3")["facts"]
        self.assertEqual(len(limited), 3)

    def test_facts_validates_names_and_predicates(self):
        self.assertFails(3, ["facts", "--subject=kaist"],
                         "factgraph facts: INVALID_ARGUMENT: subject: \"kaist\" is not a "
                         "resource name, expected \"{collection}/{id}\" "
                         "[field=subject reason=INVALID_NAME]")
        err = self.assertFails(3, ["facts", "--predicate=nonsense"],
                               "factgraph facts: INVALID_ARGUMENT: predicate: \"nonsense\" is "
                               "not a field path of any resource")
        self.assertTrue(err.endswith(" [field=predicate reason=INVALID_PREDICATE position=1]\n"),
                        err)
        self.assertFails(3, ["facts", "--subject=people/lee-kwang-hyung", "--predicate=kind"],
                         "factgraph facts: INVALID_ARGUMENT: predicate: unknown field \"kind\" "
                         "of factgraph.v1.Person at position 1")

    def test_facts_table_shows_the_quote(self):
        facts = self.fg_json("facts", "--subject=institutions/kaist",
                             "--predicate=display_name")["facts"]
        out = self.fg_ok("facts", "--subject=institutions/kaist", "--predicate=display_name")
        self.assertEqual(out.splitlines()[0].split(), ["SUBJECT", "PATH", "OBJECT", "KIND",
                                                       "SOURCES", "QUOTE"])
        shown = table_rows(out)[0][5]
        self.assertGreater(len(shown), 20)
        self.assertTrue(facts[0]["citations"][0]["quote"].startswith(shown.rstrip("…")), shown)

    def test_list_tables_fit_the_terminal_and_keep_names_whole(self):
        env = dict(os.environ, COLUMNS="80")
        for collection in ("institutions", "people", "agreements", "projects", "fundings",
                           "events", "statistics", "documents", "statements"):
            names = [r["name"] for r in
                     self.fg_json("list", collection, "--all").get(collection, [])]
            code, out, err = run("--server=" + self.server.target, "list", collection, "--all",
                                 env=env)
            self.assertEqual((code, err), (0, ""))
            lines = out.splitlines()
            self.assertEqual([line.split("  ")[0] for line in lines[1:-1]], names, collection)
            longest_name = max(len(name) for name in names)
            self.assertEqual(lines[0].split("  ")[0].rstrip(), "NAME")
            for line in lines:
                # Wider than the terminal only where a whole name needs it;
                # headers are never cut.
                self.assertLessEqual(len(line), max(80, longest_name + 2 + 12), line)
                self.assertNotIn("…", lines[0])
        agreements = self.fg_ok("list", "agreements", "--all")
        self.assertIn("PARTIES", agreements.splitlines()[0].split())
        statistics = self.fg_ok("list", "statistics", "--all").splitlines()[0].split()
        self.assertIn("UNIT", statistics)
        self.assertIn("TEXT", statistics)
        universities = self.fg_ok("list", "institutions", "--all",
                                  "--filter=kind = INSTITUTION_KIND_UNIVERSITY")
        kinds = {row[2] for row in table_rows("\n".join(universities.splitlines()[:-1]))}
        self.assertEqual(kinds, {"UNIVERSITY"})

    def test_batch_get_keeps_the_order_and_fails_whole(self):
        out = self.fg_ok("batch-get", "institutions/korea-university,institutions/kaist",
                         "--output=name")
        self.assertEqual(out, "institutions/korea-university\ninstitutions/kaist\n")
        rows = table_rows(self.fg_ok("batch-get", "people/lee-kwang-hyung"))
        self.assertEqual(rows[0][0], "people/lee-kwang-hyung")
        self.assertFails(5, ["batch-get", "institutions/kaist,institutions/nope"],
                         "factgraph batch-get: NOT_FOUND: names[1]: institutions/nope not found "
                         "[reason=RESOURCE_NOT_FOUND resource=factgraph.dev/Institution "
                         "institutions/nope]")
        self.assertFails(64, ["batch-get", "institutions/kaist,people/x"],
                         "factgraph batch-get: \"people/x\" is not in collection "
                         "\"institutions\"")

    def test_list_output_formats(self):
        names = [i["name"] for i in self.fg_json("list", "institutions", "--all")["institutions"]]
        self.assertEqual(self.fg_ok("list", "institutions", "--all", "--output=name"),
                         "".join(name + "\n" for name in names))
        wide = self.fg_ok("list", "agreements", "--all", "--output=wide").splitlines()[0].split()
        self.assertIn("DESCRIPTION", wide)
        self.assertEqual(json.loads(self.fg_ok("list", "institutions", "--output=json"))
                         ["institutions"][0]["name"], names[0])
        self.assertFails(64, ["list", "institutions", "--output=yaml"],
                         "factgraph list: --output is table, wide, json or name, not \"yaml\"")

    def test_facts_by_object_are_the_incoming_links(self):
        facts = self.fg_json("facts", "--object=institutions/kaist")["facts"]
        self.assertTrue(facts)
        for fact in facts:
            self.assertEqual(fact["object"]["entityValue"]["name"], "institutions/kaist")

    def test_info(self):
        info = self.fg_json("info")
        self.assertEqual(len(info["snapshotId"]), 32)
        self.assertEqual(info["counts"]["documents"], 5)
        out = self.fg_ok("info")
        self.assertIn("snapshot:  %s\n" % info["snapshotId"], out)
        self.assertIn("facts:     %s\n" % info["factCount"], out)
        self.assertIn("documents/ku-kaist-symposium", out)


class GraphVerbsTest(CliTestBase):

    def test_neighbors(self):
        neighbors = self.fg_json("neighbors", "people/lee-kwang-hyung")["neighbors"]
        self.assertIn("institutions/kaist", [n["entity"]["name"] for n in neighbors])
        self.assertEqual({n["distance"] for n in neighbors}, {1})
        deeper = self.fg_json("neighbors", "people/lee-kwang-hyung", "--depth=2")["neighbors"]
        self.assertGreater(len(deeper), len(neighbors))
        self.assertEqual({n["distance"] for n in deeper}, {1, 2})
        out = self.fg_ok("neighbors", "people/lee-kwang-hyung")
        self.assertEqual(out.splitlines()[-1], "%d neighbors" % len(neighbors))
        self.assertFails(5, ["neighbors", "people/nobody"], "factgraph neighbors: NOT_FOUND: ")
        self.assertFails(3, ["neighbors", "people/lee-kwang-hyung", "--depth=9"],
                         "factgraph neighbors: INVALID_ARGUMENT: ")

    def test_paths(self):
        paths = self.fg_json("paths", "institutions/kaist", "institutions/korea-university")
        self.assertTrue(paths["paths"])
        first = paths["paths"][0]
        self.assertEqual(first["entities"][0]["name"], "institutions/kaist")
        self.assertEqual(first["entities"][-1]["name"], "institutions/korea-university")
        self.assertEqual(len(first["links"]), len(first["entities"]) - 1)
        out = self.fg_ok("paths", "institutions/kaist", "institutions/korea-university")
        lines = out.splitlines()
        self.assertEqual(lines[0], "path 1 (%d link%s):" % (
            len(first["links"]), "" if len(first["links"]) == 1 else "s"))
        self.assertEqual(lines[1], "  institutions/kaist (KAIST)")
        self.assertRegex(lines[2], r"^  (<-\[[a-z_.]+\]-|-\[[a-z_.]+\]->) \S+")
        self.assertFails(5, ["paths", "institutions/kaist", "institutions/nowhere"],
                         "factgraph paths: NOT_FOUND: ")
        self.assertFails(64, ["paths", "institutions/kaist"], "factgraph paths: missing TO")

    def test_graph_dot_renders_with_graphviz(self):
        dot = self.fg_ok("graph")
        self.assertTrue(dot.startswith("digraph factgraph {\n"))
        self.assertIn('"institutions/kaist" [label="KAIST", shape=box', dot)
        self.assertRegex(dot, r'"people/lee-kwang-hyung" -> "institutions/kaist" \[label="[^"]*'
                              r'President')
        if shutil.which("dot"):
            svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True,
                                 timeout=120)
            self.assertEqual(svg.returncode, 0, svg.stderr)
            self.assertIn("<svg", svg.stdout)

    def test_graph_json_edges_join_known_nodes(self):
        graph = json.loads(self.fg_ok("graph", "--format=json"))
        names = {node["name"] for node in graph["nodes"]}
        self.assertIn("institutions/kaist", names)
        self.assertTrue(graph["edges"])
        for edge in graph["edges"]:
            self.assertIn(edge["from"], names)
            self.assertIn(edge["to"], names)
        relations = {edge["relation"] for edge in graph["edges"]}
        self.assertTrue({"role", "agreement", "funding"} <= relations, relations)
        self.assertEqual(json.loads(self.fg_ok("graph", "--json")), graph)
        self.assertFails(64, ["graph", "--format=svg"],
                         "factgraph graph: --format takes dot or json, not \"svg\"")


class AdminAndConnectionTest(CliTestBase):

    def test_reload_needs_the_token(self):
        self.assertFails(16, ["reload"], "factgraph reload: UNAUTHENTICATED: ")
        before = self.fg_json("info")["snapshotId"]
        out = self.fg_ok("reload", "--token_file=" + self.server.token_file)
        self.assertEqual(out, "reloaded: snapshot %s (unchanged)\n" % before)
        with tempfile.NamedTemporaryFile("w", suffix=".token") as wrong:
            wrong.write("not-the-token\n")
            wrong.flush()
            self.assertFails(16, ["reload", "--token_file=" + wrong.name],
                             "factgraph reload: UNAUTHENTICATED: ")
        self.assertFails(5, ["reload", "--token_file=/nonexistent/token"],
                         "factgraph reload: NOT_FOUND: --token_file: /nonexistent/token")

    def test_refused_reload_is_one_line_and_keeps_the_snapshot(self):
        seeds = copy_of_seeds()
        try:
            with Factgraphd(seeds=seeds, admin_token=TOKEN) as server:
                target = "--server=" + server.target
                before = json.loads(run("info", "--json", target)[1])["snapshotId"]
                with open(os.path.join(seeds, "kb", "zz_broken.textproto"), "w") as f:
                    f.write(BROKEN_INSTITUTION)
                code, out, err = run("reload", "--token_file=" + server.token_file, target)
                self.assertEqual(code, 9, err)
                self.assertEqual(out, "")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertTrue(err.startswith("factgraph reload: FAILED_PRECONDITION: "), err)
                self.assertRegex(err, r"kb/zz_broken\.textproto:\d+: ")
                self.assertEqual(json.loads(run("info", "--json", target)[1])["snapshotId"],
                                 before)
        finally:
            shutil.rmtree(os.path.dirname(seeds))

    def test_reload_without_admin_service_says_so(self):
        with Factgraphd() as server:
            code, out, err = run("reload", "--server=" + server.target,
                                 "--token_file=" + self.server.token_file)
            self.assertEqual(code, 12, err)
            self.assertEqual(err, "factgraph reload: UNIMPLEMENTED: %s does not serve "
                                  "factgraph.v1.AdminService: its operator started factgraphd "
                                  "without --admin_token_file, so the knowledge base can only be "
                                  "reloaded by SIGHUP\n" % server.target)

    def test_version(self):
        code, out, err = run("--version")
        self.assertEqual((code, err), (0, ""))
        self.assertRegex(out, r"^factgraph \d+\.\d+\.\d+( \(git [^)]+\))?\n$")
        server = subprocess.run([FACTGRAPHD, "--version"], capture_output=True, text=True,
                                timeout=60)
        self.assertEqual(server.returncode, 0, server.stderr)
        self.assertEqual(server.stdout, out.replace("factgraph ", "factgraphd ", 1))

    def test_deadline_exceeded_exit_4(self):
        self.assertFails(4, ["facts", "--timeout=1ns"], "factgraph facts: DEADLINE_EXCEEDED: ")

    def test_unreachable_server_is_unavailable_exit_14(self):
        self.assertFails(14, ["info", "--server=127.0.0.1:%d" % closed_port()],
                         "factgraph info: UNAVAILABLE: ", server=False)

    def test_server_from_environment(self):
        env = dict(os.environ, FACTGRAPH_SERVER=self.server.target)
        code, out, err = run("info", "--json", env=env)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(json.loads(out)["snapshotId"]), 32)

    def test_usage_errors_exit_64(self):
        code, out, err = run()
        self.assertEqual(code, 64)
        self.assertEqual(err, "factgraph: no verb given (run 'factgraph help' for usage)\n")
        self.assertFails(64, ["fetch"], "factgraph: unknown verb \"fetch\"", server=False)
        self.assertFails(64, ["info", "--timeout=soon"],
                         "factgraph info: --timeout takes a positive duration")
        self.assertFails(64, ["info", "--colour"], "factgraph info: unknown option --colour")

    def test_help(self):
        code, out, err = run("help")
        self.assertEqual((code, err), (0, ""))
        for verb in ("get NAME", "batch-get NAMES", "list COLLECTION", "search TEXT", "facts", "neighbors NAME",
                     "paths FROM TO", "graph", "info", "reload", "describe COLLECTION",
                     "validate DIR",
                     "compile DIR"):
            self.assertIn("\n  " + verb, out)
        # Each verb's summary is whole sentences, wrapped, never cut: the
        # words of its first sentence, as `help VERB` prints the summary.
        summaries = out.split("verbs:\n")[1].split("\n\nglobal options:")[0]
        entries = re.split(r"\n(?=  \S)", summaries)
        self.assertEqual(len(entries), 13)
        for entry in entries:
            for line in entry.splitlines():
                self.assertLessEqual(len(line), 80, line)
            verb = entry.split()[0]
            words = " ".join(entry.split("  ", 2)[-1].split())
            usage = " ".join(run("help", verb)[1].split("\n\n")[1].split())
            self.assertTrue(usage.startswith(words), (words, usage))
            self.assertTrue(words.endswith(".") or words == usage, words)
        code, out, err = run("list", "--help")
        self.assertEqual((code, err), (0, ""))
        self.assertTrue(out.startswith("usage: factgraph list COLLECTION [options]\n"))
        self.assertIn("--all", out)


class OfflineVerbsTest(unittest.TestCase):

    def test_validate_real_seeds_prints_coverage(self):
        code, out, err = run("validate", SEEDS_DIR)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.splitlines()[0].split(), ["collection", "resources", "facts"])
        self.assertIn("\ncitations: ", out)
        # The knowledge base's promise: every asserted field has a source.
        self.assertIn("\nfields without a citation: 0\n", out)

    def test_describe_lists_fields_with_their_comments(self):
        code, out, err = run("describe", "statistics")
        self.assertEqual((code, err), (0, ""))
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith("factgraph.v1.Statistic: Any stated figure"), lines[0])
        rows = {row[0]: row[1:] for row in table_rows("\n".join(lines[2:]))}
        self.assertEqual(rows["name"], ["string", "IDENTIFIER",
                                        "Resource name, \"statistics/{statistic}\"."])
        self.assertEqual(rows["unit"], ["string", "The unit: \"people\", \"percent\", "
                                        "\"years\", \"per year\", \"cases\"."])
        self.assertEqual(rows["citations"][0], "repeated Citation")
        self.assertEqual(run("describe", "colleges")[0], 64)

    def test_validate_json(self):
        code, out, err = run("validate", SEEDS_DIR, "--json")
        self.assertEqual((code, err), (0, ""))
        report = json.loads(out)
        self.assertEqual(report["resources"], sum(c["resources"] for c in report["collections"]))
        self.assertEqual(report["uncitedFields"], [])
        text = run("validate", SEEDS_DIR)[1]
        self.assertIn("\ncitations: %d\n" % report["citations"], text)

    def test_validate_reports_every_problem_with_its_location(self):
        seeds = copy_of_seeds()
        try:
            broken = os.path.join(seeds, "kb", "zz_broken.textproto")
            with open(broken, "w") as f:
                f.write(BROKEN_INSTITUTION)
            code, out, err = run("validate", seeds)
            self.assertEqual(code, 3, err)
            self.assertEqual(out, "")
            lines = err.splitlines()
            self.assertRegex(lines[0], r"^%s:\d+: .*quote" % re.escape(broken))
            self.assertEqual(lines[-1], "factgraph validate: INVALID_ARGUMENT: %d problem%s in %s"
                             % (len(lines) - 1, "" if len(lines) == 2 else "s", seeds))
            code, out, err = run("compile", seeds, "-o", os.path.join(seeds, "out.snap"))
            self.assertEqual(code, 3)
            self.assertFalse(os.path.exists(os.path.join(seeds, "out.snap")))
        finally:
            shutil.rmtree(os.path.dirname(seeds))

    def test_validate_missing_directory(self):
        code, out, err = run("validate", "/nonexistent/seeds")
        self.assertEqual(code, 3)
        self.assertEqual(err, "/nonexistent/seeds: not a directory\n"
                              "factgraph validate: INVALID_ARGUMENT: 1 problem in "
                              "/nonexistent/seeds\n")

    def test_compiled_snapshot_is_served_with_the_same_id(self):
        out_dir = tempfile.mkdtemp(prefix="factgraph-compile-")
        try:
            snapshot = os.path.join(out_dir, "kb.snapshot")
            code, out, err = run("compile", SEEDS_DIR, "-o", snapshot)
            self.assertEqual((code, err), (0, ""))
            printed = re.fullmatch(r"compiled (\d+) resources, (\d+) facts into (.+) "
                                   r"\(snapshot ([0-9a-f]{32})\)\n", out)
            self.assertIsNotNone(printed, out)
            self.assertEqual(printed.group(3), snapshot)
            with Factgraphd("--snapshot=" + snapshot, seeds=None) as server:
                info = json.loads(run("info", "--json", "--server=" + server.target)[1])
                self.assertEqual(info["snapshotId"], printed.group(4))
                self.assertEqual(int(info["factCount"]), int(printed.group(2)))
                self.assertEqual(sum(info["counts"].values()), int(printed.group(1)))
            self.assertEqual(run("compile", SEEDS_DIR)[0], 64)
        finally:
            shutil.rmtree(out_dir)


class TlsTest(unittest.TestCase):
    """TLS and mutual TLS with certificates made for the test by openssl."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="factgraph-tls-")

        def path(name):
            return os.path.join(cls.dir, name)

        def openssl(*args):
            subprocess.run(["openssl"] + list(args), check=True, capture_output=True,
                           timeout=60)

        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=factgraph-test-ca", "-keyout", path("ca.key"),
                "-out", path("ca.pem"))
        for name, subject in (("server", "/CN=localhost"), ("client", "/CN=factgraph-client")):
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                    "-keyout", path(name + ".key"), "-out", path(name + ".csr"))
            with open(path(name + ".ext"), "w") as f:
                f.write("subjectAltName=DNS:localhost\n" if name == "server"
                        else "extendedKeyUsage=clientAuth\n")
            openssl("x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"),
                    "-CAkey", path("ca.key"), "-CAcreateserial", "-days", "2",
                    "-extfile", path(name + ".ext"), "-out", path(name + ".pem"))
        cls.path = staticmethod(path)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_tls(self):
        p = self.path
        with Factgraphd("--tls_cert_file=" + p("server.pem"),
                        "--tls_key_file=" + p("server.key")) as server:
            code, out, err = run("info", "--json", "--server=" + server.target,
                                 "--tls_ca_file=" + p("ca.pem"), "--tls_server_name=localhost")
            self.assertEqual(code, 0, err)
            self.assertEqual(len(json.loads(out)["snapshotId"]), 32)
            code, out, err = run("info", "--server=" + server.target)
            self.assertEqual(code, 14, err)
            self.assertIn(" serves TLS, pass --tls, --tls_ca_file or --tls_server_name)", err)

    def test_mutual_tls(self):
        p = self.path
        with Factgraphd("--tls_cert_file=" + p("server.pem"), "--tls_key_file=" + p("server.key"),
                        "--tls_client_ca_file=" + p("ca.pem")) as server:
            base = ["get", "institutions/kaist", "--json", "--server=" + server.target,
                    "--tls_ca_file=" + p("ca.pem"), "--tls_server_name=localhost"]
            code, out, err = run(*base, "--tls_cert_file=" + p("client.pem"),
                                 "--tls_key_file=" + p("client.key"))
            self.assertEqual(code, 0, err)
            self.assertEqual(json.loads(out)["displayName"], "KAIST")
            code, out, err = run(*base)
            self.assertEqual(code, 14, err)
            code, out, err = run(*base, "--tls_cert_file=" + p("client.pem"))
            self.assertEqual(code, 64, err)


if __name__ == "__main__":
    unittest.main()
