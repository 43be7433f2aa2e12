#!/usr/bin/env bash
# deploy/runtime-packages.sh, which picks the runtime image's packages, must
# name for factgraphd exactly installed Debian runtime packages, among them
# the libraries the server is built on, and never a development package.
# Usage: runtime_packages_test.sh RUNTIME_PACKAGES_SH FACTGRAPHD
set -euo pipefail
script=$1
binary=$2
packages=$("$script" "$binary")
echo "runtime packages of $(basename "$binary"):" $packages
status=0
for required in libc6 libstdc++6 libgrpc++1.51 libgrpc29 libprotobuf32 libabsl20220623; do
  grep -qx "$required" <<<"$packages" || { echo "missing $required" >&2; status=1; }
done
while read -r package; do
  case $package in
    *-dev) echo "development package $package" >&2; status=1 ;;
  esac
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    { echo "$package is not an installed Debian package" >&2; status=1; }
done <<<"$packages"
# With nginx beside it (as the image is made): the union, nginx's libcrypt1
# and libpcre2-8-0 among them, each once.
both=$("$script" "$binary" /usr/sbin/nginx)
expected=$( (cat <<<"$packages"; "$script" /usr/sbin/nginx) | sort -u)
[ "$both" = "$expected" ] || { echo "factgraphd + nginx gave $both, not $expected" >&2; status=1; }
for required in libcrypt1 libpcre2-8-0; do
  grep -qx "$required" <<<"$both" || { echo "missing nginx's $required" >&2; status=1; }
done
# expect_refusal DESCRIPTION MESSAGE_PART BINARY
expect_refusal() {
  local output
  if output=$("$script" "$3" 2>&1); then
    echo "$1 was accepted: $output" >&2
    status=1
  elif ! grep -qF -- "$2" <<<"$output"; then
    echo "$1: expected '$2' in: $output" >&2
    status=1
  fi
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'not an ELF file' >"$work/script" && chmod +x "$work/script"
expect_refusal "a non-ELF file" "$work/script: not a dynamically linked executable" "$work/script"
# A library that no Debian package owns must stop the image build.
printf 'int unpackaged(void) { return 7; }\n' >"$work/unpackaged.c"
printf 'int unpackaged(void);\nint main(void) { return unpackaged(); }\n' >"$work/main.c"
cc -shared -fPIC -o "$work/libunpackaged.so" "$work/unpackaged.c"
cc -o "$work/uses_unpackaged" "$work/main.c" -L"$work" -lunpackaged -Wl,-rpath,"$work"
expect_refusal "an unpackaged library" "no Debian package provides $work/libunpackaged.so" "$work/uses_unpackaged"
rm "$work/libunpackaged.so"
expect_refusal "a missing library" "unresolved libraries: libunpackaged.so" "$work/uses_unpackaged"
exit $status
