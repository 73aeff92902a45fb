#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid upgrade-check` against the real QEMU 7.2 and QEMU 11.1.

For each case (CPU model x host x -smp) on one machine type (default
pc-i440fx-7.2), the difference list `vcpuid upgrade-check --from-qemu 7.2
--to-qemu 11.1 --json` prints must be exactly the difference between the
tables the real QEMU 7.2 (Debian 12) and the real QEMU 11.1 (Debian sid,
tests/oracle/qemu_sid.py) hand KVM for that machine type: same entries,
registers, flags, order and feature MSRs, on the same vCPUs, each marked
seen by the guest or not by the same rule, and exit 1 exactly when the
guest sees one. Every difference must also name a recorded QEMU change
(data/qemu_changes.def).

Hosts are faked from the bundled Firecracker profiles of both vendors
(profiles/fc-*.json): the CPUID instruction QEMU executes is answered from
the profile's own KVM table (raw_cpuid := supported_cpuid), the vCPU's TSC
rate is a fixed 2.5 GHz and the KVM capabilities are
profiles/this-host.json's, so nothing depends on the machine the test runs
on.

Modes:
  live (default)  run both QEMUs through the oracle (tests/oracle); with
                  --record DIR also write the golden set: DIR/cases.jsonl.gz
                  (one line per case: the case and both QEMUs' answers,
                  compact) and the host profiles in DIR/hosts/.
  --golden DIR    compare vcpuid with recorded answers only (no QEMU).

Usage: test_upgrade_qemu.py --vcpuid PATH [--golden DIR | --record DIR]
       [--models A,B | --specs 'A,+f;B,-g'] [--hosts fc-...,...]
       [--smp 'S;S'] [--machine M]
       [--qemu11 CMD] [--qemu72 CMD] [--workers 2] [--show N]
