#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential conformance of `vcpuid cpuid` against QEMU 7.2 (suite
'conformance'; python3, stdlib only).

For a seeded random sample of the product
    every QEMU 7.2 CPU type (-cpu help: models, versions, aliases, base/max/host)
  x hosts: live; two whole captures (an Intel and an AMD PVM host, raw
           CPUID and KVM of one machine: tests/oracle/hosts.py), each also as
           a permissive host (its raw CPUID as the supported table) with and
           without nested VMX; the six bundled Firecracker profiles;
           >= 20 libcpuid dumps imported as permissive hosts
  x topologies: 1 vCPU | 4 = cores 2 x threads 2 | 8 = sockets 2 x cores 2 x
           threads 2 | 8 = dies 2 x cores 2 x threads 2
  x random +feat/-feat sets (flags from -cpu help), some -cpu properties,
    a fifth of the cases on older machine types
each vCPU's KVM_SET_CPUID2 table (order, flags and all four registers) and
its feature MSRs (KVM_SET_MSRS right after it, in order) must be identical
to what QEMU 7.2 hands KVM, captured by tests/oracle/qemu_oracle.py.

Hermetic: every host but "live" is faked from files of this tree, and the
oracle answers everything QEMU asks about the host from the profile (the
CPUID instruction by CPUID faulting, KVM's tables, feature MSRs and their
refusal, capabilities, TSC rate, AMX permission: docs/testing.md), so the
verdict is the same on any x86 machine with QEMU and /dev/kvm. Every profile
carries a raw table of its own host: the capture's, the dump's for
libcpuid hosts, and for Firecracker fingerprints (which have none) their
own supported table (what the oracle uses for such a profile anyway); a
permissive libcpuid host takes the KVM part (feature MSRs, XSAVE,
capabilities) of the capture of its vendor. "live" runs QEMU on the real
/dev/kvm without any faking against a `vcpuid probe` of this machine taken
at the start of the run: both sides on this machine.

--release 11.1 runs the same sample against QEMU 11.1 (Debian sid's binary,
tests/oracle/qemu_sid.py) over its own product, without "live" (so a seed
gives the same cases and verdicts on any x86 host):
    every model of 11.1's -cpu help that vcpuid offers on the sampled machine
           type (vcpuid refuses models newer than it), host/max/base included
  x hosts of both vendors, every one faked: the whole captures of
           tests/oracle/hosts.py (Intel SPR and AMD EPYC PVM) as captured and
           permissive (the Intel one also with nested VMX); all 18
           Firecracker fingerprints of ../shared/data (else the bundled
           profiles/fc-*), their own supported table as the CPUID
           instruction; >= 20 libcpuid dumps as permissive hosts
  x the same topologies, random +feat/-feat from all of 11.1's flags, -cpu
    properties (PROPS_11), and every machine type 8.0 .. 11.1 of both
    chipsets (uniformly).

Usage: test_cpuid_qemu.py --vcpuid PATH [--release 7.2|11.1] [--cases N]
       [--seed S] [--workers W] [--report FILE] [--show N] [--only K,K]
       [--qemu CMD] [--keep-hosts DIR]
