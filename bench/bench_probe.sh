#!/usr/bin/env bash
# BENCH probe: whole-process `vcpuid probe -o FILE` (raw CPUID + every KVM
# ioctl + JSON) against `cpuid -1 -r` (raw CPUID only), same run, median of N.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
exe=$BUILD/src/cli/vcpuid
runs=${RUNS:-30}
out=$(mktemp /tmp/vcpuid-bench-probe.XXXXXX.json)
trap 'rm -f "$out"' EXIT
command -v cpuid >/dev/null || { echo "BENCH probe: skipped (no cpuid tool)"; exit 0; }
[ -x "$exe" ] || { echo "BENCH probe: skipped (no $exe)"; exit 0; }

# median wall time in ms (EPOCHREALTIME: no fork to read the clock) of running "$@" $runs times
median_ms() {
	local ts=()
	for _ in $(seq "$runs"); do
		local a b
		a=${EPOCHREALTIME/[.,]/}
		"$@" >/dev/null 2>&1
		b=${EPOCHREALTIME/[.,]/}
		ts+=($((b - a)))
	done
	printf '%s\n' "${ts[@]}" | sort -n | awk '{v[NR]=$1} END {m=v[int((NR+1)/2)]; printf "%.2f", m/1000}'
}

"$exe" probe -o "$out" # warm up (page cache, modules)
ours=$(median_ms "$exe" probe -o "$out")
peer=$(median_ms cpuid -1 -r)
ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", b / a }')
echo "BENCH probe: vcpuid $ours ms | cpuid -1 -r $peer ms | ratio ${ratio}x | target <= 50 ms"
