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

"$protoc" -I "$source_dir/proto" --python_out="$work" \
  "$source_dir"/proto/factgraph/v1/*.proto

"$python" "$source_dir/tests/kb/check_seeds.py" "$source_dir/seeds" "$work"

cp -r "$source_dir/seeds" "$work/seeds"
sed -i 's/quote: "Since 2019, the two institutions/quote: "Since 2018, the two institutions/' \
  "$work/seeds/kb/001_ncc_kaist_agreement.textproto"
if "$python" "$source_dir/tests/kb/check_seeds.py" "$work/seeds" "$work" \
    >"$work/broken.log" 2>&1; then
  echo "check_seeds.py accepted a quote that is not in its document" >&2
  exit 1
fi
grep -q "001_ncc_kaist_agreement.textproto:[0-9]*: .*quote not found" \
  "$work/broken.log" || {
  echo "check_seeds.py did not locate the broken quote:" >&2
  cat "$work/broken.log" >&2
  exit 1
}
# One seeded mistake per class of unsupported value: an alias its quote does
# not contain, a dropped money qualifier, a number the quote does not give.
expect_refused() {  # FILE SED_EXPRESSION PATTERN
  rm -rf "$work/mistake"
  cp -r "$source_dir/seeds" "$work/mistake"
  sed -i "$2" "$work/mistake/kb/$1"
  if "$python" "$source_dir/tests/kb/check_seeds.py" "$work/mistake" "$work" \
      >"$work/mistake.log" 2>&1; then
    echo "check_seeds.py accepted a seeded mistake: $2" >&2
    exit 1
  fi
  grep -q "$3" "$work/mistake.log" || {
    echo "check_seeds.py did not report '$3' for $2:" >&2
    cat "$work/mistake.log" >&2
    exit 1
  }
}
expect_refused 001_ncc_kaist_agreement.textproto \
  's/"Hong-Kwan Seo", "/"Hong-Kwan Seoh", "/' \
  "people/seo-hong-gwan: aliases\[0\] 'Hong-Kwan Seoh' not in its stated quote"
expect_refused 003_kumc_rnd_first.textproto \
  '0,/qualifier: MONEY_QUALIFIER_MORE_THAN/s/qualifier: MONEY_QUALIFIER_MORE_THAN//' \
  "quote says 'more than', qualifier is MONEY_QUALIFIER_UNSPECIFIED"
expect_refused 003_kumc_rnd_first.textproto \
  's/units: 15100000000 text/units: 15000000000 text/' \
  "arpa-h-frailty-project: amount 15000000000 is not a number of its stated quote"
echo "check_seeds.py: seeds pass, broken quote located, seeded mistakes refused"
