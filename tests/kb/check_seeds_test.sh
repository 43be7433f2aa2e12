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
  google/api/field_behavior.proto google/api/resource.proto

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
echo "check_seeds.py: seeds pass, broken quote located"
