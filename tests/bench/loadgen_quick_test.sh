#!/usr/bin/env bash
# The load generator's quick mode: it must start factgraphd, run the echo
# baseline and every workload with zero non-OK statuses, and print a number
# for each. Asserts that the harness works, not how fast the machine is.
set -euo pipefail
loadgen=$1
output=$("$loadgen" --quick 2>&1) || {
  echo "$output"
  echo "FAIL: factgraph_loadgen --quick exited non-zero" >&2
  exit 1
}
echo "$output"
fail() { echo "FAIL: $1" >&2; exit 1; }
grep -q '^Non-OK statuses: 0\.$' <<<"$output" || fail "non-OK statuses"
grep -Eq 'reached SERVING in [0-9.]+ ms' <<<"$output" || fail "no start time"
for workload in 'Echo \(baseline\)' GetInstitution 'ListAgreements filter=parties' \
  'SearchEntities page_size=10' 'BatchGetInstitutions x10' 'ListNeighbors depth=1'; do
  # Once in the closed-loop table (rate > 0, then the ratio) and once in the
  # open-loop table.
  rows=$(grep -Ec "^\| $workload \| [1-9][0-9]* \|" <<<"$output") || true
  [ "$rows" -eq 2 ] || fail "expected 2 rows with a positive rate for $workload, got $rows"
done
grep -Eq '^\| Echo \(baseline\) \| [0-9]+ \| 1\.00 \|' <<<"$output" ||
  fail "the echo baseline's ratio to itself is not 1.00"
grep -Eq 'QueryFacts to one client: [1-9][0-9]* facts' <<<"$output" ||
  fail "QueryFacts streamed no fact"
echo "PASS"
