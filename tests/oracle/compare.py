#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare vcpuid's answer with the QEMU oracle's (python3, stdlib only).

  compare.py OURS.json ORACLE.json [--only cpuid,msrs,filtered] [--quiet]

OURS is `vcpuid cpuid --json` ({"vcpus":[{"index","apic_id","cpuid":[...],
"msrs":[...]}]}) and/or `vcpuid expand --json` ({"filtered":[{"name",
"word","bit"}], ...}); ORACLE is qemu_oracle.py's output (or run()'s
dict).  Prints a readable diff (per vCPU, per entry, per register, with the
differing bits and their names from src/lib/data/features.def) and exits
non-zero on any difference (1) or a bad input (2).

API:
  compare(ours, oracle, out=sys.stdout, only=None) -> number of differences
        only: None (everything both sides have) or a set of
              {"cpuid", "msrs", "filtered"}
  diff_tables(a, b) -> [str]      lines describing two CPUID entry lists
Numbers may be JSON integers or "0x..." strings on either side.
"""
import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REGS = ("eax", "ebx", "ecx", "edx")


def _n(v):
    return int(v, 0) if isinstance(v, str) else int(v)


_names = None


def _bit_names():
    """{(leaf, subleaf, reg): {bit: name}} from words.def + features.def."""
    global _names
    if _names is not None:
        return _names
    _names = {}
    try:
        words = {}
        with open(os.path.join(ROOT, "include", "vcpuid", "words.def")) as f:
            for m in re.finditer(r"^WORD\((\w+),\s*CPUID,\s*(0x[0-9A-Fa-f]+),"
                                 r"\s*(\d+),\s*(E[ABCD]X)", f.read(), re.M):
                words[m.group(1)] = (int(m.group(2), 16), int(m.group(3)),
                                     m.group(4).lower())
        with open(os.path.join(ROOT, "src", "lib", "data", "features.def")) as f:
            for m in re.finditer(r"^FEATURE\((\w+),\s*(\d+),\s*\"([^\"]+)\"",
                                 f.read(), re.M):
                w = words.get(m.group(1))
                if w:
                    _names.setdefault(w, {}).setdefault(int(m.group(2)),
                                                        m.group(3))
    except OSError:
        pass
    return _names


def _bits(fn, idx, reg, mask):
    names = _bit_names().get((fn, idx, reg), {})
    out = []
    for b in range(32):
        if mask >> b & 1:
            out.append("%d(%s)" % (b, names[b]) if b in names else str(b))
    return ",".join(out)


def _key(e):
    return (_n(e["function"]), _n(e.get("index", 0)))


def diff_tables(a, b, left="ours", right="qemu"):
    """Lines describing how CPUID entry list a differs from b."""
    lines = []
    da = {_key(e): e for e in a}
    db = {_key(e): e for e in b}
    for k in sorted(set(da) | set(db)):
        fn, idx = k
        tag = "0x%08x.%x" % (fn, idx)
        if k not in db:
            lines.append("  %s: only in %s" % (tag, left))
            continue
        if k not in da:
            e = db[k]
            lines.append("  %s: only in %s (%s)" % (tag, right, " ".join(
                "%s=0x%08x" % (r, _n(e.get(r, 0))) for r in REGS)))
            continue
        x, y = da[k], db[k]
        if _n(x.get("flags", 0)) != _n(y.get("flags", 0)):
            lines.append("  %s flags: %s 0x%x, %s 0x%x" % (
                tag, left, _n(x.get("flags", 0)), right, _n(y.get("flags", 0))))
        for r in REGS:
            u, v = _n(x.get(r, 0)), _n(y.get(r, 0))
            if u == v:
                continue
            s = "  %s %s: %s 0x%08x, %s 0x%08x" % (tag, r.upper(), left, u,
                                                  right, v)
            if u & ~v:
                s += "; only %s: %s" % (left, _bits(fn, idx, r, u & ~v))
            if v & ~u:
                s += "; only %s: %s" % (right, _bits(fn, idx, r, v & ~u))
            lines.append(s)
    return lines


def _diff_msrs(a, b):
    lines = []
    da = {_n(m["index"]): _n(m["value"]) for m in a}
    db = {_n(m["index"]): _n(m["value"]) for m in b}
    for k in sorted(set(da) | set(db)):
        if da.get(k) != db.get(k):
            f = (lambda v: "absent" if v is None else "0x%x" % v)
            lines.append("  MSR 0x%x: ours %s, qemu %s" % (k, f(da.get(k)),
                                                           f(db.get(k))))
    return lines


def _filtered_keys(items):
    out = set()
    for w in items:
        out.add((w.get("name") or w.get("word"), int(w["bit"])))
    return out


def compare(ours, oracle, out=sys.stdout, only=None):
    """Print the differences; return how many there are."""
    n = 0

    def say(s):
        out.write(s + "\n")

    want = (lambda w: only is None or w in only)
    if "vcpus" in ours and (want("cpuid") or want("msrs")):
        ov = {v.get("index", i): v for i, v in enumerate(oracle.get("vcpus", []))}
        uv = {v.get("index", i): v for i, v in enumerate(ours["vcpus"])}
        if oracle.get("ok") is False:
            say("qemu did not start: %s" % (oracle.get("error") or "?"))
            n += 1
        for i in sorted(set(ov) | set(uv), key=lambda x: (x is None, x)):
            if i not in ov or i not in uv:
                say("vCPU %s: only in %s" % (i, "ours" if i in uv else "qemu"))
                n += 1
                continue
            a, b = uv[i], ov[i]
            lines = []
            if a.get("apic_id") is not None and b.get("apic_id") is not None \
                    and _n(a["apic_id"]) != _n(b["apic_id"]):
                lines.append("  APIC id: ours %s, qemu %s" % (a["apic_id"],
                                                             b["apic_id"]))
            if want("cpuid"):
                lines += diff_tables(a.get("cpuid") or [], b.get("cpuid") or [])
            if want("msrs") and "msrs" in a:
                lines += _diff_msrs(a.get("msrs") or [], b.get("msrs") or [])
            if lines:
                say("vCPU %s:" % i)
                for ln in lines:
                    say(ln)
                n += len(lines)
    if "filtered" in ours and want("filtered"):
        a = _filtered_keys(ours["filtered"])
        b = _filtered_keys(oracle.get("warnings", []))
        for k in sorted(a - b, key=str):
            say("filtered only by ours: %s [bit %d]" % k)
            n += 1
        for k in sorted(b - a, key=str):
            say("filtered only by qemu: %s [bit %d]" % k)
            n += 1
    if n == 0:
        say("identical")
    return n


def main(argv=None):
    ap = argparse.ArgumentParser(description="Diff vcpuid's JSON against "
                                 "the QEMU oracle's.")
    ap.add_argument("ours")
    ap.add_argument("oracle")
    ap.add_argument("--only", help="comma list of cpuid,msrs,filtered")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    try:
        with open(a.ours) as f:
            ours = json.load(f)
        with open(a.oracle) as f:
            oracle = json.load(f)
        only = set(a.only.split(",")) if a.only else None
        out = open(os.devnull, "w") if a.quiet else sys.stdout
        return 1 if compare(ours, oracle, out, only) else 0
    except (OSError, ValueError, KeyError, TypeError) as e:
        print("compare: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
