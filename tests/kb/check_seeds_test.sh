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

# A statement whose words are not those of its quote.
cp -r "$source_dir/seeds" "$work/seeds-statement"
sed -i 's/text: "The problem is that the domestic market is small."/text: "The problem is that the domestic market is large."/' \
  "$work/seeds-statement/kb/003_kumc_rnd_first.textproto"
if "$python" "$source_dir/tests/kb/check_seeds.py" "$work/seeds-statement" "$work" \
    >"$work/statement.log" 2>&1; then
  echo "check_seeds.py accepted a statement text that is not in its quote" >&2
  exit 1
fi
grep -q "003_kumc_rnd_first.textproto:[0-9]*: statements/kim-hak-jun-domestic-market-is-small: text is not in a quote" \
  "$work/statement.log" || {
  echo "check_seeds.py did not locate the altered statement:" >&2
  cat "$work/statement.log" >&2
  exit 1
}
echo "check_seeds.py: seeds pass, broken quote and statement located"