Exit: 0 all cases match, 1 some differ, 77 skipped (no QEMU 7.2 or 11.1,
no /dev/kvm: the reason is printed), 2 harness error.
"""
import argparse
import gzip
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))

MODELS = ["Cascadelake-Server", "Skylake-Client-v4", "qemu64", "kvm64",
          "Icelake-Server", "EPYC-Milan", "EPYC-Rome", "Denverton",
          "Cooperlake", "EPYC", "Haswell-v4", "Opteron_G5", "Conroe", "pentium2",
          "pentium3", "486", "athlon", "Snowridge", "max"]
HOSTS = ["fc-intel-cascadelake-6.1", "fc-amd-genoa-6.1",
         "fc-intel-sapphirerapids-6.1", "fc-amd-milan-6.1"]
SMPS = ["1", "4,sockets=1,cores=2,threads=2",
        "8,sockets=1,dies=2,cores=2,threads=2"]
QEMU72 = "qemu-system-x86_64"


def skip(why):
    print("SKIP: %s" % why)
    sys.exit(77)


# ------------------------------------------------------------ the hosts
def host_profile(name):
    """profiles/NAME.json made self-contained (see the docstring)."""
    with open(os.path.join(ROOT, "profiles", name + ".json")) as f:
        p = json.load(f)
    with open(os.path.join(ROOT, "profiles", "this-host.json")) as f:
        filler = json.load(f)["kvm"]
    kvm = p["kvm"]
    if not p.get("raw_cpuid"):
        p["raw_cpuid"] = json.loads(json.dumps(kvm["supported_cpuid"]))
    if not kvm.get("tsc_khz"):
        kvm["tsc_khz"] = 2500000  # KVM_GET_TSC_KHZ, faked by the oracle
    if not kvm.get("capabilities"):
        kvm["capabilities"] = filler.get("capabilities") or []
    return p


# ------------------------------------------------------------ diffs
def entries(v):
    """[(function, index, flags, [eax, ebx, ecx, edx])] from compact lines
    'FN IDX FLAGS EAX EBX ECX EDX'."""
    out = []
    for ln in v["cpuid"]:
        w = [int(x, 16) for x in ln.split()]
        out.append((w[0], w[1], w[2], w[3:7]))
    return out


def msrs(v):
    out = []
    for m in v["msrs"]:
        i, val = m.split("=")
        out.append((int(i, 16), int(val, 16)))
    return out


def entry_visible(x, other):
    """An entry only one side has: the guest sees it unless it is all zero
    or the other side has the same non-indexed leaf, same registers."""
    if not any(x[3]):
        return False
    if x[2] & 1:  # KVM_CPUID_FLAG_SIGNIFICANT_INDEX
        return True
    return not any(y[0] == x[0] and not y[2] & 1 and y[3] == x[3]
                   for y in other)


def expected_diffs(va, vb):
    """The differences between two recorded answers, as vcpuid reports
    them: (kind, function, index, register, msr, from, to, visible) ->
    vCPU set."""
    d = {}

    def add(key, i):
        d.setdefault(key, set()).add(i)
    for i, (a, b) in enumerate(zip(va, vb)):
        ea, eb = entries(a), entries(b)
        ka = {(e[0], e[1]): e for e in ea}
        kb = {(e[0], e[1]): e for e in eb}
        for k in [x[:2] for x in ea] + [x[:2] for x in eb if x[:2] not in ka]:
            x, y = ka.get(k), kb.get(k)
            if not x or not y:
                vis = entry_visible(x, eb) if x else entry_visible(y, ea)
                add(("entry", k[0], k[1], None, None, bool(x), bool(y), vis),
                    i)
                continue
            if x[2] != y[2]:
                add(("flags", k[0], k[1], None, None, x[2], y[2], False), i)
            for r in range(4):
                if x[3][r] != y[3][r]:
                    add(("register", k[0], k[1], r, None, x[3][r], y[3][r],
                         True), i)
        if len(ea) == len(eb) and [e[:2] for e in ea] != [e[:2] for e in eb]:
            add(("order", None, None, None, None, True, True, False), i)
        ma, mb = dict(msrs(a)), dict(msrs(b))
        for m in [x for x, _ in msrs(a)] + [x for x, _ in msrs(b)
                                          if x not in ma]:
            if ma.get(m) != mb.get(m) or (m in ma) != (m in mb):
                fa = ma[m] if m in ma else False
                fb = mb[m] if m in mb else False
                add(("msr", None, None, None, m, fa, fb, True), i)
    return d


REGS = ["eax", "ebx", "ecx", "edx"]


def ours_diffs(doc):
    d, unattributed = {}, []
    for x in doc["differences"]:
        k = x["kind"]
        fn = int(x["function"], 16) if "function" in x else None
        ix = int(x["index"], 16) if "index" in x else None
        reg = REGS.index(x["register"]) if "register" in x else None
        msr = int(x["msr"], 16) if "msr" in x else None
        fr = int(x["from"], 16) if isinstance(x["from"], str) else x["from"]
        to = int(x["to"], 16) if isinstance(x["to"], str) else x["to"]
        d[(k, fn, ix, reg, msr, fr, to, x["visible"])] = set(x["vcpus"])
        if not x["changes"] or any(c["change"] is None for c in x["changes"]):
            unattributed.append(x)
    return d, unattributed


def fmt(key):
    k, fn, ix, reg, msr, fr, to, vis = key
    if k == "msr":
        where = "MSR 0x%x" % msr
    elif k == "order":
        where = "entry order"
    else:
        where = "0x%08x.0x%x %s" % (fn, ix, REGS[reg] if reg is not None
                                      else k)
    show = (lambda v: "0x%x" % v if not isinstance(v, bool) else
            ("present" if v else "absent"))
    return "%s: %s -> %s%s" % (where, show(fr), show(to),
                               "" if vis else " (not seen by the guest)")


def judge(case, rc, out, err, g72, g111):
    if g72.get("error") and not g72["vcpus"] or \
            g111.get("error") and not g111["vcpus"]:
        if rc >= 2:
            return "identical", "refused on one side: %s" % err.strip()
        return "different", "a QEMU refused (%s) but vcpuid answered" % (
            g72.get("error") or g111.get("error"))
    if rc not in (0, 1):
        return "different", "vcpuid exit %d: %s" % (rc, err.strip())
    want = expected_diffs(g72["vcpus"], g111["vcpus"])
    got, unattr = ours_diffs(json.loads(out))
    lines = []
    for k in sorted(set(want) | set(got), key=str):
        if want.get(k) != got.get(k):
            lines.append("  %s: qemu vCPUs %s, vcpuid vCPUs %s" % (
                fmt(k), sorted(want.get(k, ())), sorted(got.get(k, ()))))
    for x in unattr:
        lines.append("  no recorded change for %s" % json.dumps(x))
    seen = sum(1 for k in want if k[7])
    if (rc == 1) != bool(seen):
        lines.append("  exit %d with %d differences the guest sees" % (
            rc, seen))
    return ("different" if lines else "identical"), "\n".join(lines)


# ------------------------------------------------------------ running
def compact(res):
    if not res.get("vcpus"):
        return {"error": res.get("error"), "vcpus": []}
    return {"error": res.get("error"),
            "vcpus": [{"index": v.get("index"),
                       "cpuid": [" ".join([e["function"], e.get("index", "0x0"),
                                           e.get("flags", "0x0"), e["eax"],
                                           e["ebx"], e["ecx"], e["edx"]])
                                 for e in v.get("cpuid") or []],
                       "msrs": ["%s=%s" % (m["index"], m["value"])
                                for m in v.get("msrs") or []]}
                      for v in res["vcpus"]
                      if v.get("cpuid") or v.get("cpuid_ret") is not None]}


def upgrade_check(exe, case, host_path):
    p = subprocess.run([exe, "upgrade-check", "--cpu", case["cpu"],
                        "--machine", case["machine"], "--from-qemu", "7.2",
                        "--to-qemu", "11.1", "--host", host_path, "--smp",
                        case["smp"], "--json"], capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def run_live(args, cases):
    import qemu_oracle as qo
    qo.set_qemu(args.qemu72)
    why = qo.available()
    if why:
        skip("oracle: %s" % why)
    q11 = args.qemu11 or os.environ.get("VCPUID_QEMU_11")
    if not q11:
        p = subprocess.run([sys.executable, os.path.join(
            ROOT, "tests", "oracle", "qemu_sid.py"), "--offline",
            "--print-cmd"], capture_output=True, text=True)
        if p.returncode:
            skip("QEMU 11.1 cannot be had here: %s" % (
                p.stdout + p.stderr).strip())
        q11 = p.stdout.strip()
    with tempfile.TemporaryDirectory(prefix="vcpuid-upgrade-") as tmp:
        paths = {}
        for h in sorted({c["host"] for c in cases}):
            paths[h] = os.path.join(tmp, h + ".json")
            with open(paths[h], "w") as f:
                json.dump(host_profile(h), f)
        runs = [{"cpu": c["cpu"], "host": paths[c["host"]],
                 "machine": c["machine"], "smp": c["smp"]} for c in cases]
        qo.set_qemu(args.qemu72)
        r72 = qo.run_many(runs, workers=args.workers)
        qo.set_qemu(q11)
        r111 = qo.run_many(runs, workers=args.workers)
        results, lines = [], []
        for c, a, b in zip(cases, r72, r111):
            g72, g111 = compact(a), compact(b)
            lines.append(json.dumps(dict(c, **{
                "qemu-7.2": dict(g72, qemu="qemu-system-x86 "
                                 "1:7.2+dfsg-7+deb12u18 (Debian 12)"),
                "qemu-11.1": dict(g111, qemu="qemu-system-x86 "
                                  "1:11.1.3+ds-1 (Debian sid)")}),
                sort_keys=True))
            rc, out, err = upgrade_check(args.vcpuid, c, paths[c["host"]])
            results.append((c, judge(c, rc, out, err, g72, g111)))
        if args.record:
            os.makedirs(os.path.join(args.record, "hosts"), exist_ok=True)
            for h in paths:
                with open(os.path.join(args.record, "hosts", h + ".json"),
                          "w") as f:
                    json.dump(host_profile(h), f, indent=0, sort_keys=True)
                    f.write("\n")
            with gzip.open(os.path.join(args.record, "cases.jsonl.gz"), "wt",
                           compresslevel=9) as f:
                f.write("\n".join(lines) + "\n")
    return results


def run_golden(args):
    results = []
    path = os.path.join(args.golden, "cases.jsonl.gz")
    if not os.path.exists(path):
        print("ERROR: no golden cases in %s" % args.golden)
        sys.exit(2)
    with gzip.open(path, "rt") as fh:
        golden = [json.loads(ln) for ln in fh if ln.strip()]
    for g in golden:
        hp = os.path.join(args.golden, "hosts", g["host"] + ".json")
        rc, out, err = upgrade_check(args.vcpuid, g, hp)
        results.append((g, judge(g, rc, out, err, g["qemu-7.2"],
                                 g["qemu-11.1"])))
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vcpuid", required=True)
    ap.add_argument("--golden")
    ap.add_argument("--record")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--specs", help="';'-separated -cpu values (with "
                    "options), instead of --models")
    ap.add_argument("--hosts", default=",".join(HOSTS))
    ap.add_argument("--smp", default=";".join(SMPS))
    ap.add_argument("--machine", default="pc-i440fx-7.2")
    ap.add_argument("--qemu11", help="QEMU 11.1 command (default: "
                    "$VCPUID_QEMU_11, else qemu_sid.py --offline --print-cmd)")
    ap.add_argument("--qemu72", default=QEMU72,
                    help="QEMU 7.2 command (default qemu-system-x86_64)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    if args.golden:
        results = run_golden(args)
    else:
        models = (args.specs.split(";") if args.specs
                  else args.models.split(","))
        cases = [{"cpu": m, "host": h, "smp": s, "machine": args.machine}
                 for m in models
                 for h in args.hosts.split(",")
                 for s in args.smp.split(";")]
        print("%d cases: %s x %d models x %d hosts x %d topologies" % (
            len(cases), args.machine, len(models),
            len(args.hosts.split(",")), len(args.smp.split(";"))))
        results = run_live(args, cases)
    bad = [(c, d) for c, (v, d) in results if v != "identical"]
    for c, d in bad[:args.show]:
        print("DIFF vcpuid upgrade-check --cpu %s --machine %s --from-qemu "
              "7.2 --to-qemu 11.1 --host %s --smp %s\n%s" % (
                  c["cpu"], c["machine"], c["host"], c["smp"], d))
    print("RESULT: %d cases, %d identical, %d different" % (
        len(results), len(results) - len(bad), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
