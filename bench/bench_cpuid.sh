#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_cpuid.sh: `vcpuid cpuid` as a whole process against QEMU 7.2 reaching
# its first KVM_SET_CPUID2 for the same guest, on this machine's /dev/kvm.
#   vcpuid: spawn to exit of `vcpuid cpuid --cpu $CPU --host live
#           --machine pc-i440fx-7.2 --qemu 7.2 --smp $SMP --format raw` (includes
#           probing the live host), median of 3 x $QRUNS runs. KVM's
#           answers come from the host cache as at every VM start after the
#           first of the boot (docs/host-cache.md; the first run here
#           writes it, in a directory of this run). A second line gives the
#           same with VCPUID_HOST_CACHE=off (every ioctl asked again), run
#           alternately with the cached one (3 x $QRUNS each).
#   QEMU:   spawn of `qemu-system-x86_64 -accel kvm -machine pc-i440fx-7.2
#           -cpu $CPU -smp $SMP -S ...` to its first KVM_SET_CPUID2 call,
#           stamped by bench/cpuid_timer_preload.c (LD_PRELOAD), median of
#           $QRUNS. QEMU's time to QMP-ready would be a larger upper bound.
#   Both are started by bench/spawn_timer (posix_spawn): the cost of forking
#   this shell (~0.5 ms here) is in neither figure. The line also gives the
#   floor: a static C program that does nothing, started the same way.
# Also prints (stderr) the library-only medians of bench_cpuid (targets:
# <= 20 us for one vCPU, <= 2 ms for 256 vCPUs).
# Output (stdout, two lines):
#   BENCH cpuid: vcpuid <ms> ms | qemu-7.2 <ms> ms | ratio <x>x | target >=30x
#   BENCH cpuid-uncached: vcpuid <ms> ms | qemu-7.2 <ms> ms | ratio <x>x | target none (reference)
set -euo pipefail
# times in microseconds from bash's EPOCHREALTIME (no fork per stamp)
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CPU=${CPU:-Skylake-Client-v1}
SMP=${SMP:-1}
QRUNS=${QRUNS:-9}
VCPUID=$BUILD/src/cli/vcpuid
TIMER=$BUILD/bench/spawn_timer
PRELOAD=$(realpath "$BUILD/bench/libcpuid_timer_preload.so" 2>/dev/null || true)
QEMU=${VCPUID_QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -m 0700 "$tmp/cache"
export VCPUID_HOST_CACHE=$tmp/cache

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

if [ -x "$BUILD/bench/bench_cpuid" ]; then
	"$BUILD/bench/bench_cpuid" >&2 || echo "bench_cpuid: a library target was missed" >&2
fi

have_qemu=0
if command -v "$QEMU" >/dev/null && [ -w /dev/kvm ] && [ -n "$PRELOAD" ]; then
	have_qemu=1
fi
# Interleaved rounds (3 vcpuid runs, then one QEMU run) so that both see
# the same machine load.
: >"$tmp/ours"
: >"$tmp/uncached"
: >"$tmp/peer"
: >"$tmp/floor"
printf '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n' >"$tmp/qmp"
# The floor: a static program that only exits (when a C compiler is here).
FLOOR=$tmp/noop
printf 'int main(void) { return 0; }\n' >"$tmp/noop.c"
cc -O2 -static -o "$FLOOR" "$tmp/noop.c" 2>/dev/null || FLOOR=
for _ in $(seq "$QRUNS"); do
	# cached and uncached alternate, so both see the same conditions
	for _ in 1 2 3; do
		if ! "$TIMER" -- "$VCPUID" cpuid --cpu "$CPU" --host live \
			--machine pc-i440fx-7.2 --qemu 7.2 --smp "$SMP" --format raw \
			>>"$tmp/ours"; then
			err=$("$VCPUID" cpuid --cpu "$CPU" --host live \
				--machine pc-i440fx-7.2 --qemu 7.2 --smp "$SMP" \
				--format raw 2>&1 >/dev/null | head -1)
			echo "BENCH cpuid: vcpuid failed: $err | qemu-7.2 n/a | ratio n/a | target >=30x"
			exit 0
		fi
		VCPUID_HOST_CACHE=off "$TIMER" -- "$VCPUID" cpuid --cpu "$CPU" \
			--host live --machine pc-i440fx-7.2 --qemu 7.2 --smp "$SMP" \
			--format raw >>"$tmp/uncached"
	done
	[ -x "$FLOOR" ] && "$TIMER" -- "$FLOOR" >>"$tmp/floor"
	[ "$have_qemu" = 1 ] || continue
	VCPUID_BENCH_STAMP="$tmp/stamp" LD_PRELOAD="$PRELOAD" \
		"$TIMER" --stamp "$tmp/stamp" --stdin "$tmp/qmp" -- \
		"$QEMU" -accel kvm -machine pc-i440fx-7.2 -cpu "$CPU" \
		-smp "$SMP" -S -nodefaults -display none -qmp stdio \
		>>"$tmp/peer" || true
done
ours_us=$(median <"$tmp/ours")
peer="n/a"
if [ -s "$tmp/floor" ]; then
	echo "process floor (static no-op, same launcher): $(median <"$tmp/floor") us" >&2
fi
[ -s "$tmp/peer" ] && peer=$(median <"$tmp/peer")

fmt_ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
line() { # name ours_us target
	if [ "$peer" = "n/a" ]; then
		echo "BENCH $1: vcpuid $(fmt_ms "$2") ms | qemu-7.2 n/a ms | ratio n/a | target $3"
	else
		ratio=$(awk -v a="$peer" -v b="$2" 'BEGIN {printf "%.1f", a / b}')
		echo "BENCH $1: vcpuid $(fmt_ms "$2") ms | qemu-7.2 $(fmt_ms "$peer") ms | ratio ${ratio}x | target $3"
	fi
}
line cpuid "$ours_us" ">=30x"
line cpuid-uncached "$(median <"$tmp/uncached")" "none (reference)"
