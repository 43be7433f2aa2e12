#!/usr/bin/env bash
# Prints, one a line, the Debian packages that provide the shared libraries a
# binary loads, so that the runtime image installs exactly what the build
# linked against instead of a hand-kept list that drifts.
# Usage: runtime-packages.sh BINARY
set -euo pipefail
binary=${1:?usage: runtime-packages.sh BINARY}
[ -x "$binary" ] || { echo "runtime-packages: $binary: not an executable" >&2; exit 1; }

libraries=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
missing=$(ldd "$binary" | awk '/not found/ { print $1 }')
if [ -n "$missing" ]; then
  echo "runtime-packages: $binary: unresolved libraries: $missing" >&2
  exit 1
fi

for library in $libraries; do
  # Debian 12 merges /lib into /usr/lib, but dpkg records whichever path the
  # package shipped, so ask for both spellings of the same file.
  resolved=$(readlink -f "$library")
  package=""
  for candidate in "$library" "$resolved" "${library#/usr}" "${resolved#/usr}" \
                   "/usr$library" "/usr$resolved"; do
    if package=$(dpkg-query -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1); then
      [ -n "$package" ] && break
    fi
  done
  if [ -z "$package" ]; then
    echo "runtime-packages: no Debian package provides $library" >&2
    exit 1
  fi
  echo "$package"
done | sort -u
