#!/bin/sh
# Runs `factgraph validate seeds` (the README's report) and checks its
# provenance part: the seeds load; values stated + curated = values; every
# curated value is listed with a non-empty note; each of the five articles
# has its sentence-coverage line; the boilerplate the manifest lists is
# recognised as such, sentence by sentence. Prints the figures.
# Usage: provenance_report_test.sh FACTGRAPH_BINARY SOURCE_DIR
set -eu
factgraph=$1
source_dir=$2
report=$(mktemp)
trap 'rm -f "$report"' EXIT
"$factgraph" validate "$source_dir/seeds" >"$report"

figure() { sed -n "s/^$1: \([0-9]*\)\$/\1/p" "$report"; }
values=$(figure "values")
stated=$(figure "values stated")
curated=$(figure "values curated")
checked=$(figure "values checked against their stated quotes")
[ -n "$values" ] && [ -n "$stated" ] && [ -n "$curated" ] && [ -n "$checked" ] || {
  echo "the report lacks the provenance figures" >&2; exit 1; }
[ $((stated + curated)) -eq "$values" ] || {
  echo "stated $stated + curated $curated != values $values" >&2; exit 1; }
[ "$checked" -gt 0 ] || { echo "no value was checked" >&2; exit 1; }

# The curated list: one line per curated value, each with a note.
listed=$(sed -n '/^curated values and their notes:$/,/^$/p' "$report" |
  grep -c '^  [a-z]*/[a-z0-9-]* [^ ]*: .')
[ "$listed" -eq "$curated" ] || {
  echo "$curated curated values but $listed listed with a note" >&2; exit 1; }

for document in ku-kaist-symposium ncc-kaist-agreement \
    kaist-digital-medical-institute kumc-rnd-first msit-ai-public-medical; do
  grep -q "^documents/$document: [0-9]* sentences, [0-9]* boilerplate, content sentences covered [0-9]*/[0-9]* " "$report" || {
    echo "no sentence-coverage line for documents/$document" >&2; exit 1; }
done
# Exact boilerplate per article: the manifest's passages, found sentence by
# sentence ("Courtesy of Korea University Medical Center" recurs; where a
# stated quote takes in the credit line, the sentence counts as covered).
boilerplate() { sed -n "s/^documents\/$1: [0-9]* sentences, \([0-9]*\) boilerplate.*/\1/p" "$report"; }
for expected in ku-kaist-symposium:0 ncc-kaist-agreement:8 \
    kaist-digital-medical-institute:1 kumc-rnd-first:10 msit-ai-public-medical:7; do
  document=${expected%:*}
  count=$(boilerplate "$document")
  [ "$count" = "${expected#*:}" ] || {
    echo "documents/$document: $count boilerplate sentences, expected ${expected#*:}" >&2
    exit 1; }
done
grep -q "^  boilerplate \[[0-9]*,[0-9]*) 본문 바로가기$" "$report" || {
  echo "the navigation line of the Asia Business Daily pages is not boilerplate" >&2
  exit 1; }

grep -E "^(values|documents/|content sentences)" "$report"
