"""The store benchmark's quick mode: every query on both sides runs without
error on a small synthetic knowledge base (each SQLite benchmark first checks
that SQLite finds as many rows as factgraph). Asserts that the harness works,
not how fast the machine is."""
import json
import subprocess
import sys
import tempfile

QUERIES = ["Get", "BatchGet100", "IndexedFilter", "UnindexedFilter",
           "OrderPage", "Search", "FactsBySubject", "FactsByObject",
           "Neighbors"]


def main(binary):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([binary, "--sizes=2000", "--benchmark_min_time=0.01",
                        f"--benchmark_out={out.name}",
                        "--benchmark_out_format=json"], check=True)
        report = json.load(open(out.name))
    results = {b["name"]: b for b in report["benchmarks"]}
    expected = [f"{q}/{side}/2000" for q in QUERIES
                for side in ("factgraph", "sqlite")] + [
                    "FactsBySubjectNewMessages/factgraph/2000",
                    "FactsBySubjectIndexOnly/factgraph/2000", "Paths/factgraph/2000"] + [
                    f"Lookup{index}/factgraph/2000" for index in (
                        "FactsByPredicate", "FactsByObject", "FactsByDocument",
                        "LinksTo")]
    problems = []
    for name in expected:
        if name not in results:
            problems.append(f"{name} did not run")
        elif results[name].get("error_occurred"):
            problems.append(f"{name}: {results[name].get('error_message')}")
        elif not results[name]["iterations"] > 0 or not results[name]["real_time"] > 0:
            problems.append(f"{name} measured nothing")
    extra = sorted(set(results) - set(expected))
    if extra:
        problems.append(f"unexpected benchmarks {extra}")
    if results.get("IndexedFilter/factgraph/2000", {}).get("matches", 0) <= 0:
        problems.append("the indexed filter matched nothing")
    if results.get("FactsBySubject/factgraph/2000", {}).get("facts", 0) <= 0:
        problems.append("facts by subject found nothing")
    for problem in problems:
        print("FAIL:", problem, file=sys.stderr)
    if problems:
        return 1
    print(f"PASS: {len(expected)} benchmarks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
