#!/bin/sh
# Runs the independent Python checker of the seeds (check_seeds.py) on the
# project's seeds, then on a copy with one quote broken, which it must refuse.
# Usage: check_seeds_test.sh SOURCE_DIR PROTOC PYTHON
set -eu
source_dir=$1
protoc=$2
python=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The schema imports google/api annotations from google-proto-files.
google_protos=$source_dir/tools/node_modules/google-proto-files
"$protoc" -I "$source_dir/proto" -I "$google_protos" --python_out="$work" \
  "$source_dir"/proto/factgraph/v1/*.proto
"$protoc" -I "$google_protos" --python_out="$work" \
  google/api/annotations.proto google/api/http.proto \
  google/api/field_behavior.proto google/api/resource.proto

"$python" "$source_dir/tests/kb/check_seeds.py" "$source_dir/seeds" "$work"

# refuses NAME KB_FILE SED_SCRIPT EXPECTED: a copy of the seeds with
# SED_SCRIPT applied to kb/KB_FILE must be refused, with a problem located in
# KB_FILE that matches EXPECTED.
refuses() {
  cp -r "$source_dir/seeds" "$work/$1"
  sed -i "$3" "$work/$1/kb/$2"
  if "$python" "$source_dir/tests/kb/check_seeds.py" "$work/$1" "$work" \
      >"$work/$1.log" 2>&1; then
    echo "check_seeds.py accepted the seeds with $1" >&2
    exit 1
  fi
  grep -q "$2:[0-9]*: $4" "$work/$1.log" || {
    echo "check_seeds.py did not locate $1:" >&2
    cat "$work/$1.log" >&2
    exit 1
  }
}

refuses broken-quote 001_ncc_kaist_agreement.textproto \
  's/quote: "Since 2019, the two institutions/quote: "Since 2018, the two institutions/' \
  ".*quote not found"
# A statement whose words are not those of its quote.
refuses altered-statement 003_kumc_rnd_first.textproto \
  's/text: "The problem is that the domestic market is small."/text: "The problem is that the domestic market is large."/' \
  "statements/kim-hak-jun-domestic-market-is-small: text is not in a quote"
# One seeded mistake per class of unsupported value (docs/provenance.md): an
# alias its quote does not contain, a dropped money qualifier, a number the
# quote does not give.
refuses unquoted-alias 001_ncc_kaist_agreement.textproto \
  's/"Hong-Kwan Seo", "/"Hong-Kwan Seoh", "/' \
  "people/seo-hong-gwan: aliases\[0\] 'Hong-Kwan Seoh' not in its stated quote"
refuses dropped-qualifier 003_kumc_rnd_first.textproto \
  '0,/qualifier: MONEY_QUALIFIER_MORE_THAN/s/qualifier: MONEY_QUALIFIER_MORE_THAN//' \
  ".*quote says 'more than', qualifier is MONEY_QUALIFIER_UNSPECIFIED"
refuses unstated-number 003_kumc_rnd_first.textproto \
  's/units: 15100000000 text/units: 15000000000 text/' \
  "fundings/arpa-h-frailty-project: amount 15000000000 is not a number of its stated quote"
echo "check_seeds.py: seeds pass; broken quote, statement and unsupported values located"
