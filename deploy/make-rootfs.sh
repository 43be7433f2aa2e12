#!/usr/bin/env bash
# Assembles the runtime image's root file system in ROOT: the installed files
# of the Debian packages listed in PACKAGES_FILE (runtime-packages.sh's output:
# the packages factgraphd's shared libraries come from) and of the packages
# they depend on, without their
# documentation, manual pages and translations, as Debian's own slim images
# leave them out; a passwd/group naming uid/gid 10001; and ROOT/usr/share/doc/
# factgraph/packages.txt, the name and version of every Debian package whose
# files are in the image (the image's bill of materials).
#
# Files are copied from this system's dpkg database, so the image holds
# exactly the library builds factgraphd was linked against. No shell, no
# package manager, no coreutils: the image runs factgraphd, and nginx in front
# of it (deploy/nginx).
#
# PROGRAM_PACKAGEs (nginx) are copied without following their dependencies:
# the libraries their binaries load are in PACKAGES_FILE (runtime-packages.sh
# of those binaries), and what else they depend on is for a system that
# installs and runs them as a service (nginx: nginx-common's configuration,
# service files and debconf scripts, iproute2), not for starting the binary
# with a configuration of its own.
# Usage: make-rootfs.sh PACKAGES_FILE ROOT [PROGRAM_PACKAGE...]
set -euo pipefail
usage="usage: make-rootfs.sh PACKAGES_FILE ROOT [PROGRAM_PACKAGE...]"
packages_file=${1:?$usage}
root=${2:?$usage}
shift 2
programs=("$@")
mapfile -t wanted < <(grep -v '^\s*$' "$packages_file")
((${#wanted[@]})) || { echo "make-rootfs: $packages_file names no package" >&2; exit 1; }
for program in "${programs[@]}"; do
  dpkg-query -W -f='${Status}' "$program" 2>/dev/null | grep -q "install ok installed" ||
    { echo "make-rootfs: $program is not installed" >&2; exit 1; }
done

# The installed packages that package $1 depends on (Pre-Depends, Depends;
# of alternatives, the first one installed), one a line.
installed_dependencies() {
  dpkg-query -W -f='${Pre-Depends},${Depends}' "$1" | tr ',' '\n' | while read -r group; do
    [ -n "$group" ] || continue
    IFS='|' read -ra alternatives <<<"$group"
    for alternative in "${alternatives[@]}"; do
      name=$(sed 's/([^)]*)//; s/:any//; s/[[:space:]]//g' <<<"$alternative")
      if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed"; then
        echo "$name"
        break
      fi
    done
  done
}
# With their dependencies, as dpkg would install them: every shared object in
# the image then finds its libraries, not only those factgraphd loads (e.g.
# libgrpc29's libgrpc_plugin_support needs libprotoc32).
declare -A seen=()
queue=("${wanted[@]}")
packages=()
while ((${#queue[@]})); do
  package=${queue[0]}
  queue=("${queue[@]:1}")
  [ -z "${seen[$package]:-}" ] || continue
  seen[$package]=1
  packages+=("$package")
  mapfile -t -O "${#queue[@]}" queue < <(installed_dependencies "$package")
done
for program in "${programs[@]}"; do
  [ -n "${seen[$program]:-}" ] || packages+=("$program")
  seen[$program]=1
done
if [ -e "$root" ] && [ -n "$(ls -A "$root")" ]; then
  echo "make-rootfs: $root is not empty" >&2
  exit 1
fi

# Debian 12's merged /usr: /lib64 etc. are links into /usr, as on the build
# system, so that dpkg's /lib64/ld-linux-x86-64.so.2 lands in usr/lib64.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/etc "$root"/tmp
for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$root/$dir"; done
chmod 1777 "$root/tmp"

# What Debian's slim images exclude (/etc/dpkg/dpkg.cfg.d/docker in
# debian:12-slim), except the copyright files, which the licenses require.
excluded='^/usr/share/(doc/[^/]+/.+|man|info|locale|lintian|linda)(/|$)'
copyright='^/usr/share/doc/[^/]+/copyright$'
for package in "${packages[@]}"; do
  dpkg-query -L "$package" | while read -r path; do
    # Directories, and merged-/usr links to them (/lib64), are made below.
    [ -d "$path" ] && continue
    if [[ $path =~ $excluded ]] && ! [[ $path =~ $copyright ]]; then continue; fi
    [ -e "$path" ] || [ -L "$path" ] || {
      echo "make-rootfs: $package lists $path, which is not installed" >&2
      exit 1
    }
    # Not cp --parents, which fails on directories in coreutils 9.1.
    mkdir -p "$root$(dirname "$path")"
    cp -a "$path" "$root$path"
  done
done

# Only root and the user the image runs as; numeric in the Dockerfile's USER.
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/usr/sbin/nologin
factgraph:x:10001:10001:factgraph:/nonexistent:/usr/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
factgraph:x:10001:
EOF
# Without it glibc would still read /etc/hosts; stated so that "localhost"
# resolves the same way in every runtime.
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"

mkdir -p "$root/usr/share/doc/factgraph"
{
  echo "# Debian packages whose files are in this image (package version architecture)."
  echo "# Copied from Debian 12 (bookworm) by deploy/make-rootfs.sh, without docs and translations."
  dpkg-query -W -f='${binary:Package} ${Version} ${Architecture}\n' "${packages[@]}" |
    sed 's/:[a-z0-9]* / /' | sort
} >"$root/usr/share/doc/factgraph/packages.txt"
echo "make-rootfs: ${#packages[@]} packages, $(du -sh "$root" | cut -f1) in $root"
