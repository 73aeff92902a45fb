#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential conformance of `vcpuid cpuid` against QEMU 11.1 (Debian
sid's binary, tests/oracle/qemu_sid.py) for the machine types 8.0 .. 11.1.

Cases: CPU models (11.1's -cpu help, or --models) x hosts (live: QEMU on
the real KVM against `vcpuid probe`, both on this machine; the whole
captures of tests/oracle/hosts.py, an Intel and an AMD PVM host; the
bundled profiles/fc-*.json with their own supported table as the CPUID
instruction; all faked from the profile alone, as in test_cpuid_qemu.py)
x topologies x machine types. Each vCPU's
KVM_SET_CPUID2 table (order, flags, registers) and feature MSRs must be
identical to QEMU 11.1's running that machine type.

Modes:
  live (default)   run QEMU 11.1 and vcpuid, compare; --record DIR also
                   writes the oracle answers as golden JSON (one file per
                   case) for the offline mode.
  --golden DIR     compare vcpuid with recorded answers only (no QEMU).

Usage: test_cpuid_qemu11.py --vcpuid PATH [--machines M,M] [--models A,B]
       [--specs 'A,opt=v;B,-feat'] [--hosts fc-intel-cascadelake-6.1,...] [--smp S;S] [--limit N]
       [--workers W] [--show N] [--report FILE] [--record DIR | --golden DIR]
       [--summary] [--host-file PATH[,PATH]] [--qemu-7-2]
--host-file adds faked hosts from profile files of the tree (named by
their file name; hand-made hosts, e.g. golden/cpuid-11.1-vmcs-enum/hosts);
--qemu-7-2 asks Debian's QEMU 7.2 (the oracle's default QEMU) instead of
11.1, and --record labels the answers as 7.2's (replayed with --qemu 7.2).
Exit: 0 no difference, 1 differences, 77 skipped (no QEMU 11.1, no
/dev/kvm, no oracle), 2 harness error.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
sys.path.insert(0, HERE)

import hosts  # noqa: E402
import test_cpuid_qemu as t72  # noqa: E402  (judge)

MACHINES = ["pc-i440fx-11.1", "pc-i440fx-10.2", "pc-i440fx-10.1",
            "pc-i440fx-10.0", "pc-i440fx-9.2", "pc-i440fx-9.1",
            "pc-i440fx-9.0", "pc-i440fx-8.2", "pc-i440fx-8.1",
            "pc-i440fx-8.0"]
TOPOLOGIES = ["1", "4,sockets=1,cores=2,threads=2",
              "8,sockets=2,cores=2,threads=2",
              "8,sockets=1,dies=2,cores=2,threads=2"]


# Known differences, counted apart and not failing a run (docs/testing.md):
# QEMU 11.1 offers every CPU model on every machine type, vcpuid only the
# models of the machine type's release (the catalog's rule).
REFUSED = "appeared in QEMU"
KNOWN_WHY = ("vcpuid refuses a model newer than the machine type's release "
             "(QEMU 11.1 offers it)")


def known(verdict, detail):
    if verdict == "different" and REFUSED in detail:
        return "known", KNOWN_WHY
    return verdict, detail


def hosts_for(exe, tmp, wanted, files=()):
    import qemu_oracle
    out = []
    no_live = qemu_oracle.live_kvm()
    if no_live:
        print("SKIP part: host live: %s" % no_live)
    elif not wanted or "live" in wanted:
        path, _ = hosts.live_profile(exe, tmp)
        out.append({"name": "live", "path": path, "oracle": None})
    named = [(n, hosts.load(p)) for n, p in sorted(hosts.BASES.items())]
    for f in sorted(glob.glob(os.path.join(ROOT, "profiles", "fc-*.json"))):
        with open(f) as fh:
            named.append((os.path.basename(f)[:-5],
                          hosts.own_raw(json.load(fh))))
    for f in files:
        named.append((os.path.basename(f)[:-5], hosts.load(f)))
    for name, prof in named:
        path = os.path.join(tmp, name + ".json")
        with open(path, "w") as fh:
            json.dump(prof, fh)
        out.append({"name": name, "path": path, "oracle": path,
                    "profile": prof})
    if wanted:
        out = [h for h in out if h["name"] in wanted]
    return out


def golden_cases(gdir):
    cases = []
    for f in sorted(glob.glob(os.path.join(gdir, "*.json"))):
        with open(f) as fh:
            cases.append((f, json.load(fh)))
    return cases


def compact(entries):
    return [" ".join([e["function"], e.get("index", "0x0"),
                      e.get("flags", "0x0"), e["eax"], e["ebx"], e["ecx"],
                      e["edx"]]) for e in entries or []]


