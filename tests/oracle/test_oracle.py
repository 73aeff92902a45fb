#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Proves the QEMU oracle (qemu_oracle.py + kvm_preload.so) reports what
QEMU 7.2 really does.

Two kinds of test, each named after what it runs on:
- live_*: QEMU on the real KVM of this machine, compared with this machine
  (make_profile.py, /proc/cpuinfo): expectations derived from the live host.
- faked_*: run once per whole capture of tests/oracle/hosts.py (an Intel
  and an AMD host, whatever this machine is); expectations derived from
  that profile only, and nothing QEMU asks about the host may reach this
  machine's KVM or CPU (result["host"]["real_answers"] empty, vendor,
  family/model and brand of the profile).
Exit 77 (meson: skipped) without qemu-system-x86_64 or /dev/kvm.
"""
import copy
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import hosts  # noqa: E402
import make_profile  # noqa: E402
import qemu_oracle as qo  # noqa: E402

AVX2 = 1 << 5          # CPUID.07H.0:EBX[5]
FAILS = []


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def leaf(vcpu, fn, idx=0):
    for e in vcpu["cpuid"]:
        if int(e["function"], 16) == fn and int(e["index"], 16) == idx:
            return {r: int(e[r], 16) for r in ("eax", "ebx", "ecx", "edx")}
    return None


# QEMU leaves out all-zero extended leaves (a short brand's 0x80000004)
ZERO = {"eax": 0, "ebx": 0, "ecx": 0, "edx": 0}


def vendor(regs):
    return b"".join(regs[r].to_bytes(4, "little")
                    for r in ("ebx", "edx", "ecx")).decode("latin-1")


def host_vendor():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("vendor_id"):
                return line.split(":", 1)[1].strip()
    return None


def set_supported(prof, fn, idx, reg, set_mask=0, clear_mask=0):
    p = copy.deepcopy(prof)
    for e in p["kvm"]["supported_cpuid"]:
        if int(e["function"], 16) == fn and int(e["index"], 16) == idx:
            v = (int(e[reg], 16) | set_mask) & ~clear_mask
            e[reg] = "0x%08x" % v
            return p
    raise AssertionError("profile has no supported leaf 0x%x.%d" % (fn, idx))


def strip_apic(entries):
    """Entries without the fields naming the current CPU's APIC id."""
    out = []
    for e in entries:
        e = dict(e)
        fn = int(e["function"], 16)
        if fn == 1:
            e["ebx"] = "0x%08x" % (int(e["ebx"], 16) & 0x00ffffff)
        elif fn in (0xb, 0x1f):
            e["edx"] = "0"
        out.append(e)
    return out


def started(res, what):
    check(res["ok"], "%s: QEMU did not start: exit %s, %s"
          % (what, res["exit"], res["error"]))
    check(res["vcpus"] and all(v["cpuid"] for v in res["vcpus"]),
          "%s: no SET_CPUID2 captured" % what)


# ------------------------------------------------------------------ tests

def live_record_only_qemu64_smp2(prof):
    res = qo.run("qemu64", smp="2")
    started(res, "qemu64 -smp 2")
    check(not res["host"]["faked"], "record-only run claims faking")
    check(len(res["vcpus"]) == 2, "expected 2 vCPUs, got %d" % len(res["vcpus"]))
    hv = host_vendor()
    for v in res["vcpus"]:
        l0 = leaf(v, 0)
        check(l0 is not None, "no leaf 0")
        # QEMU 7.2 under KVM: a named model takes the host's vendor string.
        check(vendor(l0) == hv, "leaf 0 vendor %r, host %r" % (vendor(l0), hv))
        kv = leaf(v, 0x40000000)
        check(kv is not None, "no 0x40000000 leaf")
        sig = b"".join(kv[r].to_bytes(4, "little") for r in ("ebx", "ecx", "edx"))
        check(sig == b"KVMKVMKVM\0\0\0", "KVM signature %r" % sig)
        l1 = leaf(v, 1)
        check(l1["ebx"] >> 24 == v["apic_id"],
              "leaf 1 EBX[31:24]=%d, APIC id %d" % (l1["ebx"] >> 24, v["apic_id"]))
        check(v["msr_calls"] and v["msr_calls"][0]["kind"] == "init",
              "no init KVM_SET_MSRS after SET_CPUID2")
        check(v["cpuid_ret"] == 0, "SET_CPUID2 returned %s" % v["cpuid_ret"])
    check(sorted(v["apic_id"] for v in res["vcpus"]) == [0, 1],
          "APIC ids %s" % [v["apic_id"] for v in res["vcpus"]])
    check(res["vcpus"][0]["index"] == 0 and res["vcpus"][1]["index"] == 1,
          "vCPU indexes")
    # the two tables differ only in APIC-id dependent fields
    a, b = res["vcpus"]
    diff = [(x["function"], x["index"]) for x, y in zip(a["cpuid"], b["cpuid"])
            if x != y]
    check(len(a["cpuid"]) == len(b["cpuid"]) and
          set(d[0] for d in diff) <= {"0x00000001", "0x0000000b", "0x0000001f",
                                      "0x00000004", "0x8000001e"},
          "unexpected per-vCPU differences %s" % diff)
    # what QEMU saw from KVM is what KVM says (make_profile asks it directly)
    # (but KVM fills the APIC-id fields from the CPU that ran the ioctl)
    check(strip_apic(res["kvm"]["supported_cpuid"]) ==
          strip_apic(prof["kvm"]["supported_cpuid"]),
          "recorded KVM_GET_SUPPORTED_CPUID differs from the live ioctl")


