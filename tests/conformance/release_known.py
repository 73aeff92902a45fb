# SPDX-License-Identifier: MIT
"""Known differences of a golden replay that come from the QEMU release.

A golden directory records what one QEMU binary (11.1, or 7.2) hands KVM
for machine types older than itself. vcpuid without a QEMU release option
reproduces each machine type as its own release runs it; QEMU 11.1 running
an older type differs from that release only where no compat property
restores the old behaviour. Two such differences are known (docs/testing.md,
"AMD recordings"), and a case whose every difference is one of them is
counted as `known`, not as a failure:

  features    a bit set only by QEMU that names a feature the machine
              type's release does not know yet but the recording QEMU does
              (qemu_since of data/features.def), e.g. tsa-sq-no, tsa-l1-no
              and its-no (10.1), overflow-recov/succor (9.0),
              kvm-asyncpf-vmexit (8.1): host/max turn on every feature their
              QEMU knows;
  cmp-legacy  CPUID.0x80000001 ECX[1] set only by vcpuid, machine types
              before 10.0: QEMU 10.0 (commit 99a637a86f55 "i386/cpu: Set
              and track CPUID_EXT3_CMP_LEG in env->features[...]") made it a
              feature set by x86_cpu_expand_features and filtered by KVM,
              where 9.2 and older set it in cpu_x86_cpuid for any non-Intel
              vendor with more than one thread per package; no compat
              property brings that back, so QEMU 11.1 drops it on 9.2 when
              the host's KVM lacks it (an Intel KVM table under an AMD CPUID
              instruction).

Anything else (a bit only vcpuid sets, another register, another entry,
flags, order) is not explained here.
"""
import json
import re
import subprocess

FEATURES = "features"
CMP_LEGACY = "cmp-legacy"
WHY = {
    FEATURES: "host/max: features the recording QEMU knows and the machine "
              "type's own release does not (vcpuid gives each machine type "
              "its release's feature knowledge)",
    CMP_LEGACY: "cmp-legacy in CPUID.0x80000001 ECX on machine types before "
                "10.0 (QEMU 10.0 commit 99a637a86f55 made it a filtered "
                "feature, with no compat property)",
}
REGS = ("eax", "ebx", "ecx", "edx")
ECX = 2


def release(text):
    """'pc-i440fx-8.0' or 'qemu-system-x86 1:11.1.3+ds-1' -> 800 / 1101."""
    m = re.search(r"(?:^|[-:])(\d+)\.(\d+)", text or "")
    return int(m.group(1)) * 100 + int(m.group(2)) if m else None


def golden_release(g):
    """The recording QEMU's release ('11.1', '7.2') from a golden case."""
    r = release(g.get("qemu")) or 1101
    return "%d.%d" % (r // 100, r % 100)


def supports_qemu_option(exe):
    """vcpuid can be told the QEMU release (`cpuid --qemu X.Y`)."""
    p = subprocess.run([exe, "cpuid", "--help"], capture_output=True,
                       text=True)
    return "--qemu" in p.stdout + p.stderr


class Features:
    """The catalog's bits with the release that first names them."""

    def __init__(self, exe):
        p = subprocess.run([exe, "features", "--json"], capture_output=True,
                           text=True, check=True)
        self.rows = json.loads(p.stdout)["features"]

    def newer(self, since_after, until):
        """{('cpuid', leaf, sub, reg) or ('msr', index): mask} of bits named
        by releases in (since_after, until]."""
        out = {}
        for f in self.rows:
            s = f.get("qemu_since", 0)
            if not since_after < s <= until:
                continue
            if f.get("msr"):
                key = ("msr", int(f["msr"], 16))
            elif f.get("leaf"):
                key = ("cpuid", int(f["leaf"], 16), int(f["subleaf"], 16),
                       REGS.index(f["register"].lower()))
            else:
                continue
            out[key] = out.get(key, 0) | (1 << f["bit"])
        return out


def _n(v):
    return int(v, 0) if isinstance(v, str) else int(v)


def _table(lst):
    rows = []
    for e in lst:
        if isinstance(e, str):
            f, i, fl, a, b, c, d = (int(x, 16) for x in e.split())
        else:
            f, i, fl = _n(e["function"]), _n(e.get("index", 0)), \
                _n(e.get("flags", 0))
            a, b, c, d = (_n(e[r]) for r in REGS)
        rows.append(((f, i), fl, (a, b, c, d)))
    return rows


def _msrs(lst):
    out = {}
    for m in lst:
        if isinstance(m, str):
            i, v = m.split("=")
        else:
            i, v = m["index"], m["value"]
        out[_n(i)] = _n(v)
    return out


def explain(g, ours, newer, machine_release):
    """The set of known reasons explaining every difference between the
    golden case g and vcpuid's JSON answer ours, or None when one is not
    explained. newer: Features.newer(machine_release, golden release)."""
    reasons = set()
    maxlike = g["cpu"].split(",")[0] in ("host", "max")
    uv = {v["index"]: v for v in ours.get("vcpus", [])}
    for gv in g["vcpus"]:
        v = uv.get(gv["index"])
        if v is None:
            return None
        q, o = _table(gv["cpuid"]), _table(v["cpuid"])
        qk, ok = [r[0] for r in q], [r[0] for r in o]
        if len(set(qk)) != len(qk) or len(set(ok)) != len(ok):
            return None  # repeated leaves (leaf 2): compare as they are
        if [k for k in qk if k in set(ok)] != ok:
            return None  # an entry only vcpuid has, or another order
        od = {k: (fl, regs) for k, fl, regs in o}
        for k, fl, regs in q:
            ofl, oregs = od.get(k, (fl, (0, 0, 0, 0)))
            if ofl != fl:
                return None
            for r in range(4):
                only_q = regs[r] & ~oregs[r]
                only_o = oregs[r] & ~regs[r]
                if only_q:
                    if not maxlike or \
                            only_q & ~newer.get(("cpuid",) + k + (r,), 0):
                        return None
                    reasons.add(FEATURES)
                if only_o:
                    if (k == (0x80000001, 0) and r == ECX and only_o == 2 and
                            machine_release < 1000):
                        reasons.add(CMP_LEGACY)
                    else:
                        return None
        if v.get("msrs") is None:
            continue
        qm, om = _msrs(gv.get("msrs", [])), _msrs(v.get("msrs", []))
        if set(qm) != set(om):
            return None
        for i in qm:
            only_q, only_o = qm[i] & ~om[i], om[i] & ~qm[i]
            if only_o or only_q & ~newer.get(("msr", i), 0):
                return None
            if only_q and not maxlike:
                return None
            if only_q:
                reasons.add(FEATURES)
    return reasons or None
