#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Conformance: `vcpuid expand` against QEMU 7.2 itself (issue 3).

For every CPU type QEMU 7.2 accepts (`-cpu help`: versions, aliases, the
machine-dependent names, host, max, base) and for several host tables, run
QEMU (machine pc-i440fx-7.2, one vCPU) under the oracle in
tests/oracle/qemu_oracle.py and `vcpuid expand --json` on the same host
profile, and require:
  1. the same "host doesn't support requested feature" / dependency warning
     lines, in the same order (QEMU's stderr, per vCPU);
  2. the same final feature words: QEMU's QOM feature-words when QEMU got as
     far as QMP, else the words read from the KVM_SET_CPUID2 table QEMU
     handed to KVM (what cpu_x86_cpuid adds on top is applied to ours);
  3. the same vendor, family/model/stepping, level, xlevel, brand and
     phys-bits (from the KVM_SET_CPUID2 table).
Hosts: the live host (QEMU talks to the real KVM; vcpuid reads a fresh
`vcpuid probe`: both sides on this machine), and hosts faked from files of
this tree only (tests/oracle/hosts.py), so their verdict is the same on any
machine: two whole captures (an Intel and an AMD PVM host, raw CPUID and
KVM of one machine), each also with every feature MSR hidden and with its
raw CPUID as a permissive "supported" table; the Intel one's permissive
table plus nested-VMX capability MSRs (with and without 0x48B in the MSR
index list); four other CPUs' raw CPUID from the libcpuid dumps (AMD Zen 4,
Zen 2, Hygon, a TSX-broken Haswell) as permissive tables with the KVM part
of the capture of their vendor; and every bundled profile (profiles/*.json;
one without raw CPUID has its own supported table as the CPUID
instruction). Beside every model name, the SPEC_CASES (options,
precedence, properties, errors, -smp) run on a few hosts.

Usage: test_expand_qemu.py VCPUID_BINARY [--models A,B] [--hosts X,Y]
                           [--machine M]
Exit 77 (skip) without qemu-system-x86_64, /dev/kvm or the oracle.
Every mismatch is printed and fails the test."""
import argparse
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile
import concurrent.futures

SRC = os.environ.get("VCPUID_SOURCE_ROOT",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
MACHINE = "pc-i440fx-7.2"
PREFIX = "qemu-system-x86_64: warning: "
# VMX capability MSRs of a nested-capable Intel host (made up, plausible)
VMX_MSRS = [(0x480, 0x00da040000000012), (0x485, 0x0000000020000065),
            (0x48B, 0x0046e7f700000000), (0x48C, 0x00000f0106734141),
            (0x48D, 0x0000007f00000016), (0x48E, 0xfff9fffe04006172),
            (0x48F, 0x01ffffff00036dfb), (0x490, 0x0003ffff000011fb),
            (0x491, 0x0000000000000001)]
DATA = os.environ.get("VCPUID_DUMPS", "/work/shared/data/libcpuid-dumps")
DUMPS = ["amd/zen4/amd-ryzen-5-7600x-6-core-processor.test",
         "amd/zen2/amd-4700s-8-core-processor-desktop-kit.test",
         "hygon/dhyana/hygon-c86-7185-32-core-processor.test",
         "intel/x86-64/haswell/intel-core-i3-4130-cpu.test"]


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def load_hosts():
    sys.path.insert(0, os.path.join(SRC, "tests", "oracle"))
    import hosts
    return hosts


HOSTS = load_hosts()
VMX_BASE = "intel-spr-pvm"   # nested VMX is an Intel host's


def load_oracle():
    d = os.environ.get("VCPUID_ORACLE_DIR",
                       os.path.join(SRC, "tests", "oracle"))
    if not os.path.exists(os.path.join(d, "qemu_oracle.py")):
        skip("tests/oracle/qemu_oracle.py is not in this tree")
    sys.path.insert(0, d)
    import qemu_oracle
    global ORACLE
    ORACLE = qemu_oracle
    why = qemu_oracle.available()
    if why:
        skip(why)
    return qemu_oracle


def num(v):
    return int(v, 0) if isinstance(v, str) else int(v)


# ------------------------------------------------------------ hosts

def make_hosts(vcpuid, tmp, only):
    hosts = []
    no_live = ORACLE.live_kvm()
    if no_live:
        print("SKIP part: host live: %s" % no_live)
    elif not only or "live" in only:
        try:
            live_path = HOSTS.live_profile(vcpuid, tmp)[0]
        except RuntimeError as e:
            sys.exit(str(e))
        hosts.append(("live", live_path, None))  # None: the real KVM

    def add(name, prof):
        p = os.path.join(tmp, name + ".json")
        with open(p, "w") as f:
            json.dump(prof, f)
        hosts.append((name, p, prof))

    for bname in sorted(HOSTS.BASES):
        base = HOSTS.load(HOSTS.BASES[bname])
        add(bname, base)
        nomsr = copy.deepcopy(base)
        nomsr["kvm"]["feature_msrs"] = []
        add(bname + "-no-feature-msrs", nomsr)
        perm = copy.deepcopy(base)
        perm["kvm"]["supported_cpuid"] = copy.deepcopy(base["raw_cpuid"])
        add(bname + "-raw-as-supported", perm)
    permissive = HOSTS.load(HOSTS.BASES[VMX_BASE])
    permissive["kvm"]["supported_cpuid"] = copy.deepcopy(
        permissive["raw_cpuid"])
    # nested VMX: the live host plus VMX capability MSRs (allowed-0 in the
    # low half, allowed-1 in the high half of the control MSRs) and the vmx
    # CPUID bit; once with 0x48B in the MSR index list, once without
    # (QEMU then adds secondary controls itself)
    vmx = copy.deepcopy(permissive)
    for e in vmx["kvm"]["supported_cpuid"]:
        if num(e["function"]) == 1:
            e["ecx"] = "0x%08x" % (num(e["ecx"]) | (1 << 5))
    vmx["kvm"]["feature_msrs"] = [m for m in vmx["kvm"]["feature_msrs"]
                                  if not 0x480 <= num(m["index"]) <= 0x491]
    vmx["kvm"]["feature_msrs"] += [
        {"index": "0x%x" % i, "value": "0x%x" % v} for i, v in VMX_MSRS]
    idx = [num(i) for i in vmx["kvm"].get("msr_index_list") or []]
    vmx["kvm"]["msr_index_list"] = ["0x%x" % i for i in sorted(
        set(idx) | {i for i, _ in VMX_MSRS})]
    add(VMX_BASE + "-with-vmx", vmx)
    old = copy.deepcopy(vmx)
    old["kvm"]["msr_index_list"] = [i for i in vmx["kvm"]["msr_index_list"]
                                    if num(i) != 0x48B]
    add(VMX_BASE + "-with-vmx-no-48b", old)
    # other CPUs' raw CPUID (libcpuid dumps) as both the CPUID instruction
    # and a permissive KVM table: other vendors, families and brands
    for rel in DUMPS:
        dump = os.path.join(DATA, rel)
        if not os.path.exists(dump):
            continue
        conv = os.path.join(tmp, "dump.json")
        r = subprocess.run([vcpuid, "probe", "--from", dump, "-o", conv],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit("vcpuid probe --from %s failed: %s" % (dump, r.stderr))
        d = json.load(open(conv))
        prof = copy.deepcopy(HOSTS.base_for(HOSTS.vendor(d))[1])
        prof["raw_cpuid"] = d["raw_cpuid"]
        prof["kvm"]["supported_cpuid"] = copy.deepcopy(d["raw_cpuid"])
        prof["kvm"].pop("refused_msrs", None)
        add("dump-" + os.path.basename(rel)[:-5], prof)
    for path in sorted(glob.glob(os.path.join(SRC, "profiles", "*.json"))):
        prof = json.load(open(path))
        if not isinstance(prof.get("kvm"), dict) or \
                "supported_cpuid" not in prof["kvm"]:
            continue
        add("profile-" + os.path.basename(path)[:-5], HOSTS.own_raw(prof))
    if only:
        hosts = [h for h in hosts if h[0] in only]
    return hosts


# ------------------------------------------------------------ vcpuid side

def run_vcpuid(vcpuid, model, host_path, smp=None):
    # the QEMU this test runs is the machine type's own release (7.2, or
    # 11.1 with --machine pc-i440fx-11.1 and Debian sid's binary)
    cmd = [vcpuid, "expand", "--json", "--machine", MACHINE,
           "--qemu", MACHINE.rsplit("-", 1)[1],
           "--host", host_path, "--cpu", model]
    if smp:
        cmd += ["--smp", smp]
    r = subprocess.run(cmd, capture_output=True, text=True)
    out = None
    if r.stdout.strip():
        try:
            out = json.loads(r.stdout)
        except ValueError:
            pass
    if r.returncode not in (0, 9) and isinstance(out, dict) and "error" in out:
        out = None  # a refusal: --json prints the error as data (exit-codes.md)
    return {"rc": r.returncode, "json": out, "stderr": r.stderr.splitlines()}


# ------------------------------------------------------------ comparison

REGS = {"EAX": "eax", "EBX": "ebx", "ECX": "ecx", "EDX": "edx"}
# (leaf, subleaf, register) of every CPUID feature word QEMU 7.2 has
CPUID_WORDS = {
    "1_EDX": (1, 0, "edx"), "1_ECX": (1, 0, "ecx"),
    "7_0_EBX": (7, 0, "ebx"), "7_0_ECX": (7, 0, "ecx"),
    "7_0_EDX": (7, 0, "edx"), "7_1_EAX": (7, 1, "eax"),
    "8000_0001_EDX": (0x80000001, 0, "edx"),
    "8000_0001_ECX": (0x80000001, 0, "ecx"),
    "8000_0007_EDX": (0x80000007, 0, "edx"),
    "8000_0008_EBX": (0x80000008, 0, "ebx"),
    "C000_0001_EDX": (0xC0000001, 0, "edx"),
    "KVM": (0x40000001, 0, "eax"), "KVM_HINTS": (0x40000001, 0, "edx"),
    "SVM": (0x8000000A, 0, "edx"), "XSAVE": (0xD, 1, "eax"),
    "6_EAX": (6, 0, "eax"), "XSAVE_XCR0_LO": (0xD, 0, "eax"),
    "XSAVE_XCR0_HI": (0xD, 0, "edx"), "14_0_ECX": (0x14, 0, "ecx"),
    "SGX_12_0_EAX": (0x12, 0, "eax"), "SGX_12_0_EBX": (0x12, 0, "ebx"),
    "SGX_12_1_EAX": (0x12, 1, "eax"), "XSAVE_XSS_LO": (0xD, 1, "ecx"),
    "XSAVE_XSS_HI": (0xD, 1, "edx"),
}
QOM_KEY = {v: k for k, v in CPUID_WORDS.items()}


def qom_words(fw):
    out = {}
    for e in fw:
        leaf = e["cpuid-input-eax"]
        sub = e.get("cpuid-input-ecx", 0)
        reg = e["cpuid-register"].lower()
        k = QOM_KEY.get((leaf, sub, reg))
        if k:
            out[k] = e["features"]
    return out


def table_get(tab, leaf, sub):
    for e in tab:
        if num(e["function"]) == leaf and (num(e["index"]) == sub or
                                          not num(e["flags"]) & 1):
            return e
    return None


def table_words(tab):
    out = {}
    for k, (leaf, sub, reg) in CPUID_WORDS.items():
        e = table_get(tab, leaf, sub)
        out[k] = num(e[reg]) if e else 0
    return out


def ours_as_table(ours, smp_threads=1):
    """Our feature words as cpu_x86_cpuid (7.2) puts them in the table for
    one vCPU at reset: pdcm cleared without pmu; leaves beyond the levels
    absent; SVM leaf only with svm; 0xD only with xsave."""
    c = ours["cpu"]
    f = {k: num(v["value"]) for k, v in ours["features"].items()}
    level, xlevel, xlevel2 = num(c["level"]), num(c["xlevel"]), num(c["xlevel2"])
    out = {}
    for k, (leaf, sub, reg) in CPUID_WORDS.items():
        v = f.get(k, 0)
        if leaf < 0x40000000 and leaf > level:
            v = 0
        if 0x80000000 <= leaf < 0xC0000000 and leaf > xlevel:
            v = 0
        if leaf >= 0xC0000000 and (xlevel2 == 0 or leaf > xlevel2):
            v = 0
        out[k] = v
    if not c.get("pmu"):
        out["1_ECX"] &= ~(1 << 15)
    if smp_threads > 1:  # cores * threads per package
        out["1_EDX"] |= 1 << 28
        if c["vendor"] != "GenuineIntel" and xlevel >= 0x80000001:
            out["8000_0001_ECX"] |= 1 << 1
    if not f.get("8000_0001_ECX", 0) & (1 << 2):
        out["SVM"] = 0
    if not f.get("1_ECX", 0) & (1 << 26):
        for k in ("XSAVE", "XSAVE_XCR0_LO", "XSAVE_XCR0_HI", "XSAVE_XSS_LO",
                  "XSAVE_XSS_HI"):
            out[k] = 0
    if not f.get("7_0_EBX", 0) & (1 << 25):
        out["14_0_ECX"] = 0
    if not f.get("7_0_EBX", 0) & (1 << 2):
        for k in ("SGX_12_0_EAX", "SGX_12_0_EBX", "SGX_12_1_EAX"):
            out[k] = 0
    if level < 7:
        out["7_1_EAX"] = 0
    return out


def vendor_of(tab):
    e = table_get(tab, 0, 0)
    if not e:
        return None
    b = b"".join(num(e[r]).to_bytes(4, "little") for r in ("ebx", "edx", "ecx"))
    return b.decode("latin-1")


def brand_of(tab):
    b = b""
    for leaf in (0x80000002, 0x80000003, 0x80000004):
        e = table_get(tab, leaf, 0)
        if not e:
            return None
        b += b"".join(num(e[r]).to_bytes(4, "little")
                      for r in ("eax", "ebx", "ecx", "edx"))
    return b.split(b"\0")[0].decode("latin-1")


STATS = {"qom": 0, "table": 0, "both refused": 0, "warning lines": 0,
         "filtered by vcpuid": 0, "unsupported by vcpuid": 0, "feature MSRs": 0}


def dedup(lines):
    out = []
    for l in lines:
        if l not in out:
            out.append(l)
    return out


def per_package(smp):
    """cores * threads of a -smp string (QEMU 7.2 completion, 1 vCPU
    default), via the same rules as vcpuid's parser is tested on."""
    if not smp:
        return 1
    kv = {}
    for i, part in enumerate(smp.split(",")):
        if "=" in part:
            k, v = part.split("=", 1)
            kv[k] = int(v, 0)
        elif i == 0:
            kv["cpus"] = int(part, 0)
    cpus = kv.get("cpus", 0)
    sockets, dies = kv.get("sockets", 0), kv.get("dies", 1)
    cores, threads = kv.get("cores", 0), kv.get("threads", 0)
    maxcpus = kv.get("maxcpus", cpus)
    if not cores:
        sockets, threads = sockets or 1, threads or 1
        cores = maxcpus // (sockets * dies * threads) if maxcpus else 1
    elif not sockets:
        threads = threads or 1
    threads = threads or (maxcpus // ((sockets or 1) * dies * cores))
    return cores * threads


def compare(model, hname, q, ours, smp=None):
    bad = []
    tag = "%s on %s%s" % (model, hname, " -smp " + smp if smp else "")
    qwarn = dedup([l[len(PREFIX):] for l in q["stderr"]
                   if l.startswith(PREFIX)])
    if q["host"].get("faked") and q["host"].get("real_answers"):
        bad.append("%s: oracle: this machine's KVM answered %s"
                   % (tag, q["host"]["real_answers"]))
    q_started = q["vcpus"] and q["vcpus"][0].get("cpuid") is not None
    qerr = [l for l in q["stderr"] if not l.startswith(PREFIX)]
    if ours["json"] is None and ours["rc"] == 12:
        # a property vcpuid declares unsupported (Hyper-V enlightenments...)
        STATS["unsupported by vcpuid"] += 1
        return bad
    if ours["json"] is None:
        # vcpuid refused: QEMU must have refused before creating the vCPU
        if q_started:
            bad.append("%s: vcpuid failed (rc %d: %s) but QEMU built the CPU"
                       % (tag, ours["rc"], " ".join(ours["stderr"])[:200]))
        else:
            STATS["both refused"] += 1
        return bad
    j = ours["json"]
    owarn = j["warnings"]
    STATS["warning lines"] += len(qwarn)
    STATS["filtered by vcpuid"] += len(j["filtered"])
    if qwarn != owarn:
        bad.append("%s: warnings differ\n    qemu:   %s\n    vcpuid: %s"
                   % (tag, qwarn, owarn))
    if not q_started:
        if not qerr or ours["rc"] == 0:
            bad.append("%s: QEMU did not build the CPU (%s) but vcpuid did"
                       % (tag, " ".join(qerr)[:200]))
        return bad
    tab = q["vcpus"][0]["cpuid"]
    fw = q.get("feature_words") or {}
    if fw:
        qw = qom_words(list(fw.values())[0])
        ow = {k: num(v["value"]) for k, v in j["features"].items()}
        how = "QOM feature-words"
        STATS["qom"] += 1
    else:
        qw = table_words(tab)
        ow = ours_as_table(j, per_package(smp))
        how = "KVM_SET_CPUID2 table"
        STATS["table"] += 1
    for k in sorted(qw):
        if qw[k] != ow.get(k, 0):
            bad.append("%s: word %s differs (%s): qemu 0x%x vcpuid 0x%x "
                       "(qemu-only 0x%x, vcpuid-only 0x%x)"
                       % (tag, k, how, qw[k], ow.get(k, 0),
                          qw[k] & ~ow.get(k, 0), ow.get(k, 0) & ~qw[k]))
    c = j["cpu"]
    e0 = table_get(tab, 0, 0)
    e1 = table_get(tab, 1, 0)
    ex = table_get(tab, 0x80000000, 0)
    e8 = table_get(tab, 0x80000008, 0)
    if (vendor_of(tab) or "").rstrip("\0") != c["vendor"]:
        bad.append("%s: vendor qemu %r vcpuid %r" % (tag, vendor_of(tab),
                                                     c["vendor"]))
    if e0 and num(e0["eax"]) != num(c["level"]):
        bad.append("%s: level qemu 0x%x vcpuid %s" % (tag, num(e0["eax"]),
                                                      c["level"]))
    e7 = table_get(tab, 7, 0)
    if e7 and num(c["level"]) >= 7 and \
            num(e7["eax"]) != num(c["level_func7"]):
        bad.append("%s: leaf 7 subleaf count qemu 0x%x vcpuid %s"
                   % (tag, num(e7["eax"]), c["level_func7"]))
    if ex and num(ex["eax"]) != num(c["xlevel"]):
        bad.append("%s: xlevel qemu 0x%x vcpuid %s" % (tag, num(ex["eax"]),
                                                       c["xlevel"]))
    if e1:
        a = num(e1["eax"])
        fam = ((a >> 8) & 0xf) + ((a >> 20) & 0xff)
        mod = ((a >> 4) & 0xf) | ((a >> 12) & 0xf0)
        if (fam, mod, a & 0xf) != (c["family"], c["model_num"], c["stepping"]):
            bad.append("%s: family/model/stepping qemu %s vcpuid %s"
                       % (tag, (fam, mod, a & 0xf),
                          (c["family"], c["model_num"], c["stepping"])))
    # kvm_init_msrs: the first KVM_SET_MSRS carries ARCH_CAPABILITIES,
    # CORE_CAPABILITY (the feature words) and UCODE_REV
    msrs = {num(m["index"]): num(m["value"])
            for m in (q["vcpus"][0].get("msrs") or [])}
    for idx, key in ((0x10A, "ARCH_CAP"), (0xCF, "CORE_CAP")):
        if idx in msrs and key in j["features"]:
            STATS["feature MSRs"] += 1
            if msrs[idx] != num(j["features"][key]["value"]):
                bad.append("%s: MSR 0x%x qemu 0x%x vcpuid %s" % (
                    tag, idx, msrs[idx], j["features"][key]["value"]))
    if 0x8B in msrs:
        STATS["feature MSRs"] += 1
        if msrs[0x8B] != num(c["ucode_rev"]):
            bad.append("%s: ucode-rev qemu 0x%x vcpuid %s"
                       % (tag, msrs[0x8B], c["ucode_rev"]))
    br = brand_of(tab)
    if br is not None and num(c["xlevel"]) >= 0x80000004 and \
            br != c["model_id"].split("\0")[0]:
        bad.append("%s: model-id qemu %r vcpuid %r" % (tag, br, c["model_id"]))
    if e8 and num(c["xlevel"]) >= 0x80000008 and \
            (num(e8["eax"]) & 0xff) != c["phys_bits"]:
        bad.append("%s: phys-bits qemu %d vcpuid %d"
                   % (tag, num(e8["eax"]) & 0xff, c["phys_bits"]))
    return bad


# -cpu options and -smp beyond the bare model names: precedence, aliases,
# properties, dependencies, errors. (cpu, smp)
SPEC_CASES = [
    ("qemu64,+pni,pni=off", None), ("qemu64,pni=off,+pni", None),
    ("qemu64,-lm,lm=on", None), ("qemu64,+pni,-pni", None),
    ("qemu64,sse4_1=on,+sse4_2", None), ("qemu64,+sse4_1,-sse4-2", None),
    ("qemu64,+tsc_deadline", None), ("qemu64,tsc_deadline=on", None),
    ("qemu64,+lahf_lm,+ds_cpl,+xd", None), ("qemu64,+PNI", None),
    ("qemu64,pni=yes,sse4.1=y,ssse3=true,lm=no,nx=false,cx16=n", None),
    ("qemu64,pni=1", None), ("qemu64,+foo", None), ("qemu64,foo=on", None),
    ("Qemu64", None), ("qemu64,,,pni,,", None), (",pni", None),
    ("qemu64,family=abc", None), ("qemu64,family=0x10,model=0x1f,stepping=9",
                                   None),
    ("qemu64,family=271", None), ("qemu64,model=256", None),
    ("qemu64,stepping=16", None), ("qemu64,vendor=abc", None),
    ("qemu64,vendor=GenuineIntel,model-id=Some CPU", None),
    ("qemu64,phys-bits=999", None), ("qemu64,phys-bits=44", None),
    ("qemu64,host-phys-bits=on", None), ("qemu64,-lm,phys-bits=36", None),
    ("qemu64,-lm", None), ("qemu64,-lm,-pse36", None),
    ("qemu64,level=5,xlevel=0x80000004", None), ("qemu64,level=010", None),
    ("qemu64,min-level=0x14,min-xlevel=0x8000001f", None),
    ("qemu64,full-cpuid-auto-level=off,+avx512f,+avx", None),
    ("qemu64,+avx512f,+avx,+xsave", None), ("qemu64,-xsave,+avx", None),
    ("qemu64,kvm=off", None), ("qemu64,-kvmclock,+kvm-pv-unhalt", None),
    ("qemu64,+kvm-hint-dedicated", None), ("qemu64,+x2apic,-x2apic", None),
    ("qemu64,check=off", None), ("qemu64,enforce", None),
    ("qemu64,enforce,check=off", None), ("qemu64,+enforce", None),
    ("qemu64,pmu=on,+pdcm", None), ("qemu64,pmu=off,+pdcm", None),
    ("qemu64,+vmx", None), ("qemu64,-vmx,+vmx-ept", None),
    ("qemu64,+vmx,+vmx-ept,+vmx-unrestricted-guest", None),
    ("qemu64,+arch-capabilities,+rdctl-no,+mds-no", None),
    ("qemu64,-arch-capabilities,+rdctl-no", None),
    ("qemu64,+intel-pt", None), ("qemu64,+svm,+npt", None),
    ("qemu64,-svm,+npt", None), ("qemu64,+topoext", None),
    ("qemu64,+invtsc", None), ("qemu64,+sgx", None),
    ("qemu64,ucode-rev=0x1234", None), ("qemu64,tsc-freq=abc", None),
    ("qemu64,migratable=off", None), ("qemu64,host-cache-info=on", None),
    ("qemu64,hv-relaxed", None), ("qemu64,l3-cache=off", None),
    ("qemu64,legacy-cache=off", None), ("max,legacy-cache=off", None),
    ("EPYC,legacy-cache=off", None), ("EPYC-Rome,legacy-cache=on", None),
    ("qemu64,cpuid-0xb=off,vmware-cpuid-freq=off", None),
    ("qemu64,kvm-pv-enforce-cpuid=on", None),
    ("486,+sgxlc", None), ("Skylake-Client,+sgxlc,-sgx", None),
    ("qemu64,tsc-frequency=1500000000", None),
    ("max,migratable=off", None), ("max,-arch-capabilities", None),
    ("max,+invtsc", None), ("max,pmu=off", None), ("max,-hypervisor", None),
    ("host,-arch-capabilities,level=0x10", None), ("host,+topoext", None),
    ("base,+lm,+pni", None), ("base,vendor=AuthenticAMD,+svm", None),
    ("Haswell,-hle,-rtm", None), ("Haswell-noTSX-IBRS,enforce", None),
    ("Skylake-Server,-avx512f", None), ("Icelake-Server,-pku", None),
    ("Cascadelake-Server-v4,+rdctl-no", None), ("EPYC-Rome,-xsave", None),
    ("EPYC", "4,sockets=1,cores=2,threads=2"),
    ("EPYC,+topoext", "4,sockets=1,cores=2,threads=2"),
    ("EPYC-v2", "2,threads=2"), ("Opteron_G3", "2"),
    ("qemu64", "4,sockets=2,cores=2"), ("Haswell", "8,sockets=2,dies=2,cores=2"),
    ("Skylake-Client", "2,sockets=2"), ("Dhyana", "2,threads=2"),
    ("qemu64,phys-bits=40,host-phys-bits=on", None),
    ("qemu64,+vmx,+rdrand,+rdseed,+invpcid,+rdtscp", None),
    ("qemu64,+vmx,+vmx-rdrand-exit,+vmx-rdseed-exit,+vmx-invpcid-exit", None),
    ("qemu64,+vmx,+rdrand,+rdseed,+invpcid,+vmx-secondary-ctls,"
     "+vmx-rdrand-exit,+vmx-rdseed-exit,+vmx-invpcid-exit", None),
    ("Skylake-Server-v4,+vmx", None), ("Cascadelake-Server,+vmx,-vmx-ept", None),
    ("max,+vmx", None), ("host,+vmx,-arch-capabilities", None),
]
SPEC_HOSTS = ["live", "intel-spr-pvm-raw-as-supported", "intel-spr-pvm-with-vmx",
              "intel-spr-pvm-with-vmx-no-48b", "amd-epyc-pvm",
              "dump-amd-ryzen-5-7600x-6-core-processor",
              "profile-fc-intel-sapphirerapids-6.1"]


def main():
    global MACHINE
    ap = argparse.ArgumentParser()
    ap.add_argument("vcpuid")
    ap.add_argument("--models")
    ap.add_argument("--hosts")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--machine", default=MACHINE,
                    help="machine type on both sides (e.g. pc-i440fx-11.1 "
                    "with VCPUID_QEMU set to tests/oracle/qemu_sid.py "
                    "--print-cmd)")
    ap.add_argument("--specs-only", action="store_true",
                    help="only the option/-smp cases, not every model")
    a = ap.parse_args()
    MACHINE = a.machine
    oracle = load_oracle()
    helpinfo = oracle.cpu_help()
    models = [m["name"] for m in helpinfo["models"]]
    for special in ("host", "max", "base"):
        if special not in models:
            models.append(special)
    spec_cases = SPEC_CASES
    if a.specs_only:
        models = []
    if a.models:
        models = a.models.split(",")
        spec_cases = []
    with tempfile.TemporaryDirectory(prefix="vcpuid-conf-") as tmp:
        hosts = make_hosts(a.vcpuid, tmp, a.hosts.split(",") if a.hosts else None)
        cases = [(m, h, None) for h in hosts for m in models]
        cases += [(m, h, smp) for h in hosts if h[0] in SPEC_HOSTS
                  for (m, smp) in spec_cases]
        qcases = [{"cpu": m, "host": h[2], "machine": MACHINE, "qom": True,
                   "smp": smp} for (m, h, smp) in cases]
        qres = oracle.run_many(qcases, workers=a.workers)
        with concurrent.futures.ThreadPoolExecutor(a.workers) as ex:
            ores = list(ex.map(lambda c: run_vcpuid(a.vcpuid, c[0], c[1][1],
                                                    c[2]), cases))
        failures = []
        per_host = {}
        for (m, h, smp), q, o in zip(cases, qres, ores):
            bad = compare(m, h[0], q, o, smp)
            st = per_host.setdefault(h[0], [0, 0])
            st[0 if not bad else 1] += 1
            failures += bad
        for h, (ok, ko) in per_host.items():
            print("host %-40s %4d match, %4d differ" % (h, ok, ko))
        print("models: %d, hosts: %d, cases: %d, matching: %d"
              % (len(models), len(hosts), len(cases),
                 sum(v[0] for v in per_host.values())))
        print("compared: %s" % ", ".join("%s %d" % kv for kv in STATS.items()))
        for f in failures:
            print("MISMATCH " + f)
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