def live_faked_equals_record_only(prof):
    for cpu in ("Haswell", "max"):
        real = qo.run(cpu, smp="2")
        fake = qo.run(cpu, smp="2", host=prof)
        check(fake["host"]["faked"], "not faked")
        check(real["ok"] == fake["ok"], "%s: ok %s vs %s" % (cpu, real["ok"],
                                                          fake["ok"]))
        check([v["cpuid"] for v in real["vcpus"]] ==
              [v["cpuid"] for v in fake["vcpus"]],
              "%s: faking the live host changed the CPUID table" % cpu)
        check([v["msrs"] for v in real["vcpus"]] ==
              [v["msrs"] for v in fake["vcpus"]],
              "%s: faking the live host changed the feature MSRs" % cpu)
        check([(w["word"], w["bit"]) for w in real["warnings"]] ==
              [(w["word"], w["bit"]) for w in fake["warnings"]],
              "%s: warnings differ" % cpu)


def faked_narrow_host_filters_avx2(prof):
    wide = qo.run("Haswell", host=set_supported(prof, 7, 0, "ebx", AVX2))
    narrow = qo.run("Haswell", host=set_supported(prof, 7, 0, "ebx", 0, AVX2))
    started(wide, "Haswell on a host with avx2")
    started(narrow, "Haswell on a host without avx2")
    names = [w["name"] for w in wide["warnings"]]
    check("avx2" not in names, "avx2 filtered although supported: %s" % names)
    check(leaf(wide["vcpus"][0], 7)["ebx"] & AVX2, "avx2 missing from table")
    w = [w for w in narrow["warnings"] if w["name"] == "avx2"]
    check(len(w) == 1, "no avx2 warning: %s" % narrow["stderr"])
    check(w[0]["word"] == "CPUID.07H:EBX" and w[0]["bit"] == 5,
          "avx2 warning parsed as %s" % w[0])
    check(not leaf(narrow["vcpus"][0], 7)["ebx"] & AVX2, "avx2 left in table")
    # exactly one warning more, and it is the only table difference in 7.0
    check(len(narrow["warnings"]) == len(wide["warnings"]) + 1,
          "warnings %d vs %d" % (len(narrow["warnings"]), len(wide["warnings"])))
    check(leaf(wide["vcpus"][0], 7)["ebx"] & ~AVX2 ==
          leaf(narrow["vcpus"][0], 7)["ebx"], "7.0 EBX differs beyond avx2")


def faked_enforce_fails(prof):
    res = qo.run("Haswell,enforce", host=set_supported(prof, 7, 0, "ebx", 0,
                                                       AVX2))
    check(not res["ok"], "enforce with a missing feature started")
    check(res["exit"] not in (0, None), "exit status %s" % res["exit"])
    check(res["error"], "no error text")
    check(any(w["name"] == "avx2" for w in res["warnings"]),
          "avx2 not named: %s" % res["stderr"])
    check(all(not v["cpuid"] for v in res["vcpus"]),
          "SET_CPUID2 reached although enforce failed")


