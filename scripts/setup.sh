#!/usr/bin/env bash
# Installs what factgraph needs to build, test and serve, on Debian 12, as
# root (or with sudo). Safe to run again: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  protobuf-compiler libprotobuf-dev protobuf-compiler-grpc libgrpc++-dev grpc-proto
  libicu-dev libssl-dev openssl libstemmer-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev
  clang libclang-rt-14-dev
  python3 python3-grpcio python3-grpc-tools python3-yaml python3-venv
  nghttp2-client graphviz procps nginx
  libcivetweb-dev prometheus curl
  libxxhash-dev
)
# Only for the explorer's browser tests and their screenshots; the image's
# build stage (deploy/Dockerfile) skips them with FACTGRAPH_SETUP_NO_BROWSER=1.
BROWSER_TEST_PACKAGES=(chromium python3-websocket fonts-nanum)
[ "${FACTGRAPH_SETUP_NO_BROWSER:-0}" = 1 ] ||
  DEBIAN_PACKAGES+=("${BROWSER_TEST_PACKAGES[@]}")
# Commands that may come from another distribution of the same tool (e.g.
# Node.js from NodeSource, whose nodejs package bundles npm): installed from
# Debian only when the command is missing.
declare -A COMMAND_PACKAGES=([node]=nodejs [npm]=npm)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
for command in "${!COMMAND_PACKAGES[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${COMMAND_PACKAGES[$command]}")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm tools Debian does not package: buf (lint, curl), protoc-gen-es, and the
# Node client's gRPC libraries. Versions are pinned by the lock files.
for dir in tools client/node; do
  if [ -f "$dir/package.json" ] && ! npm ls --prefix "$dir" --all >/dev/null 2>&1; then
    echo "setup: npm install in $dir"
    # Not `npm ci`: the lock files cannot list buf's binaries for other
    # platforms that the registry here does not serve, and `npm ci` refuses
    # that; --no-save installs exactly the locked versions without rewriting
    # the lock file.
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error >/dev/null
  fi
done
echo "setup: all dependencies present"
