#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid check` against real QEMU launches recorded on this kind of host.

DIR/live-start-host-max.json (../shared/data/amd-epyc-pvm-golden, README
there) lists real starts of QEMU 7.2 and 11.1 (no preload) with
`-cpu host|max[,-arch-capabilities]` on every machine type and three
topologies, and whether each started or aborted (e.g. "failed to set MSR
0x10a to 0x400000000c000069" where the hypervisor refuses MSR 0x10A). For
each run, `vcpuid check --cpu CPU --machine M --smp S` must predict the same
(exit 0: starts, 1: aborts).

Those launches depend on the host they ran on, so the test runs only where
the live host is of that kind, for what decides them: the same CPUID
vendor and signature, KVM flavour, feature-MSR values, KVM's
CPUID.7.0:EDX (arch-capabilities) and MSR 0x10A in KVM_GET_MSR_INDEX_LIST
as DIR/host/vcpuid-probe-live.json (`vcpuid probe` there; machines of that
kind differ in other parts of KVM's table, e.g. AVX-512 and XSAVE). The
refusal itself is this host's KVM answering `check`. Elsewhere, without
DIR or without a usable /dev/kvm it exits 77 saying why.

Usage: test_check_live_golden.py VCPUID DIR
"""
import json
import os
import subprocess
import sys
import tempfile


def skip(why):
    print("SKIP: %s" % why)
    sys.exit(77)


def identity(p):
    """What the recorded verdicts depend on, from a host profile."""
    raw = {(int(e["function"], 0), int(e.get("index", "0"), 0)): e
           for e in p.get("raw_cpuid") or []}
    leaf0, leaf1 = raw.get((0, 0), {}), raw.get((1, 0), {})
    kvm = p.get("kvm") or {}
    edx7 = [int(e["edx"], 0) for e in kvm.get("supported_cpuid") or []
            if int(e["function"], 0) == 7 and int(e.get("index", "0"), 0) == 0]
    msrs = sorted((int(m["index"], 0), int(m["value"], 0))
                  for m in kvm.get("feature_msrs") or [])
    index = [int(i, 0) if isinstance(i, str) else i
             for i in kvm.get("msr_index_list") or []]
    return {"vendor": [leaf0.get(r) for r in ("ebx", "edx", "ecx")],
            "signature": leaf1.get("eax"), "kvm flavour": kvm.get("flavour"),
            "KVM CPUID.7.0:EDX": edx7, "feature MSRs": msrs,
            "MSR 0x10A listed": 0x10A in index}


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    exe, gdir = sys.argv[1], sys.argv[2]
    runs_file = os.path.join(gdir, "live-start-host-max.json")
    rec_file = os.path.join(gdir, "host", "vcpuid-probe-live.json")
    if not os.path.isfile(runs_file) or not os.path.isfile(rec_file):
        skip("no recorded launches in %s (shared data not on this machine)"
             % gdir)
    with tempfile.TemporaryDirectory(prefix="vcpuid-chk-") as tmp:
        live = os.path.join(tmp, "live.json")
        p = subprocess.run([exe, "probe", "-o", live], capture_output=True,
                           text=True)
        if p.returncode:
            skip("vcpuid probe of this host failed: %s" % p.stderr.strip())
        with open(live) as f:
            mine = identity(json.load(f))
    with open(rec_file) as f:
        theirs = identity(json.load(f))
    other = [k for k in theirs if theirs[k] != mine[k]]
    if other:
        skip("this host is not the recorded one (%s differ)" %
             ", ".join(other))
    with open(runs_file) as f:
        runs = json.load(f)["runs"]
    h = subprocess.run([exe, "check", "--help"], capture_output=True,
                       text=True)
    qemu_opt = "--qemu" in h.stdout  # else: the machine type's release
    bad = 0
    for r in runs:
        extra = ["--qemu", r["qemu"]] if qemu_opt else []
        p = subprocess.run([exe, "check", "--cpu", r["cpu"], "--machine",
                            r["machine"], "--smp", r["smp"]] + extra,
                           capture_output=True, text=True)
        if p.returncode == 6:
            skip("no usable /dev/kvm: %s" % p.stderr.strip())
        line = "QEMU %s -machine %s -cpu %s -smp %s: QEMU %s" % (
            r["qemu"], r["machine"], r["cpu"], r["smp"],
            "started" if r["started"] else "aborted")
        if p.returncode not in (0, 1):
            bad += 1
            print("FAIL %s, vcpuid check exit %d: %s" % (
                line, p.returncode, p.stderr.strip()))
        elif (p.returncode == 0) != r["started"]:
            bad += 1
            print("FAIL %s, vcpuid check predicts %s" % (
                line, "a start" if p.returncode == 0 else "an abort"))
    print("RESULT: %d launches, %d agree, %d differ" % (
        len(runs), len(runs) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
