#!/usr/bin/env bash
# Builds deploy/Dockerfile into a local image without a container daemon or a
# registry: buildah with chroot isolation, on a Debian 12 base that mmdebstrap
# makes from Debian's packages when local storage has none. Tags the image
# with the project version and the git revision, and writes beside the build
# (OUT_DIR, default build/image) the image's package list (packages.txt,
# the same file as /usr/share/doc/factgraph/packages.txt inside it), its tags
# and its size. Run as root (mmdebstrap and buildah need it here).
# Usage: deploy/build-image.sh [OUT_DIR]
# Environment: FACTGRAPH_IMAGE (default localhost/factgraph),
#   FACTGRAPH_IMAGE_SOURCE (OCI source label; default: the git remote URL).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${FACTGRAPH_BUILD_DIR:-build}/image}
image=${FACTGRAPH_IMAGE:-localhost/factgraph}
base=docker.io/library/debian:12
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The tools, from Debian, only when missing.
declare -A tool_packages=([mmdebstrap]=mmdebstrap [buildah]=buildah)
missing=()
for tool in "${!tool_packages[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${tool_packages[$tool]}")
done
if ((${#missing[@]})); then
  echo "build-image: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
# vfs: works on any file system, in any container, without fuse-overlayfs.
buildah=(buildah --storage-driver=vfs)

version=$(sed -n 's/^project(factgraph VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "build-image: no project VERSION in CMakeLists.txt" >&2; exit 1; }
revision=$(git rev-parse HEAD)
short=$(git rev-parse --short=12 HEAD)
# A tree with uncommitted changes is not that revision: say so in the tag.
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  revision+="-dirty"
  short+="-dirty"
fi
source_url=${FACTGRAPH_IMAGE_SOURCE:-$(git remote get-url origin 2>/dev/null || echo unknown)}

if ! "${buildah[@]}" inspect --type image "$base" >/dev/null 2>&1; then
  echo "build-image: no $base in local storage; making it with mmdebstrap"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The same suites as a Debian 12 system's default sources, so security
  # updates are in the base.
  mmdebstrap --quiet --variant=minbase --format=tar bookworm "$work/rootfs.tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  container=$("${buildah[@]}" from scratch)
  "${buildah[@]}" add --quiet "$container" "$work/rootfs.tar" / >/dev/null
  "${buildah[@]}" config --cmd bash \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label org.opencontainers.image.description="Debian 12 minbase, made locally by mmdebstrap" \
    "$container"
  "${buildah[@]}" commit --quiet --rm "$container" "$base" >/dev/null
  rm -rf "$work"
  trap - EXIT
fi

tags=("$image:$version" "$image:$version-$short" "$image:dev")
tag_args=()
for tag in "${tags[@]}"; do tag_args+=(--tag "$tag"); done
labels=(
  "org.opencontainers.image.version=$version"
  "org.opencontainers.image.revision=$revision"
  "org.opencontainers.image.source=$source_url"
)
annotation_args=()
for label in "${labels[@]}"; do annotation_args+=(--annotation "$label"); done

started=$SECONDS
# --layers keeps the package layer of the build stage between builds;
# --network=host because chroot isolation has no network of its own.
"${buildah[@]}" bud --isolation=chroot --network=host --pull=never --layers \
  --ignorefile deploy/Dockerfile.dockerignore -f deploy/Dockerfile \
  --build-arg "VERSION=$version" --build-arg "REVISION=$revision" \
  --build-arg "SOURCE=$source_url" "${annotation_args[@]}" "${tag_args[@]}" .
echo "build-image: built in $((SECONDS - started)) s"

# --layers keeps every step as an untagged image, each a full copy of the
# root under vfs (GBs per build). Only the build stage's steps up to its
# scripts/setup.sh layer are reused by the next build (the sources change);
# every other untagged image is removed.
"${buildah[@]}" images --all --noheading --no-trunc --format '{{.ID}} {{.Name}}' |
  sed 's/^sha256://' | sort -u >"$out/.images"
keep=$(python3 - "$out/.images" <<'PY'
import json, subprocess, sys
ids = sorted({line.split()[0] for line in open(sys.argv[1]) if line.strip()})
history = {}
for image in ids:
    inspected = json.loads(subprocess.run(
        ["buildah", "--storage-driver=vfs", "inspect", "--type", "image", image],
        capture_output=True, text=True, check=True).stdout)
    history[image] = [(h.get("created"), h.get("created_by", "")) for h in inspected["OCIv1"].get("history", [])]
# The RUN of scripts/setup.sh (not the COPY of it, a "#(nop)" step).
setups = [i for i in ids if history[i] and "scripts/setup.sh" in history[i][-1][1]
          and "#(nop)" not in history[i][-1][1]]
setups.sort(key=lambda i: history[i][-1][0])
if setups:
    setup = history[setups[-1]]
    # Its ancestors first, then the package layer itself.
    chain = [i for i in ids if history[i] == setup[:len(history[i])]]
    for image in sorted(chain, key=lambda i: len(history[i])):
        print(image)
PY
)
# Tagged, so that removing the images after it (the sources, the compile)
# leaves it: buildah also removes parents left untagged and childless.
setup_image=$(tail -n1 <<<"$keep")
if [ -n "$setup_image" ]; then
  "${buildah[@]}" tag "$setup_image" localhost/factgraph-build-cache:packages
fi
echo "build-image: keeping $(grep -c . <<<"$keep") cached images (the build stage up to scripts/setup.sh)"
while read -r id; do
  grep -qx "$id" <<<"$keep" || "${buildah[@]}" rmi "$id" >/dev/null 2>&1 || true
done < <(awk '$2 == "<none>" { print $1 }' "$out/.images")
rm -f "$out/.images"
# Earlier builds' images (~85 MB each): only the one just built stays.
# awk, not grep -v: with no earlier build nothing is left to list, and grep's
# exit status 1 for "no lines" would end this script under pipefail.
"${buildah[@]}" images --noheading --format '{{.Name}}:{{.Tag}}' |
  awk -v prefix="$image:" -v current="$(printf '%s\n' "${tags[@]}")" '
    BEGIN { n = split(current, list, "\n"); for (i = 1; i <= n; i++) keep[list[i]] = 1 }
    index($0, prefix) == 1 && !($0 in keep)' | while read -r old; do
  "${buildah[@]}" rmi "$old" >/dev/null 2>&1 || true
done

container=$("${buildah[@]}" from "${tags[1]}")
root=$("${buildah[@]}" mount "$container")
cp "$root/usr/share/doc/factgraph/packages.txt" "$out/packages.txt"
size_bytes=$(du -sb "$root" | cut -f1)
"${buildah[@]}" umount "$container" >/dev/null
"${buildah[@]}" rm "$container" >/dev/null
printf '%s\n' "${tags[@]}" >"$out/tags.txt"
echo "$size_bytes" >"$out/size-bytes.txt"
echo "build-image: ${tags[*]}"
echo "build-image: $((size_bytes / 1000000)) MB unpacked; packages in $out/packages.txt"
