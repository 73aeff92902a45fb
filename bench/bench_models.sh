#!/usr/bin/env bash
# BENCH models: whole-process `vcpuid models --all --machine pc-i440fx-7.2`
# (every CPU type with its -cpu help description) against QEMU 7.2's
# `qemu-system-x86_64 -machine none -cpu help`, same run, median of N.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
exe=$BUILD/src/cli/vcpuid
runs=${RUNS:-30}
command -v qemu-system-x86_64 >/dev/null || { echo "BENCH models: skipped (no qemu-system-x86_64)"; exit 0; }
[ -x "$exe" ] || { echo "BENCH models: skipped (no $exe)"; exit 0; }

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

"$exe" models --all --machine pc-i440fx-7.2 >/dev/null # warm up
ours=$(median_ms "$exe" models --all --machine pc-i440fx-7.2)
peer=$(median_ms qemu-system-x86_64 -machine none -cpu help)
ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", b / a }')
echo "BENCH models: vcpuid $ours ms | qemu -cpu help $peer ms | ratio ${ratio}x | target <= 20 ms"
