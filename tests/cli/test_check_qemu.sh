#!/usr/bin/env bash
# `vcpuid check` against QEMU 7.2 itself: for each -cpu value, check's
# prediction (exit 0 = starts, 1 = aborts) must match whether QEMU actually
# gets through vCPU creation (feature MSRs included) on this host.
# Usage: test_check_qemu.sh VCPUID_BINARY. Exit 77 without /dev/kvm or QEMU.
set -u
V=$1
[ -e /dev/kvm ] || { echo "SKIP: /dev/kvm does not exist"; exit 77; }
command -v qemu-system-x86_64 >/dev/null || { echo "SKIP: no qemu-system-x86_64"; exit 77; }
fail=0
for cpu in host max host,-arch-capabilities Skylake-Client-v4 EPYC-v3 Cascadelake-Server-v5; do
	"$V" check --cpu "$cpu" --smp 2 --machine pc-i440fx-7.2 --qemu 7.2 >/dev/null 2>&1
	ours=$?
	out=$( (echo '{"execute":"qmp_capabilities"}'; sleep 0.3; echo '{"execute":"quit"}') |
		timeout 30 qemu-system-x86_64 -accel kvm -machine pc-i440fx-7.2 -cpu "$cpu" \
		-smp 2 -S -nodefaults -display none -qmp stdio 2>&1)
	qrc=$?
	if echo "$out" | grep -q '"return"'; then q=0; else q=1; fi
	if [ "$ours" = 2 ] || [ "$ours" -gt 1 ]; then
		echo "FAIL $cpu: check exited $ours"; fail=1
	elif [ "$ours" != "$q" ]; then
		echo "FAIL $cpu: check says $ours, QEMU $( [ $q = 0 ] && echo started || echo "aborted (exit $qrc)")"
		echo "$out" | grep -v '^{' | sed 's/^/  | /' | head -5
		fail=1
	else
		echo "ok   $cpu: $( [ $q = 0 ] && echo starts || echo aborts) (both)"
	fi
done
exit $fail
