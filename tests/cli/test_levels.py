#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""x86-64 levels: for every model version on every bundled profile, the
level vcpuid reports (cpuid per vCPU table, expand) equals glibc's
computation from the guest's CPUID table, done here independently of
src/lib/data/levels.def. glibc (sysdeps/x86/get-isa-level.h with
cpu_features.c's "usable" rules) reads CPUID leaves 1, 7 and 80000001H within
the maximum leaves, and counts AVX (with AVX2, FMA, F16C) usable only with
CR4.OSXSAVE set and XCR0 holding the SSE and YMM state, and AVX-512 only
with the opmask, ZMM_Hi256 and Hi16_ZMM state too. The guest OS sets
OSXSAVE when CPUID has XSAVE and enables what CPUID.0DH.0:EAX offers.

usage: test_levels.py VCPUID SOURCE_ROOT
"""
import glob
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

VCPUID, ROOT = sys.argv[1], sys.argv[2]
NAMES = ["none", "x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4"]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)
    return ok


def run(*args):
    p = subprocess.run([VCPUID, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def bit(v, n):
    return v >> n & 1


def glibc_level(entries):
    # KVM matches the index only for entries flagged significant-index
    # (KVM_CPUID_FLAG_SIGNIFICANT_INDEX, 1); others answer every subleaf.
    tab = {}
    for e in entries:
        idx = int(e["index"], 16) if int(e["flags"], 16) & 1 else 0
        tab[(int(e["function"], 16), idx)] = {
            r: int(e[r], 16) for r in ("eax", "ebx", "ecx", "edx")}
    max_basic = tab.get((0, 0), {}).get("eax", 0)
    max_ext = tab.get((0x80000000, 0), {}).get("eax", 0)

    def get(leaf, sub, reg):
        top = max_ext if leaf & 0x80000000 else max_basic
        if leaf > top:
            return 0
        return tab.get((leaf, sub), {}).get(reg, 0)

    c1, d1 = get(1, 0, "ecx"), get(1, 0, "edx")
    b7 = get(7, 0, "ebx")
    e1 = get(0x80000001, 0, "ecx")
    osxsave = bit(c1, 26)                     # the OS sets CR4.OSXSAVE
    xcr0 = get(0xD, 0, "eax") if osxsave else 0  # and enables what is offered
    ymm_ok = osxsave and (xcr0 & 0x6) == 0x6
    zmm_ok = ymm_ok and (xcr0 & 0xE0) == 0xE0
    avx = ymm_ok and bit(c1, 28)
    avx512f = zmm_ok and bit(b7, 16)
    base = all([bit(d1, 15), bit(d1, 8), bit(d1, 0), bit(d1, 24),
                bit(d1, 23), bit(d1, 25), bit(d1, 26)])
    v2 = all([bit(c1, 13), bit(e1, 0), bit(c1, 23), bit(c1, 0), bit(c1, 9),
              bit(c1, 19), bit(c1, 20)])
    v3 = all([avx, avx and bit(b7, 5), bit(b7, 3), bit(b7, 8),
              avx and bit(c1, 29), avx and bit(c1, 12), bit(e1, 5),
              bit(c1, 22)])
    v4 = all([avx512f, avx512f and bit(b7, 30), avx512f and bit(b7, 28),
              avx512f and bit(b7, 17), avx512f and bit(b7, 31)])
    level = 0
    if base:
        level = 1
        if v2:
            level = 2
            if v3:
                level = 3
                if v4:
                    level = 4
    return level


def host_has_avx2(path):
    with open(path) as f:
        d = json.load(f)
    for e in d["kvm"]["supported_cpuid"]:
        if int(e["function"], 16) == 7 and int(e["index"], 16) == 0:
            return bit(int(e["ebx"], 16), 5)
    return 0


def one(profile, model):
    rc, out, err = run("cpuid", "--cpu", model, "--host", profile,
                       "--format", "json")
    if rc != 0:
        return (profile, model, None, None, None, "cpuid rc %d: %s" % (rc, err))
    v = json.loads(out)["vcpus"][0]
    want = NAMES[glibc_level(v["cpuid"])]
    rc, out, err = run("expand", "--cpu", model, "--host", profile, "--json")
    if rc != 0:
        return (profile, model, want, v["x86_64_level"], None,
                "expand rc %d: %s" % (rc, err))
    exp = json.loads(out)["cpu"]["x86_64_level"]["name"]
    return (profile, model, want, v["x86_64_level"], exp, None)


def main():
    profiles = sorted(glob.glob(os.path.join(ROOT, "profiles", "*.json")))
    rc, out, _ = run("models", "--json")
    models = [m["name"] for m in json.loads(out)["models"]
              if m["alias_of"] is None and "-v" in m["name"]]
    check(len(profiles) >= 8 and len(models) > 100,
          "%d profiles, %d model versions" % (len(profiles), len(models)))
    jobs = [(p, m) for p in profiles for m in models]
    with ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(lambda a: one(*a), jobs))
    got = {}
    for profile, model, want, tab, exp, err in results:
        name = "%s on %s" % (model, os.path.basename(profile))
        if not check(err is None, "%s: %s" % (name, err)):
            continue
        check(tab == want, "%s: cpuid says %s, glibc's rules %s" % (name, tab, want))
        check(exp == want, "%s: expand says %s, glibc's rules %s" % (name, exp, want))
        got[(os.path.basename(profile), model)] = want
    seen = set(got.values())
    check({"x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4"} <= seen,
          "every level occurs: %s" % sorted(seen))
    for p in profiles:
        b = os.path.basename(p)
        check(got.get((b, "qemu64-v1")) == "x86-64-v1", "qemu64 on %s is v1" % b)
        if host_has_avx2(p):
            check(got.get((b, "EPYC-Rome-v1")) == "x86-64-v3",
                  "EPYC-Rome-v1 on %s (AVX2 host) is v3: %s" %
                  (b, got.get((b, "EPYC-Rome-v1"))))
    print("%d model x profile cases, %d failures" % (len(results), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
