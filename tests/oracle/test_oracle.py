#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Proves the QEMU oracle (qemu_oracle.py + kvm_preload.so) reports what
QEMU 7.2 really does.  Expectations are derived from the live host, never
hardcoded.  Exit 77 (meson: skipped) without qemu-system-x86_64 or /dev/kvm.
"""
import copy
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
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

def test_record_only_qemu64_smp2(prof):
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


def test_faked_live_equals_record_only(prof):
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


def test_narrow_host_filters_avx2(prof):
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


def test_enforce_fails(prof):
    res = qo.run("Haswell,enforce", host=set_supported(prof, 7, 0, "ebx", 0,
                                                       AVX2))
    check(not res["ok"], "enforce with a missing feature started")
    check(res["exit"] not in (0, None), "exit status %s" % res["exit"])
    check(res["error"], "no error text")
    check(any(w["name"] == "avx2" for w in res["warnings"]),
          "avx2 not named: %s" % res["stderr"])
    check(all(not v["cpuid"] for v in res["vcpus"]),
          "SET_CPUID2 reached although enforce failed")


def test_feature_msrs_faked(prof):
    p = copy.deepcopy(prof)
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


def test_refused_msrs_skipped(prof):
    """An MSR the described host saves but the real KVM lacks (SMBASE when
    this KVM does not list it) is skipped, recorded, and QEMU starts."""
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


def test_cpuid_instruction_faked(prof):
    if not prof.get("raw_cpuid"):
        print("  (no raw_cpuid: `cpuid` tool missing; not tested)")
        return
    p = copy.deepcopy(prof)
    other = {"GenuineIntel": b"AuthenticAMD"}.get(host_vendor(), b"GenuineIntel")
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
    q = copy.deepcopy(prof)
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
    same = qo.run("qemu64", host=p, fake_cpuid_insn=False)
    check(vendor(leaf(same["vcpus"][0], 0)) == host_vendor(),
          "--real-cpuid-insn did not use the real vendor")


def test_batch_and_qmp(prof):
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


def test_bad_spec_stops_qemu(prof):
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


def test_compare(prof):
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


def main():
    why = qo.available(need_kvm=True)
    if why and ("not found" in why or "/dev/kvm" in why):
        print("SKIP: %s" % why)
        return 77
    if why:
        print("FAIL: %s" % why)
        return 1
    prof = make_profile.live_profile()
    tests = [(n, f) for n, f in sorted(globals().items())
             if n.startswith("test_") and callable(f)]
    for name, fn in tests:
        try:
            fn(prof)
            print("ok   %s" % name)
        except Exception as e:  # report every test
            FAILS.append(name)
            print("FAIL %s: %s" % (name, e))
            traceback.print_exc()
    print("%d/%d passed" % (len(tests) - len(FAILS), len(tests)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