def expand_entries(lines):
    keys = ["function", "index", "flags", "eax", "ebx", "ecx", "edx"]
    return [dict(zip(keys, ln.split())) for ln in lines]


QEMU_11_LABEL = "qemu-system-x86 1:11.1.3+ds-1 (Debian sid)"


def record(gdir, c, q, label=QEMU_11_LABEL):
    """One golden case: the oracle's answer, compact; the host profile
    (completed with this machine's raw CPUID) once in hosts/."""
    os.makedirs(os.path.join(gdir, "hosts"), exist_ok=True)
    hp = os.path.join(gdir, "hosts", c["host"]["name"] + ".json")
    if not os.path.exists(hp):
        with open(hp, "w") as fh:
            json.dump(c["host"]["profile"], fh, indent=0, sort_keys=True)
    name = "%s--%s--%s--%s.json" % (
        c["machine"], c["cpu"], c["host"]["name"],
        c["smp"].replace(",", "_").replace("=", ""))
    g = {"cpu": c["cpu"], "machine": c["machine"], "smp": c["smp"],
         "host": c["host"]["name"],
         "qemu": label,
         "error": q.get("error"),
         "vcpus": [{"index": v.get("index"), "apic_id": v.get("apic_id"),
                    "cpuid": compact(v.get("cpuid")),
                    "msrs": ["%s=%s" % (m["index"], m["value"])
                             for m in v.get("msrs") or []]}
                   for v in q.get("vcpus", [])
                   if v.get("cpuid") or v.get("cpuid_ret") is not None]}
    with open(os.path.join(gdir, name), "w") as fh:
        json.dump(g, fh, indent=1)
        fh.write("\n")


def qemu_72_label():
    """'qemu-system-x86 1:7.2+dfsg-... (Debian), QEMU 7.2.22' of the
    oracle's QEMU; exits 77 when it is not 7.2."""
    import qemu_oracle
    import subprocess
    ver = subprocess.run(qemu_oracle.QEMU_CMD + ["-version"],
                         capture_output=True,
                         text=True).stdout.split("\n")[0].strip()
    m = re.search(r"version (7\.2\.\d+) \(Debian ([^)]*)\)", ver)
    if not m:
        t72.skip("the oracle's QEMU is not Debian's 7.2 (%s)" % ver)
    return "qemu-system-x86 %s (Debian), QEMU %s" % (m.group(2), m.group(1))


def run_golden(args):
    """Offline: vcpuid against the recorded answers (hosts embedded)."""
    if not os.path.isdir(args.golden):
        skip("no golden directory %s (recorded data not on this machine)" %
             args.golden)
    cases = [c for c in golden_cases(args.golden)
             if os.path.basename(os.path.dirname(c[0])) != "hosts"]
    if not cases:
        print("ERROR: no golden cases in %s" % args.golden)
        return 2
    import compare
    import release_known as rk
    # With a QEMU release option vcpuid runs the machine type as the
    # recording QEMU does; without it, as the type's own release does, and
    # rk names the differences that alone causes (known, not failures).
    qemu_opt = rk.supports_qemu_option(args.vcpuid)
    feats = None if qemu_opt else rk.Features(args.vcpuid)

    def one(item):
        f, g = item
        hp = os.path.join(args.golden, "hosts", g["host"] + ".json")
        extra = ["--qemu", rk.golden_release(g)] if qemu_opt else []
        rc, out, err = t72.vcpuid(args.vcpuid, [
            "cpuid", "--cpu", g["cpu"], "--host", hp, "--machine",
            g["machine"], "--smp", g["smp"], "--format", "json"] + extra)
        vc = [{"index": v["index"], "apic_id": v["apic_id"],
               "cpuid": expand_entries(v["cpuid"]),
               "cpuid_ret": 0,
               "msrs": [dict(zip(["index", "value"], m.split("=")))
                        for m in v["msrs"]]} for v in g["vcpus"]]
        q = {"ok": True, "vcpus": vc, "error": g.get("error")}
        v, d = t72.judge(g, rc, out, err, q, compare.diff_tables)
        v, d = known(v, d)
        if v == "different" and feats and rc == 0:
            mr = rk.release(g["machine"])
            why = rk.explain(g, json.loads(out), feats.newer(
                mr, rk.release(g.get("qemu")) or 1101), mr)
            if why:
                v, d = "known", "; ".join(rk.WHY[w] for w in sorted(why))
        return {"cpu": g["cpu"], "host": g["host"], "smp": g["smp"],
                "machine": g["machine"], "verdict": v, "detail": d}
    with concurrent.futures.ThreadPoolExecutor(args.workers) as ex:
        results = list(ex.map(one, cases))
    return report(args, results)


