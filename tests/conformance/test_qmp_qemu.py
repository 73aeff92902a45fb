#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`--format qmp` against QEMU's own QMP answers (docs/qmp.md).

On each faked host (bundled profiles, through the oracle's preload:
docs/testing.md), one QEMU run answers query-cpu-definitions and, for every
CPU type it lists, query-cpu-model-expansion type static and type full (and for a few models
with QMP props, the options of a -cpu spec).
vcpuid must give the same answers, field by field:

  vcpuid models --format qmp --host P --machine M      = query-cpu-definitions
  vcpuid expand --format qmp --expansion T --cpu NAME  = query-cpu-model-expansion

Usage: test_qmp_qemu.py --vcpuid EXE --qemu 7.2|11.1 [--host PROFILE ...]
                        [--machine M]
QEMU 7.2 is the installed one; 11.1 is Debian sid's, from the cache
(tests/oracle/qemu_sid.py --offline). Exit 0 equal, 1 differences, 77
skipped (QEMU, /dev/kvm or the preload missing), saying why.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
import qemu_oracle  # noqa: E402

HOSTS = ["fc-intel-icelake-6.1", "fc-amd-genoa-6.1",
         "fc-intel-graniterapids-6.1"]
MACHINE = {"7.2": "pc-i440fx-7.2", "11.1": "pc-i440fx-11.1"}
# Models with QMP props (the options of a -cpu spec), both types each.
PROPS = [
    ("Skylake-Client", {"avx512f": True, "hle": False, "model-id": "x y"}),
    ("EPYC-Milan", {"pmu": True, "xlevel": 0x80000021, "vmx": True}),
    ("Cascadelake-Server", {"vmx": True, "vmx-secondary-ctls": True,
                            "arch-capabilities": False}),
    ("max", {"migratable": False}),
    ("host", {"host-cache-info": True, "l3-cache": False}),
    ("qemu64", {"vendor": "AuthenticAMD", "family": 23, "sse4_1": True,
                "kvm": False}),
]


def spec_of(name, props):
    """The -cpu spec of a QMP model: name,prop=value,..."""
    opts = ["%s=%s" % (k, ("on" if v else "off") if isinstance(v, bool) else v)
            for k, v in props.items()]
    return ",".join([name] + opts)


def skip(why):
    print("SKIP: %s" % why)
    sys.exit(77)


def use_qemu(release):
    if release == "7.2":
        return
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "oracle",
                                                     "qemu_sid.py"),
                        "--offline", "--print-cmd"],
                       capture_output=True, text=True)
    if p.returncode or not p.stdout.strip():
        skip("QEMU 11.1 (Debian sid) is not in the cache: %s"
             % (p.stderr.strip() or "qemu_sid.py --offline failed"))
    qemu_oracle.set_qemu(p.stdout.strip())


def vcpuid(exe, *args):
    p = subprocess.run([exe] + list(args), capture_output=True, text=True)
    if p.returncode:
        return {"vcpuid failed": p.returncode, "stderr": p.stderr.strip()}
    return json.loads(p.stdout)


def diff_defs(qemu, ours):
    """query-cpu-definitions, per type and field."""
    out = []
    q = {d["name"]: d for d in qemu}
    o = {d["name"]: d for d in ours} if isinstance(ours, list) else {}
    for n in sorted(set(q) | set(o)):
        if n not in o or n not in q:
            out.append("%s: only in %s" % (n, "QEMU" if n in q else "vcpuid"))
            continue
        for k in sorted(set(q[n]) | set(o[n])):
            if q[n].get(k, "(absent)") != o[n].get(k, "(absent)"):
                out.append("%s.%s: QEMU %s, vcpuid %s" % (
                    n, k, json.dumps(q[n].get(k, "(absent)")),
                    json.dumps(o[n].get(k, "(absent)"))))
    return out


REFUSED = []


def diff_expansion(name, typ, qemu, ours):
    if "model" not in qemu or "model" not in ours:
        if qemu.get("error") and "vcpuid failed" in ours:
            REFUSED.append("%s/%s" % (name, typ))
            return []  # both refuse
        return ["%s/%s: QEMU %s, vcpuid %s" % (name, typ, json.dumps(qemu)[:200],
                                               json.dumps(ours)[:200])]
    out = []
    qm, om = qemu["model"], ours["model"]
    if qm.get("name") != om.get("name"):
        out.append("%s/%s: name QEMU %s, vcpuid %s" % (name, typ, qm.get("name"),
                                                      om.get("name")))
    qp, op = qm.get("props", {}), om.get("props", {})
    for k in sorted(set(qp) | set(op)):
        if qp.get(k, "(absent)") != op.get(k, "(absent)"):
            out.append("%s/%s: %s QEMU %s, vcpuid %s" % (
                name, typ, k, json.dumps(qp.get(k, "(absent)")),
                json.dumps(op.get(k, "(absent)"))))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vcpuid", required=True)
    ap.add_argument("--qemu", choices=sorted(MACHINE), required=True)
    ap.add_argument("--host", action="append")
    ap.add_argument("--machine")
    a = ap.parse_args()
    use_qemu(a.qemu)
    why = qemu_oracle.available()
    if why:
        skip(why)
    machine = a.machine or MACHINE[a.qemu]
    hosts = a.host or [os.path.join(ROOT, "profiles", h + ".json") for h in HOSTS]
    diffs, checked = [], 0
    for host in hosts:
        hn = os.path.basename(host)
        defs = qemu_oracle.query_cpu_definitions(host=host, machine=machine,
                                                 timeout=60)
        # the machine type as the QEMU under test runs it (--qemu)
        ours = vcpuid(a.vcpuid, "models", "--format", "qmp", "--host", host,
                      "--machine", machine, "--qemu", a.qemu)
        diffs += ["%s: %s" % (hn, d) for d in diff_defs(defs, ours)]
        checked += 1
        names = [d["name"] for d in defs]
        qmp = [("query-cpu-model-expansion",
                {"type": t, "model": {"name": n}})
               for n in names for t in ("static", "full")]
        qmp += [("query-cpu-model-expansion",
                 {"type": t, "model": {"name": n, "props": p}})
                for n, p in PROPS if n in names for t in ("static", "full")]
        res = qemu_oracle.run("qemu64", host=host, machine=machine, qmp=qmp,
                              timeout=300)
        if not res["ok"] or len(res["qmp"]) != len(qmp):
            diffs.append("%s: QEMU failed: %s" % (hn, res["error"]))
            continue
        for (_, args), answer in zip(qmp, res["qmp"]):
            n, t = args["model"]["name"], args["type"]
            if not isinstance(answer, dict):
                answer = {"error": answer}
            spec = spec_of(n, args["model"].get("props", {}))
            o = vcpuid(a.vcpuid, "expand", "--format", "qmp", "--expansion", t,
                       "--cpu", spec, "--host", host, "--machine", machine,
                       "--qemu", a.qemu)
            n = spec
            diffs += ["%s: %s" % (hn, d) for d in diff_expansion(n, t, answer, o)]
            checked += 1
    for d in diffs[:200]:
        print("DIFF " + d)
    print("QEMU %s (%s): %d answers compared on %d hosts (%d refused by both: "
          "%s), %d differences" % (a.qemu, machine, checked, len(hosts),
                                   len(REFUSED), " ".join(REFUSED[:6]),
                                   len(diffs)))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
