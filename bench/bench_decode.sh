#!/usr/bin/env bash
# Decode a `cpuid -1 -r` dump of this machine: `vcpuid decode DUMP` against
# `cpuid -f DUMP` (the Debian cpuid tool decoding the same file), both as
# whole processes. Median wall time per run from hyperfine, robust against
# other load on the machine (or the mean of a loop of runs timed with
# date +%s%N when hyperfine is missing). The cost of starting any process
# (`true`) is printed on stderr as the floor.
#   BENCH decode: vcpuid <ms> ms | cpuid <ms> ms | ratio <cpuid/vcpuid>x | target <= 5 ms
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VCPUID=$BUILD/src/cli/vcpuid
RUNS=${RUNS:-200}
[ -x "$VCPUID" ] || { echo "bench_decode: build first ($VCPUID missing)" >&2; exit 1; }
if ! command -v cpuid >/dev/null; then
	echo "BENCH decode: skipped (the cpuid tool is not installed)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpuid -1 -r >"$tmp/dump.txt"
"$VCPUID" decode "$tmp/dump.txt" >/dev/null	# must work before timing it

mean_ms() {	# mean_ms CMD... -> milliseconds per run (median with hyperfine)
	if command -v hyperfine >/dev/null; then
		hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$tmp/h.json" \
			--output=null "$*" >/dev/null 2>&1
		python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$tmp/h.json"
	else
		local t0 t1
		t0=$(date +%s%N)
		for _ in $(seq "$RUNS"); do "$@" >/dev/null; done
		t1=$(date +%s%N)
		python3 -c "print('%.3f' % (($t1 - $t0) / 1e6 / $RUNS))"
	fi
}

floor=$(mean_ms true)
ours=$(mean_ms "$VCPUID" decode "$tmp/dump.txt")
peer=$(mean_ms cpuid -f "$tmp/dump.txt")
echo "bench_decode: process start floor (true) $floor ms" >&2
ratio=$(python3 -c "print('%.1f' % ($peer / $ours))")
echo "BENCH decode: vcpuid $ours ms | cpuid $peer ms | ratio ${ratio}x | target <= 5 ms"
