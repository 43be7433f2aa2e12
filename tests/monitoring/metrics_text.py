"""Reads factgraphd's /metrics: the Prometheus text format into samples."""

import re
import urllib.request

# Every family factgraphd's /metrics shows (README "Operating"), by type.
FAMILIES = {
    "factgraph_serving": "gauge",
    "factgraph_snapshot_info": "gauge",
    "factgraph_snapshot_resources": "gauge",
    "factgraph_snapshot_facts": "gauge",
    "factgraph_snapshot_load_time_seconds": "gauge",
    "factgraph_snapshot_age_seconds": "gauge",
    "factgraph_snapshot_reloads_total": "counter",
    "factgraph_http_responses_total": "counter",
    "grpc_server_started_total": "counter",
    "grpc_server_handled_total": "counter",
    "grpc_server_handling_seconds": "histogram",
    "grpc_server_in_flight_calls": "gauge",
    "grpc_server_msg_sent_total": "counter",
    "factgraph_query_facts_open_streams": "gauge",
    "factgraph_query_facts_streamed_facts_total": "counter",
    "factgraph_limit_refusals_total": "counter",
    "factgraph_page_token_refusals_total": "counter",
    "process_cpu_seconds_total": "counter",
    "process_resident_memory_bytes": "gauge",
    "process_virtual_memory_bytes": "gauge",
    "process_threads": "gauge",
    "process_start_time_seconds": "gauge",
    "process_open_fds": "gauge",
    "process_max_fds": "gauge",
}

# A name in a PromQL expression that belongs to one of FAMILIES.
_METRIC_NAME = re.compile(r"\b((?:grpc_server|factgraph|process)_[a-z_]+)\b")


def metric_names(expression):
    """The families an expression reads (histogram suffixes dropped)."""
    names = set()
    for name in _METRIC_NAME.findall(expression):
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[:-len(suffix)] in FAMILIES:
                name = name[:-len(suffix)]
        names.add(name)
    return names


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as response:
        return response.headers.get("Content-Type"), response.read().decode("utf-8")


def parse(text):
    """{(name, frozenset(labels.items())): value} and {family: type}."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if match is None:
            raise ValueError("not a sample line: %r" % line)
        labels = frozenset(_LABEL.findall(match.group(2) or ""))
        samples[(match.group(1), labels)] = float(match.group(3))
    return samples, types


def value(samples, name, **labels):
    """The sample `name` whose labels include `labels` (exactly one)."""
    wanted = set(labels.items())
    found = [v for (n, ls), v in samples.items() if n == name and wanted <= set(ls)]
    if len(found) != 1:
        raise KeyError("%d samples of %s%s" % (len(found), name, labels))
    return found[0]

