#!/usr/bin/env bash
# deploy/check-seeds-load.sh, which the image build runs, passes the real
# seeds and stops the build on a knowledge base that factgraphd refuses,
# showing factgraphd's `file:line: problem`.
# Usage: check_seeds_load_test.sh CHECK_SEEDS_LOAD_SH FACTGRAPHD SEEDS_DIR
set -euo pipefail
script=$1
binary=$2
seeds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

cp -r "$seeds" "$work/seeds"
output=$("$script" "$binary" "$work/seeds" 60 2>&1) ||
  { echo "the real seeds were refused: $output" >&2; status=1; }
grep -q "^check-seeds-load: $work/seeds loads and serves on port [1-9][0-9]*$" <<<"$output" ||
  { echo "unexpected success message: $output" >&2; status=1; }

first_kb=$(find "$work/seeds/kb" -name '*.textproto' | sort | head -n1)
printf 'institutions { name: \n' >>"$first_kb"
if output=$("$script" "$binary" "$work/seeds" 60 2>&1); then
  echo "a knowledge base with a syntax error was accepted: $output" >&2
  status=1
fi
expected="kb/$(basename "$first_kb"):[0-9]+: "
grep -qE "$expected" <<<"$output" ||
  { echo "expected factgraphd's '$expected…' in: $output" >&2; status=1; }
grep -qF "check-seeds-load: factgraphd refused $work/seeds (exit status 1):" <<<"$output" ||
  { echo "expected the refusal in: $output" >&2; status=1; }
exit $status