def report(args, results):
    per = {}
    for r in results:
        s = per.setdefault(r["machine"], [0, 0])
        s[0] += 1
        s[1] += r["verdict"] == "identical"
    shown = 0
    for r in results:
        if r["verdict"] in ("identical", "known") or shown >= args.show:
            continue
        shown += 1
        print("DIFF -machine %s -cpu %s --host %s -smp %s\n%s" % (
            r["machine"], r["cpu"], r["host"], r["smp"], r["detail"]))
    if args.summary:
        leaves = {}
        for r in results:
            if r["verdict"] == "identical":
                continue
            for line in r["detail"].splitlines():
                line = line.strip()
                key = line.split(":")[0] if line.startswith("0x") else \
                    line[:60]
                leaves.setdefault((r["machine"], key), set()).add(r["cpu"])
        for (m, k), s in sorted(leaves.items()):
            print("LEAF %s %s: %d models" % (m, k, len(s)))
    for m in sorted(per, key=lambda m: [int(x) for x in
                                        m.split("-")[-1].split(".")]):
        print("MACHINE %s: %d cases, %d identical" % (m, per[m][0],
                                                     per[m][1]))
    if args.report:
        with open(args.report, "w") as f:
            json.dump(results, f, indent=1)
    diff = [r for r in results if r["verdict"] not in ("identical", "known")]
    known = [r for r in results if r["verdict"] == "known"]
    for why in sorted(set(r["detail"] for r in known)):
        print("KNOWN (%d cases): %s" % (
            sum(r["detail"] == why for r in known), why))
    print("RESULT: %d cases, %d identical, %d known, %d different" % (
        len(results), len(results) - len(diff) - len(known), len(known),
        len(diff)))
    return 1 if diff else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vcpuid", required=True)
    ap.add_argument("--machines", default=",".join(MACHINES))
    ap.add_argument("--models", default=None)
    ap.add_argument("--specs", default=None,
                    help="';'-separated -cpu specs with options, added to "
                    "the models")
    ap.add_argument("--hosts", default=None)
    ap.add_argument("--smp", default=";".join(TOPOLOGIES))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--report", default=None)
    ap.add_argument("--record", default=None)
    ap.add_argument("--golden", default=None)
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--qemu", default=None)
    ap.add_argument("--host-file", default=None)
    ap.add_argument("--qemu-7-2", action="store_true")
    args = ap.parse_args()
    if args.golden:
        return run_golden(args)

    import qemu_oracle
    import compare
    label = QEMU_11_LABEL
    if args.qemu_7_2:
        if args.qemu:
            qemu_oracle.set_qemu(args.qemu)
        why = qemu_oracle.available()
        if why:
            t72.skip(why)
        label = qemu_72_label()
    else:
        t72.use_qemu_11(args.qemu)
    machines = args.machines.split(",")
    smps = args.smp.split(";")
    with tempfile.TemporaryDirectory(prefix="vcpuid-q11-") as tmp:
        hosts = hosts_for(args.vcpuid, tmp,
                          args.hosts.split(",") if args.hosts else None,
                          args.host_file.split(",") if args.host_file
                          else ())
        if args.models:
            models = args.models.split(",")
        elif not args.specs:
            models = [m["name"] for m in qemu_oracle.cpu_help()["models"]
                      if m["name"] not in ("host", "max", "base")]
        else:
            models = []
        if args.specs:
            models += args.specs.split(";")
        cases = [{"cpu": m, "host": h, "smp": s, "machine": mt}
                 for mt in machines for m in models for h in hosts
                 for s in smps]
        if args.limit:
            cases = cases[:args.limit]
        print("%d cases: %d machine types x %d models x %d hosts x %d "
              "topologies" % (len(cases), len(machines), len(models),
                              len(hosts), len(smps)))
        qres = qemu_oracle.run_many(
            [{"cpu": c["cpu"], "host": c["host"]["oracle"],
              "machine": c["machine"], "smp": c["smp"]} for c in cases],
            workers=args.workers)

        def ours(c):
            return t72.vcpuid_cpuid(args.vcpuid, c["cpu"], c["host"]["path"],
                                    c["machine"], c["smp"],
                                    "7.2" if args.qemu_7_2 else None)
        with concurrent.futures.ThreadPoolExecutor(args.workers) as ex:
            outs = list(ex.map(ours, cases))
        results = []
        for k, (c, q, (rc, out, err)) in enumerate(zip(cases, qres, outs)):
            v, d = known(*t72.judge(c, rc, out, err, q, compare.diff_tables))
            results.append({"cpu": c["cpu"], "host": c["host"]["name"],
                            "smp": c["smp"], "machine": c["machine"],
                            "verdict": v, "detail": d})
            if args.record and c["host"]["oracle"]:
                record(args.record, c, q, label)
    return report(args, results)


if __name__ == "__main__":
    t72.run_harness(main)
