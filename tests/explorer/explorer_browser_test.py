"""The web explorer in a real browser: headless Chromium (devtools.py)
against the real factgraphd on the built-in seeds, through its HTTP/JSON
listener. Search, open an entity, follow a citation to its highlighted quote
(stated and curated), find a path, draw a neighbourhood — asserting on the
DOM with exact values from seeds/, and writing a screenshot of each page to
$SCREENSHOT_DIR (docs/explorer.md, "Tests").

Environment: FACTGRAPHD, FACTGRAPH_SOURCE_DIR, SCREENSHOT_DIR, CHROMIUM
(optional path).
"""

import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import factgraphd_process  # noqa: E402
import devtools  # noqa: E402

SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="explorer-shots-")

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")

# Where a view's rendering has finished for the current hash.
RENDERED = ("!!document.body && document.body.dataset.state === 'ready' && "
            "document.body.dataset.hash === location.hash")


class ExplorerBrowserTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        cls.dir = tempfile.mkdtemp(prefix="factgraph-explorer-test-")
        http_port_file = os.path.join(cls.dir, "http-port")
        cls.server = factgraphd_process.Factgraphd(
            "--http_listen=127.0.0.1:0", "--http_port_file=" + http_port_file)
        try:
            cls.base = "http://127.0.0.1:%d" % cls.server._wait_for_port(http_port_file)
            cls.browser = devtools.Browser()
        except Exception:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.server.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.browser.events.clear()

    def tearDown(self):
        self.assertEqual(self.browser.script_errors(), [], "script errors in the page")

    # --- helpers -----------------------------------------------------------

    def open(self, hash_route, state="ready"):
        """Loads the explorer afresh on a route and waits for it to render."""
        self.browser.navigate(self.base + "/" + hash_route)
        return self.wait_rendered(hash_route, state)

    def wait_rendered(self, hash_route=None, state="ready"):
        condition = RENDERED.replace("'ready'", json.dumps(state))
        if hash_route is not None:
            condition += " && location.hash === %s" % json.dumps(hash_route)
        self.browser.wait_for(condition, what="the view %s" % (hash_route or "to render"))

    def js(self, expression):
        return self.browser.evaluate(expression)

    def click(self, selector):
        found = self.js("(() => { const e = document.querySelector(%s); if (!e) return false;"
                        " e.click(); return true; })()" % json.dumps(selector))
        self.assertTrue(found, "nothing matches %s" % selector)

    def api(self, path):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return json.load(response)

    def api_facts(self, subject):
        with urllib.request.urlopen("%s/v1/facts?subject=%s" % (self.base, subject),
                                    timeout=10) as response:
            return [fact for line in response.read().decode().splitlines() if line.strip()
                    for fact in json.loads(line)["result"].get("facts", [])]

    def api_neighbors(self, name):
        """The neighbours' names as the REST API lists them."""
        with urllib.request.urlopen("%s/v1/%s:neighbors" % (self.base, name), timeout=10) as r:
            return [n["entity"]["name"] for n in json.load(r)["neighbors"]]

    def screenshot(self, name, until=None):
        """The viewport, or the page down to the bottom of the element `until`."""
        height = None
        if until:
            height = self.js("Math.ceil(document.querySelector(%s).getBoundingClientRect().bottom"
                             " + scrollY + 16)" % json.dumps(until))
        self.browser.screenshot(os.path.join(SCREENSHOT_DIR, name + ".png"), height)

    def texts(self, selector, root="document"):
        return self.js("Array.from(%s.querySelectorAll(%s), e => e.textContent)" %
                       (root, json.dumps(selector)))

    # --- tests -------------------------------------------------------------

    def test_search_highlights_the_matched_words(self):
        self.open("#/")
        self.assertEqual(len(self.texts(".documents li")), 5)
        self.screenshot("home")
        # By keyboard: the search box, typed into, submitted with Enter.
        self.js("document.getElementById('search-input').focus()")
        self.browser.type_text("KAIST")
        self.browser.press_enter()
        self.wait_rendered("#/search?q=KAIST")
        self.assertEqual(self.js("document.querySelector('h1').textContent"), "Search: KAIST")
        self.assertEqual(self.js("document.getElementById('result-count').textContent"),
                         "54 results")
        first = "document.querySelector('.result')"
        self.assertEqual(self.js(first + ".querySelector('.entity-link').getAttribute('href')"),
                         "#/entity/institutions/kaist")
        self.assertEqual(self.texts("dt", first),
                         ["display_name", "citations[0].quote", "citations[2].quote"])
        self.assertEqual(self.texts("dd", first), [
            "KAIST",
            "KU (President Kim Dong-one) and KAIST (President Lee Kwang-hyung) held a joint "
            "symposium",
            "The National Cancer Center and the Korea Advanced Institute of Science and "
            "Technology (KAIST) are strengthening their cooperation"])
        self.assertEqual(self.texts("mark", first), ["KAIST", "KAIST", "KAIST"])
        # The mark sits at the span's offsets: the words around it are unmarked.
        self.assertEqual(self.js(first + ".querySelectorAll('dd')[1].firstChild.textContent"),
                         "KU (President Kim Dong-one) and ")
        self.screenshot("search")

    def test_search_in_korean_highlights_code_point_offsets(self):
        self.open("#/search?q=" + "%ED%95%9C%EA%B5%AD%EA%B3%BC%ED%95%99%EA%B8%B0%EC%88%A0%EC%9B%90")
        first = "document.querySelector('.result')"
        self.assertEqual(self.js(first + ".querySelector('.entity-link').textContent"), "KAIST")
        self.assertEqual(self.texts("mark", first)[0], "한국과학기술원")

    def test_entity_page_shows_every_field_with_its_citations(self):
        # The page may stay loaded between tests (a route is a hash): count this view's fetches.
        self.js("performance.clearResourceTimings()")
        self.open("#/entity/institutions/kaist")
        self.assertEqual(self.js("document.querySelector('h1').textContent"), "KAIST")
        rows = self.js("""Array.from(document.querySelectorAll('table.fields tbody tr'), row => [
            row.dataset.path, row.querySelector('.value').textContent, row.className,
            Array.from(row.querySelectorAll('.sources a'), a => a.textContent)])""")
        self.assertEqual(rows, [
            ["display_name", "KAIST", "stated", ["[1]", "[4]"]],
            ["aliases[0]", "Korea Advanced Institute of Science and Technology", "stated",
             ["[3]"]],
            ["aliases[1]", "카이스트", "curated", ["[5] curated"]],
            ["aliases[2]", "한국과학기술원", "curated", ["[5] curated"]],
            ["kind", "INSTITUTION_KIND_UNIVERSITY", "stated", ["[2]"]],
        ])
        self.assertEqual(self.texts(".citations > li .badge"),
                         ["Stated", "Stated", "Stated", "Stated", "Curated"])
        self.assertEqual(self.texts(".citations > li.curated .note"), [
            "No article states it: Korean name of KAIST in Hangul, kept for search; the "
            "articles write no Korean names."])
        # Each stated quote highlighted in its sentence of the article, at its offsets, linked
        # to the article view; the curated citation (no article) keeps its note.
        item = "document.getElementById('citation-2')"
        self.assertEqual(self.js(item + ".querySelector('blockquote.in-context').textContent"),
                         "[Asia Economy Reporter Chunhee Lee] The National Cancer Center and the "
                         "Korea Advanced Institute of Science and Technology (KAIST) are "
                         "strengthening their cooperation to develop treatment technologies for "
                         "intractable cancers and to train medical scientists.")
        self.assertEqual(self.texts("mark", item), [
            "The National Cancer Center and the Korea Advanced Institute of Science and "
            "Technology (KAIST) are strengthening their cooperation"])
        self.assertEqual(self.js(item + ".querySelector('mark').className"), "quote stated")
        self.assertEqual(self.js(item + ".querySelector('a.quote-link').getAttribute('href')"),
                         "#/document/documents/ncc-kaist-agreement"
                         "?subject=institutions%2Fkaist&citation=2")
        self.assertEqual(self.js("document.querySelectorAll('.citations > li.stated"
                                 " blockquote.in-context mark.quote.stated').length"), 4)
        self.assertEqual(self.js("document.querySelectorAll('.citations > li.curated"
                                 " blockquote').length"), 0)
        # Each cited article was fetched once for the page, not once per citation.
        self.assertEqual(self.js("""(() => {
            const urls = performance.getEntriesByType('resource').map(e => e.name)
                .filter(url => url.includes('/v1/documents/'));
            return [urls.length, new Set(urls).size]; })()"""), [3, 3])
        neighbors = self.js("Array.from(document.querySelectorAll('.neighbors .entity-link'),"
                            " a => a.dataset.name)")
        self.assertEqual(len(neighbors), 36)
        self.assertEqual(neighbors, self.api_neighbors("institutions/kaist"))
        self.screenshot("entity", until=".citations")

    def test_every_collection_has_entity_pages(self):
        collections = sorted(self.api("/v1/knowledgeBase")["counts"])
        self.assertEqual(collections, ["agreements", "documents", "events", "fundings",
                                       "institutions", "people", "projects", "statements",
                                       "statistics"])
        for collection in collections:
            resource = self.api("/v1/%s?pageSize=1" % collection)[collection][0]
            facts = self.api_facts(resource["name"])
            self.open("#/entity/" + resource["name"])
            self.assertEqual(self.js("document.querySelector('h1').textContent"),
                             resource["displayName"], collection)
            self.assertEqual(self.js("Array.from(document.querySelectorAll("
                                     "'table.fields tbody tr'), row => row.dataset.path)"),
                             [fact["path"] for fact in facts], collection)
            self.assertEqual(len(self.texts(".citations > li")),
                             len(resource.get("citations", [])), collection)
        # The graph two links away, from the last one.
        self.open("#/graph/%s?depth=2" % resource["name"])
        self.assertGreater(self.js("document.querySelectorAll('svg.graph a.node').length"), 1)

    def test_citation_opens_the_article_with_the_quote_highlighted(self):
        self.open("#/entity/institutions/kaist")
        self.click("tr[data-path='aliases[0]'] .sources a")
        self.wait_rendered("#/document/documents/ncc-kaist-agreement"
                           "?subject=institutions%2Fkaist&citation=2")
        self.assertEqual(self.js("document.querySelector('h1').textContent"),
                         "National Cancer Center-KAIST Collaborate to Train Cancer Treatment and "
                         "Medical Science Experts")
        self.assertEqual(self.texts("mark.selected"), [
            "The National Cancer Center and the Korea Advanced Institute of Science and "
            "Technology (KAIST) are strengthening their cooperation"])
        self.assertEqual(self.js("document.querySelector('mark.selected').className"),
                         "selected stated")
        self.assertEqual(self.js("document.querySelector('.citation-panel p').textContent"),
                         "Stated quote of KAIST for")
        self.assertEqual(self.texts(".citation-panel .supported > *"),
                         ["aliases[0]", "Korea Advanced Institute of Science and Technology"])
        # The quote is focused and scrolled into view.
        self.assertEqual(self.js("document.activeElement.id"), "quote")
        self.assertTrue(self.js("(() => { const r = document.getElementById('quote')"
                                ".getBoundingClientRect(); return r.top >= 0 &&"
                                " r.bottom <= innerHeight; })()"))
        # The highlight starts at the citation's offset (554, in code points) in the article.
        self.assertEqual(self.js("""(() => {
            const range = document.createRange();
            range.setStart(document.querySelector('.document-text'), 0);
            range.setEndBefore(document.getElementById('quote'));
            return Array.from(range.toString()).length; })()"""), 554)
        self.screenshot("document-quote")

    def test_article_alone_highlights_every_cited_passage(self):
        self.open("#/document/documents/ncc-kaist-agreement")
        with urllib.request.urlopen(self.base + "/v1/facts?document=documents/ncc-kaist-agreement",
                                    timeout=10) as response:
            ranges = {(c.get("startOffset", 0), c["endOffset"])
                      for line in response.read().decode().splitlines() if line.strip()
                      for fact in json.loads(line)["result"].get("facts", [])
                      for c in fact.get("citations", [])
                      if c.get("document") == "documents/ncc-kaist-agreement"
                      and c.get("endOffset")}
        self.assertGreater(len(ranges), 10)
        self.assertEqual(self.js("document.querySelector('main > p.muted').textContent"),
                         "%d cited passages highlighted." % len(ranges))
        self.assertEqual(self.texts("mark.selected"), [])
        self.assertIn("The National Cancer Center and the Korea Advanced Institute of Science and "
                      "Technology (KAIST) are strengthening their cooperation",
                      "".join(self.texts("mark.cited")))
        self.screenshot("document")

    def test_curated_citation_is_marked_curated_in_the_article(self):
        self.open("#/entity/agreements/ku-kaist-research-cooperation")
        row = "tr[data-path='signed_date']"
        self.assertEqual(self.js("document.querySelector(%s).className" % json.dumps(row)),
                         "curated")
        self.assertEqual(self.texts(row + " .sources a"), ["[3] curated"])
        # In the citation list: marked curated, with its note, its context passage highlighted
        # (a whole sentence) and linked to the article view.
        item = "document.getElementById('citation-2')"
        self.assertEqual(self.texts(".badge", item), ["Curated"])
        self.assertEqual(self.texts(".note", item), [
            "No article states it: The year is not stated: the curator inferred it (the date's "
            "inference says how); the month and day are as the quote gives them."])
        sentence = ("KU and KAIST signed a research cooperation agreement on November 7 last year to "
                    "strengthen Korea’s global research competitiveness and create synergetic "
                    "effects.")
        self.assertEqual(self.texts("blockquote.in-context", item), [sentence])
        self.assertEqual(self.texts("mark.quote.curated", item), [sentence])
        self.assertEqual(self.js(item + ".querySelector('a.quote-link').getAttribute('href')"),
                         "#/document/documents/ku-kaist-symposium"
                         "?subject=agreements%2Fku-kaist-research-cooperation&citation=2")
        self.click(row + " .sources a")
        self.wait_rendered("#/document/documents/ku-kaist-symposium"
                           "?subject=agreements%2Fku-kaist-research-cooperation&citation=2")
        self.assertEqual("".join(self.texts("mark.selected.curated")),
                         "KU and KAIST signed a research cooperation agreement on November 7 "
                         "last year to strengthen Korea’s global research competitiveness and "
                         "create synergetic effects.")
        self.assertEqual(self.texts("mark.selected.stated"), [])
        self.assertEqual(self.texts(".citation-panel .badge"), ["Curated"])
        self.assertEqual(self.texts(".citation-panel .supported > *"),
                         ["signed_date", "November 7 last year (inferred: \"last year\" relative "
                          "to the symposium of Thursday July 18, which is dated 2024 (July 18 is a "
                          "Thursday in 2024))"])
        self.assertEqual(self.texts(".citation-panel .note"), [
            "No article states the value; the curator's note: "
            "The year is not stated: the curator inferred it (the date's inference says how); "
            "the month and day are as the quote gives them."])
        self.screenshot("document-curated")

    def test_find_paths_between_two_resources(self):
        self.open("#/paths")
        self.js("document.getElementById('paths-from').focus()")
        self.browser.type_text("institutions/korea-university")
        self.browser.press_tab()
        self.browser.type_text("people/ye-jong-chul")
        self.browser.press_enter()
        self.wait_rendered("#/paths?from=institutions%2Fkorea-university"
                           "&to=people%2Fye-jong-chul")
        self.assertEqual(self.js("document.getElementById('paths-summary').textContent"),
                         "2 shortest paths of 2 links.")
        paths = self.js("Array.from(document.querySelectorAll('.path'), path =>"
                        " Array.from(path.querySelectorAll('.path-steps > li'),"
                        " step => step.textContent))")
        self.assertEqual(paths, [
            ["Korea University", "← organizers —", "KU-KAIST Joint Symposium", "— speakers →",
             "Ye Jong-chul"],
            ["Korea University", "← participants —",
             "KU-KAIST joint research projects in medical science and clinical medicine",
             "— participants →", "Ye Jong-chul"],
        ])
        self.screenshot("paths")

    def test_paths_resolve_words_to_the_best_hit(self):
        self.open("#/paths?from=Korea%20University&to=Ye%20Jong-chul")
        self.assertEqual(self.js("document.getElementById('paths-summary').textContent"),
                         "2 shortest paths of 2 links.")

    def test_graph_draws_the_neighbourhood(self):
        self.open("#/graph/institutions/kaist")
        self.assertEqual(self.js("document.querySelector('h1').textContent"),
                         "Neighbourhood of KAIST")
        nodes = self.js("Array.from(document.querySelectorAll('svg.graph a.node'),"
                        " a => a.dataset.name)")
        self.assertEqual(len(nodes), 37)
        self.assertEqual(nodes, ["institutions/kaist"] + self.api_neighbors("institutions/kaist"))
        self.assertEqual(self.js("document.querySelectorAll('svg.graph line').length"), 36)
        self.screenshot("graph")
        # A node is a link, reached by keyboard, that re-centres the graph.
        self.js("document.querySelector(\"svg.graph a.node[data-name='people/ye-jong-chul']\")"
                ".focus()")
        self.browser.press_enter()
        self.wait_rendered("#/graph/people/ye-jong-chul")
        self.assertEqual(self.js("document.querySelector('h1').textContent"),
                         "Neighbourhood of Ye Jong-chul")

    def test_pages_are_served_under_a_strict_policy(self):
        for path, content_type in (("/", "text/html; charset=utf-8"),
                                   ("/js/app.js", "text/javascript; charset=utf-8"),
                                   ("/app.css", "text/css; charset=utf-8")):
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                self.assertEqual(response.headers["Content-Type"], content_type, path)
                self.assertEqual(response.headers["Content-Security-Policy"], POLICY, path)
                self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff", path)
                self.assertIsNone(response.headers["Set-Cookie"], path)
        # Every view of the other tests ran under this policy without a
        # violation (tearDown); and the explorer keeps nothing in the browser.
        self.open("#/entity/institutions/kaist")
        self.assertEqual(self.js("[document.cookie, localStorage.length, sessionStorage.length]"),
                         ["", 0, 0])

    def test_unknown_resource_shows_the_servers_error(self):
        self.open("#/entity/institutions/no-such-thing", state="error")
        self.assertEqual(self.js("document.querySelector('[role=alert]').textContent"),
                         "institutions/no-such-thing not found")
        # The browser logs the failed fetches; they are this test's point.
        self.assertEqual(self.browser.script_errors(), [
            "Failed to load resource: the server responded with a status of 404 (Not Found)"])
        self.browser.events.clear()


if __name__ == "__main__":
    unittest.main()
