#!/usr/bin/python3
"""The before/after figures of SECURITY.md "Holding under abuse": resident
memory of factgraphd (the binary in $FACTGRAPHD) under the unread-response
flood, and under rapid reset directly or through deploy/nginx. Loopback only.

  FACTGRAPHD=build/service/server/factgraphd FACTGRAPH_SOURCE_DIR=$PWD \
    PYTHONPATH=tests/e2e:tests/hardening /usr/bin/python3 bench/abuse/flood_figures.py \
    unread | reset SECONDS [flags] | nginx SECONDS [flags]
"""
import os, sys, time, threading
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "hardening"))
import fgtest, hardening_support, abuse_floods_test as a
from fgtest import factgraph_service_pb2 as fg

def rss(pid): return hardening_support.resident_kib(pid)

def peak_during(pid, fn):
    peak=[rss(pid)]; done=threading.Event()
    def w():
        while not done.is_set():
            peak[0]=max(peak[0], rss(pid)); done.wait(0.2)
    t=threading.Thread(target=w, daemon=True); t.start()
    r=fn(); done.set(); t.join(); return peak[0], r

which=sys.argv[1]
if which=="unread":   # FACTGRAPHD chooses binary
    with fgtest.running_server(*sys.argv[2:]) as s:
        pid=s.process.pid; b=rss(pid)
        req=fg.BatchGetDocumentsRequest(names=["documents/ku-kaist-symposium"]*260)
        probe=a.Probe(s)
        cs=a.unread_flood(s.port, connections=2, method=b"BatchGetDocuments", body=req.SerializeToString())
        time.sleep(8); p1=rss(pid)
        cs2=a.unread_flood(s.port, connections=8)
        time.sleep(8); p2=rss(pid); probe.stop()
        for c in cs+cs2: c.close()
        time.sleep(12); after=rss(pid)
        print("unread", sys.argv[2:], "base", b, "after 2 conns x100 BatchGet(260 dup)", p1, "after +8 conns x100 ListInstitutions", p2, "12s after close", after, "probe slowest %.3f failures %d calls %d" % (probe.slowest, len(probe.failures), probe.calls))
elif which=="reset":
    with fgtest.running_server(*sys.argv[3:]) as s:
        pid=s.process.pid; b=rss(pid)
        probe=a.Probe(s)
        peak,(sent,closed)=peak_during(pid, lambda: a.rapid_reset(s.port, float(sys.argv[2])))
        probe.stop()
        time.sleep(2); a2=rss(pid); time.sleep(10); a12=rss(pid)
        print("reset direct", sys.argv[2:], "sent", sent, "closed", closed, "base", b, "peak", peak, "2s after", a2, "12s after", a12, "probe slowest %.3f failures %d" % (probe.slowest, len(probe.failures)))
elif which=="nginx":
    with fgtest.running_server(*sys.argv[3:]) as s:
        px=a.NginxProxy(s.target)
        pid=s.process.pid; b=rss(pid)
        probe=a.Probe(s, target=px.target())
        peak,(sent,closed)=peak_during(pid, lambda: a.rapid_reset(px.port, float(sys.argv[2]), source="127.0.0.2"))
        probe.stop()
        time.sleep(2); a2=rss(pid); time.sleep(10); a12=rss(pid)
        print("reset via nginx", sys.argv[2:], "sent", sent, "closed", closed, "base", b, "peak", peak, "2s after", a2, "12s after", a12, "probe slowest %.3f failures %d" % (probe.slowest, len(probe.failures)))
        px.stop()