def faked_feature_msrs(prof):
    p = copy.deepcopy(prof)
    p["kvm"]["refused_msrs"] = []   # a KVM that takes what QEMU writes
    # a host without ARCH_CAPABILITIES at all (neither list has it)
    p["kvm"]["feature_msrs"] = [m for m in p["kvm"]["feature_msrs"]
                                if int(m["index"], 16) != 0x10a]
    p["kvm"]["msr_index_list"] = [m for m in p["kvm"]["msr_index_list"]
                                  if int(m, 16) != 0x10a]
    p = set_supported(p, 7, 0, "edx", 1 << 29)     # arch-capabilities
    without = qo.run("max", host=p)
    started(without, "max without 0x10A")
    init = without["vcpus"][0]["msrs"]
    check(all(int(m["index"], 16) != 0x10a for m in init),
          "0x10A written although not a feature MSR: %s" % init)
    check(not leaf(without["vcpus"][0], 7)["edx"] & (1 << 29),
          "arch-capabilities advertised without the MSR")
    p["kvm"]["feature_msrs"].append({"index": "0x10a", "value": "0x1"})
    p["kvm"]["msr_index_list"].append("0x10a")
    withm = qo.run("max", host=p)
    started(withm, "max with 0x10A=1")
    init = {int(m["index"], 16): int(m["value"], 16)
            for m in withm["vcpus"][0]["msrs"]}
    check(init.get(0x10a) == 1, "0x10A not written as 1: %s" % init)
    check(leaf(withm["vcpus"][0], 7)["edx"] & (1 << 29),
          "arch-capabilities missing")


def live_refused_msrs_skipped(prof):
    """An MSR the described host saves but the real KVM lacks (SMBASE when
    this KVM does not list it) is skipped, recorded, and QEMU starts (on
    the live profile: whether this KVM lacks it is this machine's)."""
    if "0x0000009e" in prof["kvm"]["msr_index_list"]:
        print("  (this KVM has SMBASE; not tested)")
        return
    p = copy.deepcopy(prof)
    p["kvm"]["msr_index_list"].append("0x0000009e")
    res = qo.run("qemu64", host=p, smp="2")
    started(res, "qemu64 with SMBASE in the index list")
    for v in res["vcpus"]:
        put = [c for c in v["msr_calls"] if c["kind"] == "put"]
        check(any(0x9e in [int(m["index"], 16) for m in c["msrs"]] for c in put),
              "QEMU did not write SMBASE")
        check(any("0x9e" in c.get("rejected", []) for c in put),
              "SMBASE not reported as rejected: %s" % put)


def faked_cpuid_instruction(prof):
    if not prof.get("raw_cpuid"):
        print("  (no raw_cpuid: `cpuid` tool missing; not tested)")
        return
    p = copy.deepcopy(prof)
    p["kvm"]["refused_msrs"] = []   # max below: a KVM that takes 0x10A
    other = {"GenuineIntel": b"AuthenticAMD"}.get(hosts.vendor(prof),
                                                 b"GenuineIntel")
    for e in p["raw_cpuid"]:
        if int(e["function"], 16) == 0:
            for r, off in (("ebx", 0), ("edx", 4), ("ecx", 8)):
                e[r] = "0x%08x" % int.from_bytes(other[off:off + 4], "little")
    res = qo.run("qemu64", host=p)
    started(res, "qemu64 on a host of the other vendor")
    check(vendor(leaf(res["vcpus"][0], 0)) == other.decode(),
          "leaf 0 vendor %r, faked %r" % (vendor(leaf(res["vcpus"][0], 0)), other))
    # vCPU threads too: -cpu max,host-cache-info=on copies leaf 4 from the
    # instruction while the vCPU thread builds its table
    q = copy.deepcopy(p)
    q["raw_cpuid"] = copy.deepcopy(prof["raw_cpuid"])
    mark = None
    for e in q["raw_cpuid"]:
        if int(e["function"], 16) == 4 and int(e["index"], 16) == 0:
            mark = int(e["ecx"], 16) ^ 0x40
            e["ecx"] = "0x%08x" % mark
    if mark is not None:
        res = qo.run("max,host-cache-info=on", host=q, smp="2")
        started(res, "max,host-cache-info=on")
        for v in res["vcpus"]:
            check(leaf(v, 4, 0)["ecx"] == mark,
                  "leaf 4 ECX 0x%x, faked 0x%x" % (leaf(v, 4, 0)["ecx"], mark))
    # live: the real instruction is this machine's
    same = qo.run("qemu64", host=p, fake_cpuid_insn=False)
    check(vendor(leaf(same["vcpus"][0], 0)) == host_vendor(),
          "--real-cpuid-insn did not use the real vendor")


