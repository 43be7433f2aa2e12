"""Bounded soak: concurrent calls of every FactGraphService method (and
health) against the real factgraphd, with a reload every few seconds that
alternates between two knowledge bases. No call may fail, and the server's
resident memory may grow by less than 5 % after the warm-up.

FACTGRAPH_SOAK_SECONDS sets the length (default 60); see SECURITY.md for the
longer run."""

import os
import threading
import time
import unittest

import fgtest
import hardening_support
from fgtest import admin_service_pb2, admin_service_pb2_grpc
from fgtest import factgraph_service_pb2 as fg
from fgtest import factgraph_service_pb2_grpc as fg_grpc
from fgtest import grpc, health_pb2, health_pb2_grpc

DURATION = float(os.environ.get("FACTGRAPH_SOAK_SECONDS", "60"))
WARM_UP = max(40.0, DURATION / 3)
RELOAD_EVERY = 2.5
CLIENT_THREADS = 4
MAX_GROWTH = 0.05
TOKEN = "soak-admin-token"
EXTRA = """
institutions {
  name: "institutions/soak-extra"
  display_name: "Anam-dong"
  kind: INSTITUTION_KIND_DISTRICT
  citations {
    document: "documents/ku-kaist-symposium"
    quote: "Anam-dong"
    field_paths: ["display_name", "kind"]
  }
}
"""
# (singular, plural) of each resource, as the methods are named.
RESOURCES = (("Institution", "Institutions"), ("Person", "People"),
             ("Agreement", "Agreements"), ("Project", "Projects"),
             ("Funding", "Fundings"), ("Event", "Events"),
             ("Statistic", "Statistics"), ("Document", "Documents"),
             ("Statement", "Statements"))


def every_method_call(stub, health, names):
    """One callable per method; each makes a real, valid call."""
    calls = []
    for singular, plural in RESOURCES:
        name = names[plural]
        get_request = getattr(fg, "Get%sRequest" % singular)(name=name)
        batch_request = getattr(fg, "BatchGet%sRequest" % plural)(names=[name, name])
        list_request = getattr(fg, "List%sRequest" % plural)(page_size=3)
        get = getattr(stub, "Get" + singular)
        batch = getattr(stub, "BatchGet" + plural)
        lister = getattr(stub, "List" + plural)

        def list_two_pages(lister=lister, request=list_request):
            first = lister(request, timeout=30)
            if first.next_page_token:
                request = type(request)(page_size=3, page_token=first.next_page_token)
                lister(request, timeout=30)

        calls.append(lambda get=get, r=get_request: get(r, timeout=30))
        calls.append(lambda batch=batch, r=batch_request: batch(r, timeout=30))
        calls.append(list_two_pages)
    calls.append(lambda: stub.SearchEntities(fg.SearchEntitiesRequest(query="kaist"),
                                             timeout=30))
    calls.append(lambda: sum(1 for _ in stub.QueryFacts(
        fg.QueryFactsRequest(subject="institutions/kaist"), timeout=30)))
    calls.append(lambda: stub.ListNeighbors(
        fg.ListNeighborsRequest(name="institutions/kaist", depth=2), timeout=30))
    calls.append(lambda: stub.FindPaths(
        fg.FindPathsRequest(**{"from": "institutions/kaist",
                               "to": "institutions/korea-university"}), timeout=30))
    calls.append(lambda: stub.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(),
                                                   timeout=30))
    calls.append(lambda: health.Check(health_pb2.HealthCheckRequest(), timeout=30))
    return calls


class SoakTest(unittest.TestCase):

    def test_every_method_under_reloads_fails_nothing_and_does_not_grow(self):
        seeds = fgtest.copy_seeds()
        extra_path = os.path.join(seeds, "kb", "zz_soak.textproto")
        with fgtest.running_server(seeds=seeds, admin_token=TOKEN) as server:
            pid = server.process.pid
            channels = [server.channel() for _ in range(2)]
            stub = fg_grpc.FactGraphServiceStub(channels[0])
            names = {}
            for _, plural in RESOURCES:
                response = getattr(stub, "List" + plural)(
                    getattr(fg, "List%sRequest" % plural)(page_size=1), timeout=30)
                names[plural] = getattr(response, response.DESCRIPTOR.fields[0].name)[0].name

            stop = threading.Event()
            failures = []
            counts = [0] * CLIENT_THREADS
            lock = threading.Lock()

            def client(index):
                channel = channels[index % len(channels)]
                calls = every_method_call(fg_grpc.FactGraphServiceStub(channel),
                                          health_pb2_grpc.HealthStub(channel), names)
                position = index
                while not stop.is_set():
                    try:
                        calls[position % len(calls)]()
                        counts[index] += 1
                    except grpc.RpcError as error:
                        with lock:
                            failures.append("%s: %s" % (error.code(), error.details()))
                    position += 1

            threads = [threading.Thread(target=client, args=(i,))
                       for i in range(CLIENT_THREADS)]
            for thread in threads:
                thread.start()

            admin = admin_service_pb2_grpc.AdminServiceStub(channels[1])
            samples = []
            reloads = 0
            started = time.time()
            next_reload = started + RELOAD_EVERY
            try:
                while time.time() - started < DURATION:
                    time.sleep(0.5)
                    samples.append((time.time() - started,
                                    hardening_support.resident_kib(pid)))
                    if time.time() >= next_reload:
                        if os.path.exists(extra_path):
                            os.remove(extra_path)
                        else:
                            with open(extra_path, "w") as f:
                                f.write(EXTRA)
                        response = admin.ReloadKnowledgeBase(
                            admin_service_pb2.ReloadKnowledgeBaseRequest(),
                            metadata=(("authorization", "Bearer " + TOKEN),), timeout=60)
                        self.assertTrue(response.changed)
                        reloads += 1
                        next_reload = time.time() + RELOAD_EVERY
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
            self.assertIsNone(server.process.poll())

        self.assertEqual(failures[:10], [])
        self.assertGreater(min(counts), 10, counts)
        # The baseline is the highest RSS of the warm-up's second half, so
        # that a transient peak during warm-up does not count as growth.
        warm = [kib for at, kib in samples if WARM_UP / 2 <= at <= WARM_UP]
        after = [kib for at, kib in samples if at > WARM_UP]
        self.assertTrue(warm and after)
        baseline = max(warm)
        peak = max(after)
        growth = (peak - baseline) / baseline
        every_5_s = [kib for at, kib in samples[::10]]
        print("soak: %.0f s, %d calls, %d reloads, RSS %d KiB after warm-up, "
              "peak %d KiB, growth %.2f %%; RSS KiB every 5 s: %s" % (
                  DURATION, sum(counts), reloads, baseline, peak, 100 * growth,
                  every_5_s))
        self.assertLess(growth, MAX_GROWTH, "RSS KiB every 5 s: %s" % every_5_s)
        # A reload at least every 5 s (each waits RELOAD_EVERY after the
        # previous one ended).
        self.assertGreaterEqual(reloads, int(DURATION / 5))


if __name__ == "__main__":
    unittest.main()
