#!/usr/bin/env bash
# Install, build, and run every test: unit, CLI, conformance against QEMU 7.2,
# release builds with gcc and clang (-Werror; the unit suite in release),
# KVM, the sanitizer build, and a bounded fuzzing run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
fail=0
echo "== build and test (debugoptimized)"
[ -d build ] || meson setup build >/dev/null
ninja -C build
meson test -C build --print-errorlogs || fail=1
echo "== release builds: gcc (and its unit suite), clang (compile only)"
[ -d build-release ] || meson setup build-release -Dbuildtype=release >/dev/null
ninja -C build-release || fail=1
meson test -C build-release --suite unit --print-errorlogs || fail=1
[ -d build-clang-release ] || CC=clang meson setup build-clang-release \
	-Dbuildtype=release >/dev/null
ninja -C build-clang-release || fail=1
echo "== sanitizer build (ASan+UBSan)"
[ -d build-asan ] || CC=clang meson setup build-asan -Db_sanitize=address,undefined \
	-Db_lundef=false -Dbuildtype=debug >/dev/null
ninja -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --no-suite slow || fail=1
if [ -d fuzz ] && [ -f fuzz/run.sh ]; then
	echo "== fuzzing (bounded)"
	fuzz/run.sh "${FUZZ_SECONDS:-20}" || fail=1
fi
exit $fail