def faked_batch_and_qmp(prof):
    cases = [{"cpu": c, "host": prof} for c in ("qemu64", "Haswell",
                                                "Skylake-Client", "kvm64")]
    par = qo.run_many(cases, workers=2)
    seq = [qo.run(**c) for c in cases]
    for a, b in zip(par, seq):
        check([v["cpuid"] for v in a["vcpus"]] == [v["cpuid"] for v in b["vcpus"]],
              "parallel and sequential runs differ")
    defs = qo.query_cpu_definitions(prof)
    names = {d["name"]: d for d in defs}
    check("Haswell" in names and "qemu64" in names, "model list incomplete")
    narrow = qo.query_cpu_definitions(set_supported(prof, 7, 0, "ebx", 0, AVX2))
    hw = {d["name"]: d for d in narrow}["Haswell-v1"]
    check("avx2" in hw.get("unavailable-features", []),
          "avx2 not unavailable: %s" % hw)
    q = qo.run("qemu64", host=prof, qom=True)
    check(q["feature_words"] and q["filtered_features"], "QOM views missing")
    helped = qo.cpu_help()
    mods = {m["name"]: m for m in helped["models"]}
    check("qemu64" in mods and "avx2" in helped["flags"], "-cpu help parse")
    check(mods["Haswell-noTSX"].get("alias_of") == "Haswell-v2",
          "alias parse %s" % mods.get("Haswell-noTSX"))


def faked_bad_spec_stops_qemu(prof):
    """A broken host spec stops QEMU with a located message, status 97."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        spec = os.path.join(d, "bad.spec")
        with open(spec, "w") as f:
            f.write("supported 0x1 0 0 1 2 3 4\nsupported 0x7 zz 0 0 0 0 0\n")
        env = dict(os.environ, LD_PRELOAD=qo.find_preload(),
                   VCPUID_ORACLE_HOST=spec)
        p = subprocess.run([qo.QEMU, "-accel", "kvm", "-S", "-nodefaults",
                            "-display", "none", "-machine", "none"],
                           env=env, capture_output=True, text=True, timeout=30)
    check(p.returncode == 97, "exit %d" % p.returncode)
    check("bad.spec:2:15: bad number \"zz\"" in p.stderr, p.stderr)


def faked_compare(prof):
    res = qo.run("qemu64", smp="2", host=prof)
    ours = {"vcpus": [{"index": v["index"], "apic_id": v["apic_id"],
                       "cpuid": v["cpuid"], "msrs": v["msrs"]}
                      for v in res["vcpus"]]}
    check(compare.compare(ours, res, out=open(os.devnull, "w")) == 0,
          "identical tables reported different")
    bad = json.loads(json.dumps(ours))
    e = bad["vcpus"][1]["cpuid"][3]
    e["ecx"] = "0x%08x" % (int(e["ecx"], 16) ^ 1)
    check(compare.compare(bad, res, out=open(os.devnull, "w")) != 0,
          "a flipped bit went unnoticed")
    narrow = qo.run("Haswell", host=set_supported(prof, 7, 0, "ebx", 0, AVX2))
    filt = {"filtered": [{"name": w["name"], "word": w["word"], "bit": w["bit"]}
                         for w in narrow["warnings"]]}
    check(compare.compare(filt, narrow, out=open(os.devnull, "w")) == 0,
          "identical filtered lists reported different")
    filt["filtered"] = [w for w in filt["filtered"] if w["name"] != "avx2"]
    check(compare.compare(filt, narrow, out=open(os.devnull, "w")) == 1,
          "a missing filtered feature went unnoticed")


def with_leaf(prof, fn, idx, reg, set_mask):
    """prof with bits set in a supported leaf, the leaf added if missing."""
    p = copy.deepcopy(prof)
    for e in p["kvm"]["supported_cpuid"]:
        if int(e["function"], 16) == fn and int(e["index"], 16) == idx:
            e[reg] = "0x%08x" % (int(e[reg], 16) | set_mask)
            return p
    e = {"function": "0x%08x" % fn, "index": "0x%08x" % idx,
         "flags": "0x00000000", "eax": "0x00000000", "ebx": "0x00000000",
         "ecx": "0x00000000", "edx": "0x00000000"}
    e[reg] = "0x%08x" % set_mask
    p["kvm"]["supported_cpuid"].append(e)
    return p


def set_cap(prof, cid, name, value):
    p = copy.deepcopy(prof)
    caps = [c for c in p["kvm"].get("capabilities") or [] if c["id"] != cid]
    p["kvm"]["capabilities"] = caps + [{"name": name, "id": cid,
                                        "value": value}]
    return p


def faked_refused_msrs(prof):
    """kvm.refused_msrs: the described host's KVM_SET_MSRS refuses a
    non-zero value of 0x10A, so QEMU aborts as on that host; without it
    QEMU starts, whatever this machine's KVM refuses."""
    p = set_supported(prof, 7, 0, "edx", 1 << 29)     # arch-capabilities
    feats = {int(m["index"], 16): m for m in p["kvm"]["feature_msrs"]}
    if not int(feats.get(0x10a, {}).get("value", "0"), 16):
        feats[0x10a] = {"index": "0x10a", "value": "0x69"}
    p["kvm"]["feature_msrs"] = [feats[k] for k in sorted(feats)]
    idx = p["kvm"].get("msr_index_list")
    if idx is not None and 0x10a not in [int(i, 16) for i in idx]:
        idx.append("0x10a")
    p["kvm"]["refused_msrs"] = ["0x10a"]
    res = qo.run("max", host=p)
    check(not res["ok"] and "failed to set MSR 0x10a" in (res["error"] or ""),
          "max on a host refusing 0x10A: ok %s, %s" % (res["ok"], res["error"]))
    check(res["host"]["real_answers"] == [],
          "real KVM answered %s" % res["host"]["real_answers"])
    ok = qo.run("max,-arch-capabilities", host=p)
    started(ok, "max,-arch-capabilities on a host refusing 0x10A")
    p["kvm"]["refused_msrs"] = []
    res = qo.run("max", host=p)
    started(res, "max on a host taking 0x10A")
    init = {int(m["index"], 16): int(m["value"], 16)
            for m in res["vcpus"][0]["msrs"]}
    check(init.get(0x10a), "0x10A not written: %s" % init)


