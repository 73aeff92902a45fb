#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_cpuid.sh: `vcpuid cpuid` as a whole process against QEMU 7.2 reaching
# its first KVM_SET_CPUID2 for the same guest, on this machine's /dev/kvm.
#   vcpuid: exec to exit of `vcpuid cpuid --cpu $CPU --host live --smp $SMP
#           --format raw` (includes probing the live host), median of
#           3 x $QRUNS runs.
#   QEMU:   exec of `qemu-system-x86_64 -accel kvm -machine pc-i440fx-7.2
#           -cpu $CPU -smp $SMP -S ...` to its first KVM_SET_CPUID2 call,
#           stamped by bench/cpuid_timer_preload.c (LD_PRELOAD), median of
#           $QRUNS. QEMU's time to QMP-ready would be a larger upper bound.
# Also prints (stderr) the library-only medians of bench_cpuid (targets:
# <= 20 us for one vCPU, <= 2 ms for 256 vCPUs).
# Output (stdout, one line):
#   BENCH cpuid: vcpuid <ms> ms | qemu-7.2 <ms> ms | ratio <x>x | target >=30x
set -euo pipefail
# times in microseconds from bash's EPOCHREALTIME (no fork per stamp)
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CPU=${CPU:-Skylake-Client-v1}
SMP=${SMP:-1}
QRUNS=${QRUNS:-9}
VCPUID=$BUILD/src/cli/vcpuid
PRELOAD=$(realpath "$BUILD/bench/libcpuid_timer_preload.so" 2>/dev/null || true)
QEMU=${VCPUID_QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

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
: >"$tmp/peer"
for _ in $(seq "$QRUNS"); do
	for _ in 1 2 3; do
		t0=${EPOCHREALTIME/./}
		if ! "$VCPUID" cpuid --cpu "$CPU" --host live --smp "$SMP" \
			--format raw >/dev/null 2>"$tmp/err"; then
			echo "BENCH cpuid: vcpuid failed: $(head -1 "$tmp/err") | qemu-7.2 n/a | ratio n/a | target >=30x"
			exit 0
		fi
		t1=${EPOCHREALTIME/./}
		echo $((t1 - t0)) >>"$tmp/ours"
	done
	[ "$have_qemu" = 1 ] || continue
	rm -f "$tmp/stamp"
	t0=${EPOCHREALTIME/./}
	printf '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n' |
		VCPUID_BENCH_STAMP="$tmp/stamp" LD_PRELOAD="$PRELOAD" \
			"$QEMU" -accel kvm -machine pc-i440fx-7.2 -cpu "$CPU" \
			-smp "$SMP" -S -nodefaults -display none -qmp stdio \
			>/dev/null 2>&1 || true
	[ -s "$tmp/stamp" ] && echo $(($(cat "$tmp/stamp") / 1000 - t0)) >>"$tmp/peer"
done
ours_us=$(median <"$tmp/ours")
peer="n/a"
[ -s "$tmp/peer" ] && peer=$(median <"$tmp/peer")

fmt_ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
if [ "$peer" = "n/a" ]; then
	echo "BENCH cpuid: vcpuid $(fmt_ms "$ours_us") ms | qemu-7.2 n/a ms | ratio n/a | target >=30x"
else
	ratio=$(awk -v a="$peer" -v b="$ours_us" 'BEGIN {printf "%.1f", a / b}')
	echo "BENCH cpuid: vcpuid $(fmt_ms "$ours_us") ms | qemu-7.2 $(fmt_ms "$peer") ms | ratio ${ratio}x | target >=30x"
fi
