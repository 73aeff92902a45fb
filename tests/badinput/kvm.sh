#!/bin/sh
# SPDX-License-Identifier: MIT
# kvm.sh KIND COMMAND...: run COMMAND (a vcpuid command on the live host)
# with KVM in one state, for tests/badinput/host.cases. Runs in the case's
# fresh directory; exits 77 with the reason when this machine cannot make
# that state (no root, no unshare, no /dev/kvm).
#
#   live     a usable /dev/kvm, as it is
#   fd4      a usable /dev/kvm but only one file descriptor for KVM: the
#            device opens, a scratch VM cannot be created (EMFILE); skipped
#            when KVM gives no TSC rate (no scratch VM is made then)
# No usable KVM:
#   missing  $VCPUID_KVM_DEVICE names a path that does not exist   (ENOENT)
#   dir      $VCPUID_KVM_DEVICE names a directory                  (EISDIR)
#   notkvm   $VCPUID_KVM_DEVICE is /dev/null: opens, is no KVM     (ENOTTY)
#   emfile   no file descriptor left for /dev/kvm (prlimit 3)      (EMFILE;
#            skipped for a dynamically linked vcpuid)
#   denied   the real /dev/kvm as an unprivileged user (65534)     (EACCES)
#   hidden   the real path: a mount namespace without /dev/kvm     (ENOENT)
#   nulled   the real path: /dev/null bind-mounted over /dev/kvm   (ENOTTY)
#   cached   as nulled, after a run with KVM filled the host cache of a
#            private directory (the cache must not stand in for KVM)
# The host cache is off (private for 'cached'): a test never reads or
# writes the machine's /run/vcpuid.
set -u
kind=$1
shift
skip() {
	echo "kvm.sh $kind: $*" >&2
	exit 77
}
need_root_ns() {
	[ "$(id -u)" = 0 ] || skip "needs root for a mount namespace"
	unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
}
export VCPUID_HOST_CACHE=off
unset VCPUID_KVM_DEVICE
usable() {
	[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] ||
		skip "no usable /dev/kvm"
}
case $kind in
live)
	usable
	exec "$@" ;;
fd4)
	usable
	command -v prlimit >/dev/null || skip "no prlimit"
	"$1" cpuid --cpu qemu64,+invtsc --format raw 2>/dev/null |
		grep -q '^ *0x40000010 ' || skip "KVM gives no TSC rate here"
	exec prlimit --nofile=4:4 "$@" ;;
missing) VCPUID_KVM_DEVICE=/nonexistent/kvm exec "$@" ;;
dir) VCPUID_KVM_DEVICE=$PWD exec "$@" ;;
notkvm) VCPUID_KVM_DEVICE=/dev/null exec "$@" ;;
emfile)
	command -v prlimit >/dev/null || skip "no prlimit"
	# a dynamically linked vcpuid (the sanitizer build) cannot start with
	# no descriptor left: ld.so needs one to load its libraries before main
	if command -v readelf >/dev/null &&
	   readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'; then
		skip "$1 is dynamically linked: the loader needs a descriptor before main (the static build runs these cases)"
	fi
	exec prlimit --nofile=3:3 "$@" ;;
denied)
	[ "$(id -u)" = 0 ] || skip "needs root to run as another user"
	[ -c /dev/kvm ] || skip "no /dev/kvm to be denied"
	command -v setpriv >/dev/null || skip "no setpriv"
	as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	$as_nobody sh -c 'test -w /dev/kvm' && skip "/dev/kvm is writable by everyone"
	exec $as_nobody "$@" ;;
hidden)
	need_root_ns
	exec unshare -m sh -c 'mount -t tmpfs none /dev && exec "$@"' sh "$@" ;;
nulled)
	need_root_ns
	[ -e /dev/kvm ] || skip "no /dev/kvm to cover"
	exec unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' sh "$@" ;;
cached)
	need_root_ns
	[ -c /dev/kvm ] || skip "no /dev/kvm to fill the cache with"
	export VCPUID_HOST_CACHE="$PWD/cache"
	mkdir -m 700 "$VCPUID_HOST_CACHE"
	"$1" cpuid --cpu host >/dev/null 2>&1 || skip "vcpuid cpuid --cpu host fails with KVM"
	[ -f "$VCPUID_HOST_CACHE/kvm-host.bin" ] || skip "the host cache was not written"
	exec unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' sh "$@" ;;
*) echo "kvm.sh: unknown kind '$kind'" >&2; exit 2 ;;
esac
