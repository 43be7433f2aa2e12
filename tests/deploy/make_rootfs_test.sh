#!/usr/bin/env bash
# deploy/make-rootfs.sh makes a root in which factgraphd serves its seeds as
# uid 10001 with nothing but the root's own files (check-seeds-load.sh
# --root), lists exactly the packages it copied, and leaves out their docs;
# without one of its libraries the same check fails with the loader's error.
# Needs root (chroot); exits 77 (skipped) otherwise.
# Usage: make_rootfs_test.sh DEPLOY_DIR FACTGRAPHD SEEDS_DIR
set -euo pipefail
deploy=$1
binary=$2
seeds=$3
[ "$(id -u)" -eq 0 ] || { echo "make_rootfs_test: needs root for chroot; skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

"$deploy/runtime-packages.sh" "$binary" >"$work/packages"
"$deploy/make-rootfs.sh" "$work/packages" "$work/root" >/dev/null
install -D -m 0755 "$binary" "$work/root/usr/local/bin/factgraphd"
mkdir -p "$work/root/usr/share/factgraph"
cp -r "$seeds" "$work/root/usr/share/factgraph/seeds"

listed=$(grep -v '^#' "$work/root/usr/share/doc/factgraph/packages.txt" | cut -d' ' -f1)
# factgraphd's packages and their dependencies (libgrpc29 needs libprotoc32
# for a library factgraphd does not load).
expected=$( (cat "$work/packages"; echo libprotoc32; echo gcc-12-base) | sort -u)
[ "$listed" = "$expected" ] ||
  { echo "packages.txt lists $listed, not $expected" >&2; status=1; }
expected_line="libc6 $(dpkg-query -W -f='${Version} ${Architecture}' libc6)"
grep -qxF "$expected_line" "$work/root/usr/share/doc/factgraph/packages.txt" ||
  { echo "packages.txt lacks '$expected_line'" >&2; status=1; }
[ -f "$work/root/usr/share/doc/libc6/copyright" ] ||
  { echo "the copyright of libc6 was left out" >&2; status=1; }
docs=$(find "$work/root/usr/share/doc" -type f ! -name copyright ! -path '*/factgraph/*')
[ -z "$docs" ] || { echo "documentation was copied: $docs" >&2; status=1; }
[ ! -e "$work/root/usr/share/man" ] || { echo "manual pages were copied" >&2; status=1; }
[ "$(grep '^factgraph:' "$work/root/etc/passwd" | cut -d: -f3,4)" = "10001:10001" ] ||
  { echo "etc/passwd has no factgraph 10001:10001" >&2; status=1; }

# Every shared object finds its libraries in the root.
while read -r elf; do
  [ "$elf" = "$(readlink -f "$work/root/lib64/ld-linux-x86-64.so.2")" ] && continue
  listing=$(chroot "$work/root" /lib64/ld-linux-x86-64.so.2 --list "${elf#"$work/root"}" 2>&1) &&
    ! grep -q "not found" <<<"$listing" ||
    { echo "${elf#"$work/root"}: $listing" >&2; status=1; }
done < <(find "$work/root" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print)

output=$("$deploy/check-seeds-load.sh" --root="$work/root" --user=10001:10001 \
  /usr/local/bin/factgraphd /usr/share/factgraph/seeds 60 2>&1) ||
  { echo "factgraphd did not serve in the made root: $output" >&2; status=1; }
grep -q "^check-seeds-load: /usr/share/factgraph/seeds loads and serves on port [1-9][0-9]*$" <<<"$output" ||
  { echo "unexpected message: $output" >&2; status=1; }

rm "$work"/root/usr/lib/x86_64-linux-gnu/libicudata.so.*
if output=$("$deploy/check-seeds-load.sh" --root="$work/root" --user=10001:10001 \
  /usr/local/bin/factgraphd /usr/share/factgraph/seeds 60 2>&1); then
  echo "factgraphd served without libicudata: $output" >&2
  status=1
fi
grep -qF "error while loading shared libraries: libicudata.so.72" <<<"$output" ||
  { echo "expected the loader's error in: $output" >&2; status=1; }

# A program package (nginx): its files without its service dependencies
# (nginx-common, iproute2), its libraries' packages from the list; it accepts
# the configuration rendered from the template as uid 10001.
"$deploy/runtime-packages.sh" /usr/sbin/nginx >"$work/nginx-packages"
"$deploy/make-rootfs.sh" "$work/nginx-packages" "$work/nginx-root" nginx >/dev/null
listed=$(grep -v '^#' "$work/nginx-root/usr/share/doc/factgraph/packages.txt" | cut -d' ' -f1)
expected=$( (cat "$work/nginx-packages"; echo nginx) | sort -u)
[ "$listed" = "$expected" ] ||
  { echo "with nginx, packages.txt lists $listed, not $expected" >&2; status=1; }
[ -x "$work/nginx-root/usr/sbin/nginx" ] || { echo "no usr/sbin/nginx in the root" >&2; status=1; }
[ ! -e "$work/nginx-root/etc/nginx" ] || { echo "nginx-common's files were copied" >&2; status=1; }
mkdir -p "$work/nginx-root/etc/factgraph"
"$deploy/nginx/render-conf.sh" /tmp 0.0.0.0:50051 127.0.0.1:50052 stderr \
  >"$work/nginx-root/etc/factgraph/nginx.conf"
output=$(chroot --userspec=10001:10001 "$work/nginx-root" /usr/sbin/nginx -t \
  -c /etc/factgraph/nginx.conf 2>&1) ||
  { echo "nginx refused the rendered configuration in the root: $output" >&2; status=1; }
grep -qF "configuration file /etc/factgraph/nginx.conf test is successful" <<<"$output" ||
  { echo "unexpected nginx -t output: $output" >&2; status=1; }
if output=$("$deploy/make-rootfs.sh" "$work/nginx-packages" "$work/other-root" not-a-package 2>&1); then
  echo "make-rootfs accepted a program package that is not installed" >&2
  status=1
fi
grep -qxF "make-rootfs: not-a-package is not installed" <<<"$output" ||
  { echo "unexpected message: $output" >&2; status=1; }
exit $status
