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
# without the cache (VCPUID_HOST_CACHE=off: every KVM ioctl), the same
# profile read by the general jansson reader (one escaped character), and
# what each costs above the floor.
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
# The same profile with one character of its kernel string written as a
# JSON escape: the same host, but the plain-form reader gives way to the
# general (jansson) reader, whose cost this shows.
general=
if command -v python3 >/dev/null; then
	general=$tmp/this-host-escaped.json
	python3 - profiles/this-host.json "$general" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
out = re.sub(r'("kernel": ")(.)', lambda m: m.group(1) + "\\u%04x" % ord(m.group(2)),
             text, count=1)
assert out != text
open(sys.argv[2], "w").write(out)
PY
fi
: >"$tmp/ours"
: >"$tmp/peer"
: >"$tmp/floor"
: >"$tmp/nocache"
: >"$tmp/general"
for _ in $(seq "$RUNS"); do
	"$TIMER" -- "$VCPUID" "${cmd[@]}" --host bundled:this-host >>"$tmp/ours"
	[ -n "$general" ] && "$TIMER" -- "$VCPUID" "${cmd[@]}" --host "$general" \
		>>"$tmp/general"
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
if [ -s "$tmp/general" ]; then
	g=$(median "$tmp/general")
	echo "bench_profile: the same profile through the general (jansson)" \
		"reader: $g us, $((g - floor)) us above the floor" >&2
fi
ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN { printf "%.2f", b / a }')
echo "BENCH profile: vcpuid $ours us | live-host $peer us | ratio ${ratio}x | target none (reference)"