def faked_caps_and_tsc(prof):
    """KVM_CAP_TSC_DEADLINE_TIMER and the vCPU's TSC rate come from the
    profile: tsc-deadline filtered without the capability; leaf 0x40000010
    says the profile's kvm.tsc_khz, and nothing when it has none."""
    p = with_leaf(prof, 0x80000007, 0, "edx", 1 << 8)     # invtsc
    p["kvm"]["refused_msrs"] = []
    p = set_cap(p, 61, "KVM_CAP_GET_TSC_KHZ", 1)
    p = set_cap(p, 72, "KVM_CAP_TSC_DEADLINE_TIMER", 0)
    p = set_supported(p, 1, 0, "ecx", 0, 1 << 24)   # QEMU adds it by the cap
    p["kvm"]["tsc_khz"] = 1234567
    res = qo.run("qemu64,+invtsc,+tsc-deadline", host=p)
    started(res, "qemu64,+invtsc,+tsc-deadline")
    names = [w["name"] for w in res["warnings"]]
    check("tsc-deadline" in names, "tsc-deadline not filtered: %s" % names)
    check("invtsc" not in names, "invtsc filtered: %s" % names)
    l10 = leaf(res["vcpus"][0], 0x40000010)
    check(l10 and l10["eax"] == 1234567, "leaf 0x40000010 %s" % l10)
    check(res["host"]["real_answers"] == [],
          "real KVM answered %s" % res["host"]["real_answers"])
    q = set_cap(p, 72, "KVM_CAP_TSC_DEADLINE_TIMER", 1)
    del q["kvm"]["tsc_khz"]
    res = qo.run("qemu64,+invtsc,+tsc-deadline", host=q)
    started(res, "qemu64,+invtsc,+tsc-deadline (no TSC rate)")
    names = [w["name"] for w in res["warnings"]]
    check("tsc-deadline" not in names, "tsc-deadline filtered: %s" % names)
    l10 = leaf(res["vcpus"][0], 0x40000010)
    check(not l10 or l10["eax"] == 0, "leaf 0x40000010 %s" % l10)


