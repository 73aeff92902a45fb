#!/usr/bin/env bash
# `vcpuid check` against the real QEMU: for each QEMU release available
# (7.2: the system's qemu-system-x86_64; 11.1: Debian sid's, through
# tests/oracle/qemu_sid.py when it can be had), each machine type of that
# release below and each -cpu value, check's prediction for that machine
# type as that release runs it (`--machine M --qemu X.Y`: exit 0 = starts,
# 1 = aborts) must match whether that
# QEMU, started with `-machine M`, gets through vCPU creation (feature MSRs
# included) on this host. Both sides run on this machine and on the same
# machine type, named in every line: the expectation is this host's,
# whatever its CPU vendor or KVM.
# Usage: test_check_qemu.sh VCPUID_BINARY. Exit 77 without a usable
# /dev/kvm or without any QEMU.
set -u
V=$1
SRC=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[ -e /dev/kvm ] || skip "/dev/kvm does not exist"
[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not usable by $(id -un)"
CPUS="host max host,-arch-capabilities max,-arch-capabilities Skylake-Client-v4 EPYC-v3 Cascadelake-Server-v5 Denverton"
fail=0
runs=0

# one QEMU release: LABEL "MACHINES" QEMU-WORDS...
check_release() {
	local label=$1 machines=$2
	shift 2
	local m cpu ours out qrc q
	for m in $machines; do
		for cpu in $CPUS; do
			"$V" check --cpu "$cpu" --machine "$m" --qemu "$label" --smp 2 >/dev/null 2>&1
			ours=$?
			out=$( (echo '{"execute":"qmp_capabilities"}'; sleep 0.3; echo '{"execute":"quit"}') |
				timeout 30 "$@" -accel kvm -machine "$m" -cpu "$cpu" \
				-smp 2 -S -nodefaults -display none -qmp stdio 2>&1)
			qrc=$?
			runs=$((runs + 1))
			if echo "$out" | grep -q '"return"'; then q=0; else q=1; fi
			if echo "$out" | grep -q "unable to find CPU model"; then
				# not a model of this release: check must refuse it too
				if [ "$ours" -le 1 ]; then
					echo "FAIL QEMU $label -machine $m -cpu $cpu: QEMU does not know the model, check says $ours"
					fail=1
				else
					echo "ok   QEMU $label -machine $m -cpu $cpu: unknown model (both)"
				fi
			elif [ "$ours" -gt 1 ]; then
				echo "FAIL QEMU $label -machine $m -cpu $cpu: check exited $ours"
				fail=1
			elif [ "$ours" != "$q" ]; then
				echo "FAIL QEMU $label -machine $m -cpu $cpu: check says $ours, QEMU $( [ $q = 0 ] && echo started || echo "aborted (exit $qrc)")"
				echo "$out" | grep -v '^{' | sed 's/^/  | /' | head -5
				fail=1
			else
				echo "ok   QEMU $label -machine $m -cpu $cpu: $( [ $q = 0 ] && echo starts || echo aborts) (both)"
			fi
		done
	done
}

if command -v qemu-system-x86_64 >/dev/null &&
   qemu-system-x86_64 -version | grep -q "version 7\.2\."; then
	check_release 7.2 "pc-i440fx-7.2 pc-q35-7.2" qemu-system-x86_64
else
	echo "SKIP part: no QEMU 7.2 (qemu-system-x86_64)"
fi
errf=$(mktemp)
q11=$(python3 "$SRC/tests/oracle/qemu_sid.py" --print-cmd 2>"$errf")
q11rc=$?
q11why=$(tail -1 "$errf")
rm -f "$errf"
if [ "$q11rc" = 0 ] && [ -n "$q11" ]; then
	read -r -a Q11 <<<"$q11"
	if "${Q11[@]}" -version | grep -q "version 11\.1\."; then
		check_release 11.1 "pc-i440fx-11.1 pc-q35-10.1 pc-i440fx-10.0 pc-q35-8.0" "${Q11[@]}"
	else
		echo "SKIP part: the sid QEMU is not 11.1 ($("${Q11[@]}" -version | head -1))"
	fi
else
	echo "SKIP part: QEMU 11.1 from Debian sid: $q11why"
fi
[ "$runs" -gt 0 ] || skip "no QEMU to compare with"
exit $fail