Every difference prints a REPLAY line: the same command with --seed, --cases
and --only K (the case's number) reruns just that case.
Environment: VCPUID_CONFORMANCE_CASES, VCPUID_CONFORMANCE_SEED,
VCPUID_QEMU_11 (the 11.1 command, else qemu_sid.py --print-cmd).
Every mismatch is a difference and fails the run. The one tolerance: a case
vcpuid declines with exit 12 (VCPUID_E_UNSUPPORTED) because of a property
that is out of scope on purpose (OUT_OF_SCOPE: Hyper-V enlightenments,
lbr-fmt) is counted as "declined"; any other exit-12 decline is a
difference.
Exit: 0 no difference, 1 differences, 77 skipped (no qemu, /dev/kvm, oracle,
QEMU 11.1 cannot be fetched, or vcpuid without CPU expansion), 2 harness
error.
"""
import argparse
import concurrent.futures
import glob
import io
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
import hosts as hosts_mod  # noqa: E402
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")
if not os.path.isdir(DATA):
    DATA = "/work/shared/data"
MACHINE = "pc-i440fx-7.2"
TOPOLOGIES = [
    "1",
    "4,sockets=1,cores=2,threads=2",
    "8,sockets=2,cores=2,threads=2",
    "8,sockets=1,dies=2,cores=2,threads=2",
]
N_LIBCPUID = 24
# -cpu properties mixed into some cases (besides +/- flags).
PROPS = ["pmu=on", "pmu=on", "+vmx", "l3-cache=off", "host-cache-info=on", "kvm=off",
         "x-vendor-cpuid-only=off", "legacy-cache=off",
         "full-cpuid-auto-level=off", "level=0x14", "xlevel=0x80000021",
         "tsc-frequency=2000000000", "tsc-frequency=1500000000",
         "phys-bits=42", "host-phys-bits=on",
         "ucode-rev=0x12345", "model-id=Test CPU", "vendor=AuthenticAMD",
         "vendor=GenuineIntel", "cpuid-0xb=off", "migratable=off", "check",
         "min-level=0x10", "kvm-pv-enforce-cpuid=on"]
# Machine types sampled for a fifth of the cases (compat defaults differ).
MACHINES = ["pc-q35-7.2", "pc-i440fx-2.6", "pc-i440fx-2.9", "pc-i440fx-4.0",
            "pc-q35-5.2", "pc-i440fx-6.1", "pc-q35-7.0"]

# --release 11.1: every machine type of QEMU 8.0 .. 11.1, both chipsets,
# sampled uniformly (QEMU 11.1 applies each one's compat properties).
MACHINES_11 = ["pc-%s-%s" % (chipset, v)
               for v in ("8.0", "8.1", "8.2", "9.0", "9.1", "9.2", "10.0",
                         "10.1", "10.2", "11.0", "11.1")
               for chipset in ("i440fx", "q35")]
# 11.1's properties: the 7.2 ones (x-vendor-cpuid-only is a compat knob
# vcpuid takes from the machine type only) and newer ones.
# (full-cpuid-auto-level stays: QEMU 11.1 refuses it on every machine type,
# as vcpuid does from 8.0.)
PROPS_11 = [p for p in PROPS if not p.startswith("x-")] + [
    "avx10-version=1", "avx10-version=2", "vmware-cpuid-freq=off"]


def skip(why):
    print("SKIP: %s" % why)
    sys.exit(77)


def vcpuid(exe, args, timeout=60):
    p = subprocess.run([exe] + args, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def vcpuid_cpuid(exe, cpu, host, machine, smp, qemu=None):
    """`vcpuid cpuid --format json` for one case: (rc, stdout, stderr).
    qemu: the QEMU release running the machine type (--qemu; None: the
    newest, vcpuid's default)."""
    return vcpuid(exe, ["cpuid", "--cpu", cpu, "--host", host, "--machine",
                        machine, "--smp", smp, "--format", "json"] +
                  (["--qemu", qemu] if qemu else []))


def n(v):
    return int(v, 0) if isinstance(v, str) else int(v)


# ------------------------------------------------------------------ hosts

def live_profile(exe, tmp):
    return hosts_mod.live_profile(exe, tmp)[1]


# Feature MSRs of a KVM with nested VMX and a PMU (Intel values of the kind
# Linux reports; the test is differential, any consistent values do). No
# bundled host has them, so without this host the VMX and PERF_CAPABILITIES
# paths of kvm_init_msrs would never be compared.
NESTED_MSRS = {
    0x345: 0x00000000000020c5,
    0x480: 0x00da040000000012, 0x481: 0x0000007f00000016,
    0x482: 0xfff9fffe0401e172, 0x483: 0x01ffffff00036dff,
    0x484: 0x0003ffff000011ff, 0x485: 0x00000000300481e5,
    0x486: 0x0000000080000021, 0x487: 0x00000000ffffffff,
    0x488: 0x0000000000002000, 0x489: 0x00000000003727ff,
    0x48a: 0x000000000000002e, 0x48b: 0x0053ffff00000000,
    0x48c: 0x00000f0106734141, 0x48d: 0x0000007f00000016,
    0x48e: 0xfff9fffe04006172, 0x48f: 0x01ffffff00036dfb,
    0x490: 0x0003ffff000011fb, 0x491: 0x0000000000000001,
}


def nested(prof):
    """prof with VMX in leaf 1 and the nested feature MSRs above."""
    p = json.loads(json.dumps(prof))
    for e in p["kvm"]["supported_cpuid"]:
        if n(e["function"]) == 1:
            e["ecx"] = "0x%08x" % (n(e["ecx"]) | 1 << 5)
    have = {n(m["index"]): m for m in p["kvm"].get("feature_msrs") or []}
    for idx, val in NESTED_MSRS.items():
        have[idx] = {"index": "0x%x" % idx, "value": "0x%x" % val}
    p["kvm"]["feature_msrs"] = [have[k] for k in sorted(have)]
    return p


def libcpuid_profiles(exe, rnd, count):
    files = sorted(glob.glob(os.path.join(DATA, "libcpuid-dumps", "**", "*"),
                             recursive=True))
    files = [f for f in files if os.path.isfile(f) and
             not f.endswith("COPYING")]
    rnd.shuffle(files)
    out = []
    for f in files:
        if len(out) >= count:
            break
        rc, text, err = vcpuid(exe, ["probe", "--from", f, "--json"])
        if rc:
            continue
        try:
            prof = json.loads(text)
        except ValueError:
            continue
        raw = prof.get("raw_cpuid") or []
        if len(raw) < 8:
            continue
        out.append((os.path.relpath(f, DATA), prof))
    return out


def firecracker_profiles(exe):
    """(name, profile) of every Firecracker fingerprint in ../shared/data,
    else of the bundled profiles/fc-*.json."""
    out = []
    for f in sorted(glob.glob(os.path.join(DATA, "firecracker-fingerprints",
                                           "fingerprint_*.json"))):
        rc, text, err = vcpuid(exe, ["probe", "--from", f, "--json"])
        if rc:
            raise RuntimeError("vcpuid probe --from %s: %s" % (f, err.strip()))
        out.append(("fc:" + os.path.basename(f)[:-5], json.loads(text)))
    if not out:
        for f in sorted(glob.glob(os.path.join(ROOT, "profiles", "fc-*.json"))):
            with open(f) as fh:
                out.append((os.path.basename(f)[:-5], json.load(fh)))
    return out


def hermetic_hosts(exe, tmp, rnd):
    """Hosts of both vendors in which every input QEMU and vcpuid read comes
    from a file of this tree or of ../shared/data, never from this machine
    (--release 11.1; see the module docstring): the whole captures of
    tests/oracle/hosts.py as captured and permissive (the Intel one also
    with nested VMX), every Firecracker fingerprint with its own supported
    table as the CPUID instruction, libcpuid dumps as permissive hosts with
    the KVM part of their vendor's capture."""
    hosts = []
    for name in sorted(hosts_mod.BASES):
        base = hosts_mod.load(hosts_mod.BASES[name])
        perm = hosts_mod.permissive(base["raw_cpuid"], base)
        hosts += [(name, base), (name + "-permissive", perm)]
        if hosts_mod.vendor(base) not in hosts_mod.AMD_VENDORS:
            hosts.append((name + "-permissive-nested", nested(perm)))
    for name, prof in firecracker_profiles(exe):
        hosts.append((name, hosts_mod.own_raw(prof)))
    for name, prof in libcpuid_profiles(exe, rnd, N_LIBCPUID):
        base = hosts_mod.base_for(hosts_mod.vendor(prof))[1]
        hosts.append((name, hosts_mod.permissive(prof["raw_cpuid"], base)))
    files = []
    for i, (name, prof) in enumerate(hosts):
        path = os.path.join(tmp, "host%02d.json" % i)
        with open(path, "w") as f:
            json.dump(prof, f)
        files.append({"name": name, "path": path, "oracle": path})
    return files


def build_hosts(exe, tmp, rnd):
    import qemu_oracle
    hosts = []
    no_live = qemu_oracle.live_kvm()
    if no_live:
        print("SKIP part: host live: %s" % no_live)
    else:
        hosts.append(("live", None, live_profile(exe, tmp)))  # real KVM
    for name in sorted(hosts_mod.BASES):
        base = hosts_mod.load(hosts_mod.BASES[name])
        perm = hosts_mod.permissive(base["raw_cpuid"], base)
        hosts.append((name, base, None))
        hosts.append((name + "-raw-permissive", perm, None))
        hosts.append((name + "-raw-permissive-nested", nested(perm), None))
    for f in sorted(glob.glob(os.path.join(ROOT, "profiles", "fc-*.json"))):
        with open(f) as fh:
            prof = json.load(fh)
        hosts.append((os.path.basename(f), hosts_mod.own_raw(prof), None))
    for name, prof in libcpuid_profiles(exe, rnd, N_LIBCPUID):
        base = hosts_mod.base_for(hosts_mod.vendor(prof))[1]
        hosts.append((name, hosts_mod.permissive(prof["raw_cpuid"], base),
                      None))
    files = []
    for i, (name, prof, vprof) in enumerate(hosts):
        path = os.path.join(tmp, "host%02d.json" % i)
        with open(path, "w") as f:
            json.dump(prof if prof is not None else vprof, f)
        files.append({"name": name, "path": path,
                      "oracle": None if prof is None else path})
    return files


# ------------------------------------------------------------------ cases

def make_cases(rnd, count, models, flags, hosts, machines, props=PROPS,
               models_of=None):
    """count random cases. 7.2: models is a list, a fifth of the cases on
    one of machines (else MACHINE). 11.1 (models_of given): the machine type
    is drawn first, uniformly from machines, and the model from
    models_of[machine type]."""
    cases = []
    for _ in range(count):
        if models_of:
            machine = rnd.choice(machines)
            model = rnd.choice(models_of[machine])
        else:
            model = rnd.choice(models)
        host = rnd.choice(hosts)
        smp = rnd.choice(TOPOLOGIES)
        spec = [model]
        if rnd.random() < 0.6:
            for f in rnd.sample(flags, rnd.randint(1, 4)):
                spec.append(("+" if rnd.random() < 0.5 else "-") + f)
        if rnd.random() < 0.35:
            spec += rnd.sample(props, rnd.randint(1, 2))
        if not models_of:
            machine = (rnd.choice(machines) if machines and rnd.random() < 0.2
                       else MACHINE)
        cases.append({"cpu": ",".join(spec), "host": host, "smp": smp,
                      "machine": machine})
    return cases


# -cpu properties QEMU 7.2 knows that vcpuid deliberately leaves out (Hyper-V
# enlightenments, a guest LBR format). A case declined with exit 12 because
# of one of these is counted as "declined"; any other exit-12 decline is a
# difference. None of them is sampled by PROPS; the list guards random
# additions.
OUT_OF_SCOPE = re.compile(r"property '(hv-[a-z0-9-]+|x-hv-[a-z0-9-]+|"
                          r"lbr-fmt)' is not supported")


def entries(lst):
    return [(n(e["function"]), n(e.get("index", 0)), n(e.get("flags", 0)),
             n(e["eax"]), n(e["ebx"]), n(e["ecx"]), n(e["edx"]))
            for e in lst]


def msrs(lst):
    return [(n(m["index"]), n(m["value"])) for m in lst]


def judge(case, ours_rc, ours_out, ours_err, qres, diff_tables):
    """(verdict, detail): identical | different | qemu-only | vcpuid-only."""
    # A vCPU that reached KVM_SET_CPUID2 (cpuid_ret) counts even with an
    # empty table: `base,kvm=off` really hands KVM zero entries.
    real = (qres.get("host") or {}).get("real_answers")
    if (qres.get("host") or {}).get("faked") and real:
        # a faked host must be the profile alone, never this machine
        return "different", "oracle: this machine's KVM answered %s" % real
    qvcpus = [v for v in qres.get("vcpus", [])
              if v.get("cpuid") or v.get("cpuid_ret") is not None]
    if not qvcpus:
        if ours_rc != 0:
            return "identical", "both refused: %s" % (qres.get("error") or "")
        return "different", "QEMU refused (%s) but vcpuid answered" % (
            (qres.get("error") or "").strip().splitlines()[:1])
    if ours_rc == 12 and OUT_OF_SCOPE.search(ours_err):
        return "unsupported", ours_err.strip()  # out of scope: declined
    if ours_rc != 0:
        return "different", "vcpuid failed: %s" % ours_err.strip()
    try:
        ours = json.loads(ours_out)
    except ValueError as e:
        return "different", "vcpuid printed bad JSON: %s" % e
    uv = {v["index"]: v for v in ours.get("vcpus", [])}
    lines = []
    for qv in qvcpus:
        i = qv.get("index", 0)
        if i not in uv:
            lines.append("vCPU %d: missing in vcpuid's answer" % i)
            continue
        a, b = entries(uv[i]["cpuid"]), entries(qv["cpuid"])
        if a != b:
            d = diff_tables(uv[i]["cpuid"], qv["cpuid"])
            if not d:
                d = ["  same entries, different order or duplicates"]
            lines.append("vCPU %d CPUID:" % i)
            lines += d
        if qres.get("ok") is not False or qv.get("msrs"):
            if msrs(uv[i].get("msrs", [])) != msrs(qv.get("msrs", [])):
                lines.append("vCPU %d MSRs: ours %s, qemu %s" % (
                    i, ["0x%x=0x%x" % m for m in msrs(uv[i].get("msrs", []))],
                    ["0x%x=0x%x" % m for m in msrs(qv.get("msrs", []))]))
    if lines:
        return "different", "\n".join(lines)
    return "identical", "%d vCPUs" % len(qvcpus)


def use_qemu_11(explicit=None):
    """Make QEMU 11.1 the oracle's QEMU: explicit, else $VCPUID_QEMU_11,
    else Debian sid's (tests/oracle/qemu_sid.py --print-cmd, fetched when
    not cached). Exits 77 saying why when it cannot be had or is not
    11.1.x. Returns the command."""
    import qemu_oracle
    cmd = explicit or os.environ.get("VCPUID_QEMU_11")
    if not cmd:
        p = subprocess.run([sys.executable, os.path.join(
            ROOT, "tests", "oracle", "qemu_sid.py"), "--print-cmd"],
            capture_output=True, text=True)
        if p.returncode:
            skip("QEMU 11.1 from Debian sid cannot be obtained: %s" %
                 (p.stdout + p.stderr).strip())
        cmd = p.stdout.strip()
    qemu_oracle.set_qemu(cmd)
    why = qemu_oracle.available()
    if why:
        skip(why)
    # The expectations are QEMU 11.1's: a later sid QEMU (which
    # qemu_sid.py would fetch once 11.1 is gone) is another oracle.
    ver = subprocess.run(shlex.split(cmd) + ["-version"], capture_output=True,
                         text=True).stdout.split("\n")[0]
    if " 11.1." not in ver:
        skip("the sid QEMU is not 11.1.x (%s)" % ver.strip())
    return cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--release", choices=("7.2", "11.1"), default="7.2")
    ap.add_argument("--qemu", default=None,
                    help="the QEMU 11.1 command (--release 11.1)")
    ap.add_argument("--keep-hosts", default=None, metavar="DIR",
                    help="write the host profiles to DIR and keep them "
                    "(hostNN.json, numbered as listed)")
    ap.add_argument("--only", default=None,
                    help="comma-separated case numbers: run just these")
    ap.add_argument("--vcpuid", required=True)
    ap.add_argument("--cases", type=int,
                    default=int(os.environ.get("VCPUID_CONFORMANCE_CASES",
                                               "500")))
    ap.add_argument("--seed", type=int,
                    # fixed default: a CI verdict can be replayed; set
                    # VCPUID_CONFORMANCE_SEED (or --seed) to explore others
                    default=int(os.environ.get("VCPUID_CONFORMANCE_SEED", "1")))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--report", default=None)
    ap.add_argument("--show", type=int, default=15)
    args = ap.parse_args()

    try:
        import qemu_oracle
        import compare
    except ImportError as e:
        skip("QEMU oracle not available (%s)" % e)
    if args.release == "11.1":
        use_qemu_11(args.qemu)
    why = qemu_oracle.available()
    if why:
        skip(why)
    with tempfile.TemporaryDirectory(prefix="vcpuid-conf-") as tmp:
        if args.keep_hosts:
            os.makedirs(args.keep_hosts, exist_ok=True)
            tmp = args.keep_hosts
        rc, _, err = vcpuid(args.vcpuid, ["cpuid", "--cpu", "qemu64",
                                          "--host", "live", "--format",
                                          "json"])
        if rc == 12:  # VCPUID_E_UNSUPPORTED: expansion not built in
            skip("vcpuid cannot expand CPU models yet: %s" % err.strip())
        print("QEMU %s, seed %d, %d cases, %d workers" % (
            args.release, args.seed, args.cases, args.workers))
        rnd = random.Random(args.seed)
        helpinfo = qemu_oracle.cpu_help()
        models = [m["name"] for m in helpinfo["models"]]
        flags = helpinfo["flags"]
        if args.release == "11.1":
            hosts = hermetic_hosts(args.vcpuid, tmp, rnd)
        else:
            hosts = build_hosts(args.vcpuid, tmp, rnd)
        print("%d CPU types, %d flags, %d hosts: %s" % (
            len(models), len(flags), len(hosts),
            ", ".join(h["name"] for h in hosts)))
        sampled = MACHINES_11 if args.release == "11.1" else MACHINES
        known = [m for m in sampled if vcpuid(
            args.vcpuid, ["models", "--machine", m, "--qemu",
                          args.release])[0] == 0]
        print("machine types: %s (unknown to vcpuid, not sampled: %s)" % (
            ", ".join(([] if args.release == "11.1" else [MACHINE]) + known),
            ", ".join(sorted(set(sampled) - set(known))) or "none"))
        if args.release == "11.1":
            # QEMU 11.1 offers every model of its own on every machine
            # type, and so does vcpuid with --qemu 11.1 (docs/models.md);
            # each type is sampled with the models both offer, host/max/
            # base included.
            models_of = {}
            for m in known:
                rc, out, err = vcpuid(args.vcpuid, ["models", "--machine", m,
                                                    "--qemu", args.release,
                                                    "--json"])
                ours = {x["name"] for x in json.loads(out)["models"]}
                ours |= {"host", "max", "base"}
                models_of[m] = [x for x in models if x in ours]
            # Flags and properties: all of 11.1's on every machine type.
            cases = make_cases(rnd, args.cases, models, flags, hosts, known,
                               props=PROPS_11, models_of=models_of)
        else:
            cases = make_cases(rnd, args.cases, models, flags, hosts, known)
        for k, c in enumerate(cases):
            c["case"] = k
        if args.only:
            pick = {int(k) for k in args.only.split(",")}
            cases = [c for c in cases if c["case"] in pick]

        t0 = time.time()
        qres = qemu_oracle.run_many(
            [{"cpu": c["cpu"], "host": c["host"]["oracle"],
              "machine": c["machine"], "smp": c["smp"]} for c in cases],
            workers=args.workers)
        # A QEMU run that produced nothing and said nothing (killed, timed
        # out under load) is not an answer: run it once more.
        # Same test as judge(): no vCPU reached KVM_SET_CPUID2 (QEMU may be
        # killed after creating vCPUs) and no error text.
        def silent(q):
            return (not any(v.get("cpuid") or v.get("cpuid_ret") is not None
                            for v in q.get("vcpus", [])) and
                    not (q.get("error") or "").strip())
        for k, q in enumerate(qres):
            for _ in range(2):
                if not silent(qres[k]):
                    break
                c = cases[k]
                qres[k] = qemu_oracle.run(c["cpu"], host=c["host"]["oracle"],
                                          machine=c["machine"], smp=c["smp"])
        t1 = time.time()

        def ours(c):
            return vcpuid_cpuid(args.vcpuid, c["cpu"], c["host"]["path"],
                                c["machine"], c["smp"], qemu=args.release)
        with concurrent.futures.ThreadPoolExecutor(args.workers) as ex:
            outs = list(ex.map(ours, cases))
        t2 = time.time()

        results = []
        for c, q, (rc_, out, err) in zip(cases, qres, outs):
            verdict, detail = judge(c, rc_, out, err, q,
                                    compare.diff_tables)
            results.append({"case": c["case"], "cpu": c["cpu"],
                            "host": c["host"]["name"],
                            "smp": c["smp"], "machine": c["machine"],
                            "verdict": verdict,
                            "detail": detail})
    same = [r for r in results if r["verdict"] == "identical"]
    diff = [r for r in results if r["verdict"] == "different"]
    unsup = [r for r in results if r["verdict"] == "unsupported"]
    print("QEMU %.1f s, vcpuid %.1f s" % (t1 - t0, t2 - t1))
    for r in diff[:args.show]:
        print("DIFF -machine %s -cpu %s --host %s -smp %s\n%s" % (
            r["machine"], r["cpu"], r["host"], r["smp"], r["detail"]))
    for r in diff:
        print("REPLAY %s --vcpuid %s --release %s --seed %d --cases %d "
              "--only %d   # -machine %s -cpu %s --host %s -smp %s" % (
                  os.path.relpath(os.path.abspath(__file__)), args.vcpuid,
                  args.release, args.seed, args.cases, r["case"],
                  r["machine"], r["cpu"], r["host"], r["smp"]))
    reasons = {}
    for r in unsup:
        reasons[re.sub(r"^.*?: (property|feature)", r"\1", r["detail"])] = 1
    for why in sorted(reasons):
        print("DECLINED by vcpuid (exit 12, out of scope): %s" % why)
    if args.report:
        with open(args.report, "w") as f:
            json.dump({"release": args.release, "seed": args.seed,
                       "cases": len(results),
                       "identical": len(same), "different": len(diff),
                       "unsupported": len(unsup),
                       "results": results}, f, indent=1)
    print("RESULT QEMU %s seed %d: %d cases, %d identical, %d different, "
          "%d declined (out of scope)" % (
              args.release, args.seed, len(results), len(same), len(diff),
              len(unsup)))
    return 1 if diff else 0


def run_harness(main_fn):
    """Exit with main_fn's status; an exception is a harness bug, not a
    difference: exit 2 with its traceback."""
    try:
        sys.exit(main_fn())
    except SystemExit:
        raise
    except Exception as e:
        import traceback
        traceback.print_exc()
        print("ERROR: %s" % e)
        sys.exit(2)


if __name__ == "__main__":
    run_harness(main)
