#!/usr/bin/env bash
# Prints, one a line, the Debian packages that provide the shared libraries
# the binaries load (factgraphd, and nginx in front of it), so that the
# runtime image installs exactly what the build linked against instead of a
# hand-kept list that drifts.
# Usage: runtime-packages.sh BINARY...
set -euo pipefail
(($#)) || { echo "usage: runtime-packages.sh BINARY..." >&2; exit 1; }
libraries=
for binary in "$@"; do
  [ -x "$binary" ] || { echo "runtime-packages: $binary: not an executable" >&2; exit 1; }
  if ! linked=$(ldd "$binary" 2>&1); then
    echo "runtime-packages: $binary: not a dynamically linked executable: $linked" >&2
    exit 1
  fi
  missing=$(awk '/not found/ { print $1 }' <<<"$linked")
  if [ -n "$missing" ]; then
    echo "runtime-packages: $binary: unresolved libraries:" $missing >&2
    exit 1
  fi
  libraries+=" $(awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$linked")"
done
libraries=$(tr ' ' '\n' <<<"$libraries" | grep . | sort -u)

# Debian 12 merges /lib into /usr/lib, but dpkg records whichever path the
# package shipped, so every library is asked for under each spelling, all in
# one dpkg-query call (it is slow to start).
spellings() {
  local path=$1 resolved
  resolved=$(readlink -f "$path")
  printf '%s\n' "$path" "$resolved" "${path#/usr}" "${resolved#/usr}" "/usr${path#/usr}" "/usr${resolved#/usr}"
}
owners=$(for library in $libraries; do spellings "$library"; done | sort -u |
  xargs dpkg-query -S 2>/dev/null || true)

# Prints the package that owns one of the spellings of library $1.
owner_of() {
  local path
  while read -r path; do
    # Lines read "pkg[:arch][, pkg2[:arch]]: /path".
    awk -v path="$path" '{
      at = index($0, ": /"); file = substr($0, at + 2)
      if (file == path) { owner = substr($0, 1, at - 1); sub(/[:,].*/, "", owner); print owner; exit 0 }
    }' <<<"$owners" | grep . && return 0
  done < <(spellings "$1")
  return 1
}

for library in $libraries; do
  if ! owner_of "$library"; then
    echo "runtime-packages: no Debian package provides $library" >&2
    exit 1
  fi
done | sort -u
