"""Turns factgraph_store_bench's JSON output into the Markdown table of
BENCHMARKS.md: per query and size the factgraph and SQLite CPU times per call
(medians when the run had repetitions; CPU rather than wall time because the
benchmarks are single-threaded and the machine is shared), the wall times,
SQLite's CPU time as a multiple of factgraph's, and factgraph's CPU time at
the largest size as a multiple of its time at the smallest.

    python3 bench/store/ratios.py store.json
"""
import collections
import json
import sys


def main(path):
    report = json.load(open(path))
    times = {}  # (query, side, size) -> CPU microseconds
    walls = {}  # (query, side, size) -> wall microseconds
    counters = {}
    for bench in report["benchmarks"]:
        if bench.get("run_type") == "aggregate" and bench.get("aggregate_name") != "median":
            continue
        if bench.get("error_occurred"):
            print(f"error in {bench['name']}: {bench.get('error_message')}", file=sys.stderr)
            continue
        query, side, size = bench["run_name"].split("/")
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[bench["time_unit"]]
        times[(query, side, int(size))] = bench["cpu_time"] * scale
        walls[(query, side, int(size))] = bench["real_time"] * scale
        for counter in ("matches", "facts", "paths"):
            if counter in bench:
                counters[(query, int(size))] = f"{bench[counter]:.3g} {counter}"
    queries = list(collections.OrderedDict.fromkeys(q for q, _, _ in times))
    sizes = sorted({s for _, _, s in times})
    print("| query | entities | factgraph CPU us | SQLite CPU us | SQLite / factgraph "
          "| factgraph wall us | SQLite wall us | result size |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for query in queries:
        for size in sizes:
            ours = times.get((query, "factgraph", size))
            theirs = times.get((query, "sqlite", size))
            if ours is None:
                continue
            ratio = f"{theirs / ours:.1f}" if theirs else "-"
            theirs_text = f"{theirs:.2f}" if theirs else "-"
            wall_theirs = walls.get((query, "sqlite", size))
            wall_theirs_text = f"{wall_theirs:.2f}" if wall_theirs else "-"
            print(f"| {query} | {size} | {ours:.2f} | {theirs_text} | {ratio} | "
                  f"{walls[(query, 'factgraph', size)]:.2f} | {wall_theirs_text} | "
                  f"{counters.get((query, size), '')} |")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print()
        print(f"factgraph's CPU time at {large} entities as a multiple of its time at {small}:")
        print()
        print(f"| query | x |")
        print("|---|---:|")
        for query in queries:
            a = times.get((query, "factgraph", small))
            b = times.get((query, "factgraph", large))
            if a and b:
                print(f"| {query} | {b / a:.2f} |")


if __name__ == "__main__":
    main(sys.argv[1])
