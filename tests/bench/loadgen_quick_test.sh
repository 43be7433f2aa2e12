#!/usr/bin/env bash
# The load generator's quick mode: it must start factgraphd, run the echo
# baseline and every workload with zero non-OK statuses, and print a number
# for each. Asserts that the harness works, not how fast the machine is.
set -euo pipefail
loadgen=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A query mix of one's own (--search_queries), in the relevance set's form.
printf '# comment\n\nKAIST\tinstitutions/kaist\ncancer center\n' >"$work/mix.tsv"
if missing=$("$loadgen" --quick --search_queries="$work/none.tsv" 2>&1); then
  echo "FAIL: a missing --search_queries file was accepted" >&2; exit 1
fi
grep -q "cannot read $work/none.tsv" <<<"$missing" || {
  echo "$missing"; echo "FAIL: no reason given for a missing query file" >&2; exit 1
}
output=$("$loadgen" --quick --search_queries="$work/mix.tsv" 2>&1) || {
  echo "$output"
  echo "FAIL: factgraph_loadgen --quick exited non-zero" >&2
  exit 1
}
echo "$output"
fail() { echo "FAIL: $1" >&2; exit 1; }
grep -q '^Non-OK statuses: 0\.$' <<<"$output" || fail "non-OK statuses"
grep -Eq 'reached SERVING in [0-9.]+ ms' <<<"$output" || fail "no start time"
for workload in 'Echo \(baseline\)' GetInstitution 'ListAgreements filter=parties' \
  'SearchEntities page_size=10' 'BatchGetInstitutions x10' 'ListNeighbors depth=1' \
  'SearchEntities page_size=10, 2 queries of mix\.tsv'; do
  # In the closed-loop table with a positive rate, then in the open-loop
  # table either measured or skipped because its maximum is below the
  # offered rate (a small shared machine decides which, not the harness).
  closed=$(grep -Ec "^\| $workload \| [1-9][0-9]* \| [0-9]+\.[0-9]{2} \|" <<<"$output") || true
  [ "$closed" -eq 1 ] || fail "no closed-loop row with a positive rate for $workload"
  open=$(grep -Ec "^\| $workload \| ([1-9][0-9]* \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| 0 \||- \|.*not run: its maximum, [0-9]+ calls/s)" <<<"$output") || true
  [ "$open" -eq 1 ] || fail "no open-loop row for $workload"
done
grep -Eq '^\| Echo \(baseline\) \| [0-9]+ \| 1\.00 \|' <<<"$output" ||
  fail "the echo baseline's ratio to itself is not 1.00"
grep -Eq 'QueryFacts to one client: [1-9][0-9]* facts' <<<"$output" ||
  fail "QueryFacts streamed no fact"
echo "PASS"
