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
if "$script" /etc/hostname 2>/dev/null; then
  echo "a non-executable was accepted" >&2
  status=1
fi
exit $status
