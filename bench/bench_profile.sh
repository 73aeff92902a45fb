#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_profile.sh: a recorded host against the live one, as a VMM starting a
# guest pays for them: whole-process `vcpuid cpuid --cpu $CPU --host
# bundled:this-host --machine pc-i440fx-7.2 --format raw` (reads and parses
# profiles/this-host.json, ~32 KB) against the same command with `--host
# live` (this machine's CPUID, and KVM's answers from the boot's host cache,
# docs/host-cache.md, as a VMM gets them), interleaved, median of $RUNS each.
# All are started by bench/spawn_timer (posix_spawn to exit). stderr also
# gives the floor, `vcpuid --version` started the same way, the live host
# without the cache (VCPUID_HOST_CACHE=off: every KVM ioctl), and what each
# costs above the floor.
# Output (stdout, one line; ratio = live / recorded; no target: a reference
# for VMMs that start guests from a recorded profile):
#   BENCH profile: vcpuid <us> us | live-host <us> us | ratio <x>x | target none (reference)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CPU=${CPU:-Skylake-Client-v1}
RUNS=${RUNS:-101}
VCPUID=$BUILD/src/cli/vcpuid
TIMER=$BUILD/bench/spawn_timer
[ -x "$VCPUID" ] && [ -x "$TIMER" ] || {
	echo "BENCH profile: skipped (no $VCPUID or $TIMER)"
	exit 0
}
[ -r /dev/kvm ] || {
	echo "BENCH profile: skipped (no /dev/kvm for the live peer)"
	exit 0
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cmd=(cpuid --cpu "$CPU" --machine pc-i440fx-7.2 --format raw)
for host in bundled:this-host live; do
	"$VCPUID" "${cmd[@]}" --host "$host" >/dev/null || {
		echo "BENCH profile: skipped (vcpuid cpuid --host $host failed)"
		exit 0
	}
done
: >"$tmp/ours"
: >"$tmp/peer"
: >"$tmp/floor"
: >"$tmp/nocache"
for _ in $(seq "$RUNS"); do
	"$TIMER" -- "$VCPUID" "${cmd[@]}" --host bundled:this-host >>"$tmp/ours"
	"$TIMER" -- "$VCPUID" "${cmd[@]}" --host live >>"$tmp/peer"
	"$TIMER" -- "$VCPUID" --version >>"$tmp/floor"
	VCPUID_HOST_CACHE=off "$TIMER" -- "$VCPUID" "${cmd[@]}" --host live \
		>>"$tmp/nocache"
done
ours=$(median "$tmp/ours")
peer=$(median "$tmp/peer")
floor=$(median "$tmp/floor")
nocache=$(median "$tmp/nocache")
echo "bench_profile: floor (vcpuid --version) $floor us; above it:" \
	"recorded host $((ours - floor)) us, live host $((peer - floor)) us," \
	"live host without the cache $((nocache - floor)) us" >&2
ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", b / a }')
echo "BENCH profile: vcpuid $ours us | live-host $peer us | ratio ${ratio}x | target none (reference)"