def faked_xcomp_guest_perm(prof):
    """AMX: QEMU asks arch_prctl(ARCH_REQ_XCOMP_GUEST_PERM) for the tile
    data, answered from the profile (granted: XCOMP_GUEST_SUPP has it),
    whatever this machine's kernel would say."""
    amx = (1 << 17) | (1 << 18)
    p = with_leaf(prof, 1, 0, "ecx", 1 << 26)    # xsave (PVM hides it)
    p = with_leaf(p, 0xd, 0, "eax", amx | 3)
    p = with_leaf(p, 7, 0, "edx", (1 << 22) | (1 << 24) | (1 << 25))
    p["kvm"]["xcomp_guest_supp"] = "0x%x" % (
        int(str(p["kvm"].get("xcomp_guest_supp") or "0x0"), 16) | amx)
    p["kvm"]["refused_msrs"] = []
    res = qo.run("max", host=p)
    started(res, "max on a host with AMX")
    check(not any("ARCH_REQ_XCOMP_GUEST_PERM" in ln for ln in res["stderr"]),
          "permission refused: %s" % res["stderr"])
    check(leaf(res["vcpus"][0], 0xd, 0)["eax"] & amx == amx,
          "AMX missing from 0xD.0: %s" % leaf(res["vcpus"][0], 0xd, 0))
    check(res["host"]["real_answers"] == [],
          "real kernel answered %s" % res["host"]["real_answers"])


def faked_nothing_from_this_machine(prof):
    """host and max take vendor, family/model/stepping and brand from the
    profile's CPUID instruction and every KVM answer from the profile."""
    raw = {(int(e["function"], 16), int(e["index"], 16)):
           {r: int(e[r], 16) for r in ("eax", "ebx", "ecx", "edx")}
           for e in prof["raw_cpuid"]}
    brand = b"".join(raw.get((f, 0), ZERO)[r].to_bytes(4, "little")
                     for f in (0x80000002, 0x80000003, 0x80000004)
                     for r in ("eax", "ebx", "ecx", "edx")).split(b"\0")[0]
    for cpu in ("host", "max"):
        res = qo.run(cpu, host=prof, smp="2")
        check(res["host"]["real_answers"] == [],
              "%s: real KVM answered %s" % (cpu, res["host"]["real_answers"]))
        v = res["vcpus"][0]
        check(v["cpuid"], "%s: no KVM_SET_CPUID2" % cpu)
        check(vendor(leaf(v, 0)) == hosts.vendor(prof),
              "%s: vendor %r" % (cpu, vendor(leaf(v, 0))))
        check(leaf(v, 1)["eax"] & 0x0fff3fff == raw[(1, 0)]["eax"] & 0x0fff3fff,
              "%s: leaf 1 EAX 0x%x, profile 0x%x" % (cpu, leaf(v, 1)["eax"],
                                                    raw[(1, 0)]["eax"]))
        got = b"".join((leaf(v, f) or ZERO)[r].to_bytes(4, "little")
                       for f in (0x80000002, 0x80000003, 0x80000004)
                       for r in ("eax", "ebx", "ecx", "edx")).split(b"\0")[0]
        check(got == brand, "%s: brand %r, profile %r" % (cpu, got, brand))


def main():
    why = qo.available(need_kvm=True)
    if why and ("not found" in why or "/dev/kvm" in why):
        print("SKIP: %s" % why)
        return 77
    if why:
        print("FAIL: %s" % why)
        return 1
    live = make_profile.live_profile()
    runs = [(n, f, live) for n, f in sorted(globals().items())
            if n.startswith("live_") and callable(f)]
    for bname, path in sorted(hosts.BASES.items()):
        base = hosts.load(path)
        runs += [("%s[%s]" % (n, bname), f, base)
                 for n, f in sorted(globals().items())
                 if n.startswith("faked_") and callable(f)]
    for name, fn, prof in runs:
        try:
            fn(prof)
            print("ok   %s" % name)
        except Exception as e:  # report every test
            FAILS.append(name)
            print("FAIL %s: %s" % (name, e))
            traceback.print_exc()
    print("%d/%d passed" % (len(runs) - len(FAILS), len(runs)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
