#!/usr/bin/env bash
# The sanitizer passes that .ci/run runs after the README test command.
#
#   tests/hardening/sanitizer_pass.sh asan   build-asan: clang, ASan + UBSan,
#       every test target and the fuzz targets; runs the whole test suite
#       except the exclusions below.
#   tests/hardening/sanitizer_pass.sh tsan   build-tsan: ThreadSanitizer; runs
#       the concurrency tests (label "concurrency").
#
# Exclusions from the ASan + UBSan pass, each for a reason:
#   - label "soak": it asserts resident-memory growth under 5 %, which
#     ASan's quarantine (freed memory held back on purpose) and shadow memory
#     make meaningless (it runs un-instrumented in the README test command).
#   - label "flood" (abuse_floods_test.py): the same, for its resident-memory
#     bounds under floods; an instrumented server is also too slow to keep
#     a probe within its deadline during them.
#   - client_packages_e2e: its external CMake project links the installed
#     libfactgraph_proto.a, which this build instruments, without the
#     sanitizer runtime; it cannot link (it runs in the README test command).
#   - deploy_make_rootfs: it runs factgraphd chrooted into the image's root,
#     which has no /proc, where LeakSanitizer cannot list threads and aborts.
set -euo pipefail
cd "$(dirname "$0")/../.."
pass=${1:?usage: sanitizer_pass.sh asan|tsan}
jobs=${FACTGRAPH_JOBS:-2}
here=$PWD/tests/hardening

case "$pass" in
  asan)
    build_dir=${FACTGRAPH_ASAN_BUILD_DIR:-build-asan}
    CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
      -DFACTGRAPH_ASAN=ON -DFACTGRAPH_FUZZ=ON -DFACTGRAPH_BENCH=OFF >/dev/null
    ninja -C "$build_dir" -j"$jobs"
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1" \
    LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
      ctest --test-dir "$build_dir" --output-on-failure -j"$jobs" --timeout 900 \
        -LE '^(soak|flood)$' -E '^(client_packages_e2e|deploy_make_rootfs)$'
    ;;
  tsan)
    build_dir=${FACTGRAPH_TSAN_BUILD_DIR:-build-tsan}
    cmake -S . -B "$build_dir" -G Ninja -DFACTGRAPH_TSAN=ON \
      -DFACTGRAPH_BENCH=OFF >/dev/null
    ninja -C "$build_dir" -j"$jobs" concurrency_test
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tsan.supp" \
      ctest --test-dir "$build_dir" --output-on-failure -L '^concurrency$' \
        --timeout 900
    ;;
  *)
    echo "usage: $0 asan|tsan" >&2
    exit 2
    ;;
esac
