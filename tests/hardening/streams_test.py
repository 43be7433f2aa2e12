"""A client that opens many QueryFacts streams and never reads them: flow
control holds the server back, the server-wide cap on open streams (256)
refuses the rest with RESOURCE_EXHAUSTED, memory stays bounded, and other
clients' unary calls are served meanwhile."""

import time
import unittest

import fgtest
import hardening_support
from fgtest import factgraph_service_pb2 as fg
from fgtest import factgraph_service_pb2_grpc as fg_grpc
from fgtest import grpc

# Each channel gets its own connection (gRPC would otherwise share one
# between channels to the same target, and the hostile client's stalled
# streams would then be queued in front of the probe's calls on the client
# side).
SEPARATE_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]
# The hostile client also keeps its receive windows tiny, so that the
# server's writes stall at once (with gRPC's default windows the client
# would quietly buffer a whole stream of the real seeds' 1,100 facts).
STALLING = SEPARATE_CONNECTION + [("grpc.http2.lookahead_bytes", 1024),
                                  ("grpc.http2.bdp_probe", 0)]
CHANNELS = 4
# The most concurrent streams a connection may have; more would wait in the
# client, never reaching the server.
STREAMS_PER_CHANNEL = 100
MAX_OPEN_FACT_STREAMS = 256  # FactGraphServiceOptions::max_open_fact_streams
# Bound on the server's growth while its open streams are all stalled: each
# holds one batch of at most 64 KiB plus its serialised copy and flow-control
# window.
MAX_GROWTH_KIB = 128 * 1024


class UnreadStreamsTest(unittest.TestCase):

    def test_many_unread_streams_neither_exhaust_nor_block_the_server(self):
        with fgtest.running_server() as server:
            pid = server.process.pid
            probe = fg_grpc.FactGraphServiceStub(
                grpc.insecure_channel(server.target, options=SEPARATE_CONNECTION))
            kaist = fg.QueryFactsRequest(subject="institutions/kaist")
            kaist_facts = sum(len(batch.facts)
                              for batch in probe.QueryFacts(kaist, timeout=30))
            self.assertGreater(kaist_facts, 0)
            before = hardening_support.resident_kib(pid)

            channels = [grpc.insecure_channel(server.target, options=STALLING)
                        for _ in range(CHANNELS)]
            calls = []
            for channel in channels:
                stub = fg_grpc.FactGraphServiceStub(channel)
                for _ in range(STREAMS_PER_CHANNEL):
                    # Every fact of the knowledge base, never read.
                    calls.append(stub.QueryFacts(fg.QueryFactsRequest(), timeout=120))
            # Every stream beyond the cap is refused.
            expected_refused = len(calls) - MAX_OPEN_FACT_STREAMS
            deadline = time.time() + 60
            while (sum(1 for call in calls if call.done()) < expected_refused
                   and time.time() < deadline):
                time.sleep(0.2)
            time.sleep(1)
            finished = [call for call in calls if call.done()]
            self.assertEqual(len(finished), expected_refused)
            for call in finished:
                self.assertEqual(call.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
                self.assertEqual(call.details(), "more than 256 QueryFacts streams are "
                                 "open; retry later")

            # Another client's unary calls are answered promptly meanwhile;
            # its streams are refused while the cap is held.
            started = time.time()
            info = probe.GetKnowledgeBaseInfo(fg.GetKnowledgeBaseInfoRequest(), timeout=10)
            self.assertGreater(info.fact_count, 1000)
            probe.GetInstitution(fg.GetInstitutionRequest(name="institutions/kaist"),
                                 timeout=10)
            self.assertLess(time.time() - started, 10)
            with self.assertRaises(grpc.RpcError) as caught:
                list(probe.QueryFacts(kaist, timeout=10))
            self.assertEqual(caught.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)

            growth = hardening_support.resident_kib(pid) - before
            print("streams: %d stalled streams grew the server by %d KiB" %
                  (MAX_OPEN_FACT_STREAMS, growth))
            self.assertLess(growth, MAX_GROWTH_KIB)

            for call in calls:
                call.cancel()
            for channel in channels:
                channel.close()
            # The cancelled streams free their slots: streams run to the end.
            deadline = time.time() + 30
            while True:
                try:
                    facts = list(probe.QueryFacts(fg.QueryFactsRequest(), timeout=60))
                    break
                except grpc.RpcError as error:
                    self.assertEqual(error.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
                    self.assertLess(time.time(), deadline)
                    time.sleep(0.2)
            self.assertEqual(sum(len(batch.facts) for batch in facts), info.fact_count)
            self.assertIsNone(server.process.poll())


if __name__ == "__main__":
    unittest.main()
