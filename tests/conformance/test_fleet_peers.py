#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid baseline` against its real peers: QEMU 7.2 and libvirt.

For seeded random groups of same-vendor bundled host profiles (the seed is
printed; VCPUID_FLEET_SEED=N replays it):

1. `vcpuid baseline --migratable --json --features --machine pc-i440fx-7.2`
   gives a -cpu spec and its feature list.
2. QEMU 7.2 (tests/oracle/qemu_oracle.py, each host's tables faked through
   the LD_PRELOAD as in the conformance suite) starts with `-cpu SPEC,enforce`
   on every host of the group.
3. No migratable named feature common to all hosts is missing: every name in
   the intersection of the hosts' `-cpu max` expansions (migratable=on, the
   names QEMU 7.2 knows) is in the baseline's features.
4. libvirt's `virsh -c test:///default cpu-baseline --features` on the same
   hosts (each host given as model 486 plus its `-cpu max` features, our
   names translated to libvirt's by CPUID/MSR location through
   cpu_map/x86_features.xml) gives no feature, at a location our catalog
   names, that our baseline lacks.

Then the mixed-vendor case: `vcpuid baseline --cross-vendor --migratable`
of every bundled profile (Intel and AMD, the narrow PVM host included) and
of the Firecracker ones (`--level x86-64-v3`): QEMU 7.2 starts each result
with `enforce` on every one of those hosts (faked), its base model is a
vendor-neutral one, and the level it reports is what `expand` says there.

Two documented differences in how libvirt is asked, neither a tolerance of
our output:
- libvirt's test driver refuses --migratable ("unsupported flags 0x2"). Its
  inputs are already migratable (`-cpu max` with migratable=on drops the
  blockers), and features libvirt's map marks migratable='no' are dropped
  from its result as the flag would.
- Inputs name model 486, so libvirt assumes its features (fpu, pse, vme) on
  every input. They are checked only when every host really has them.

Usage: test_fleet_peers.py VCPUID. Exit 77 when QEMU, /dev/kvm or virsh are
missing (each check that can run still runs: without virsh the QEMU part
runs, and the reverse).
"""
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("VCPUID_SOURCE_ROOT", os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(SRC, "tests", "helpers"))
import libvirt_cpumap as lv  # noqa: E402

MACHINE = "pc-i440fx-7.2"
QEMU_SINCE = 702
NARROW = "this-host.json"


def load_oracle():
    sys.path.insert(0, os.path.join(SRC, "tests", "oracle"))
    import qemu_oracle
    why = qemu_oracle.available()
    return qemu_oracle, why


def groups_for(rng, profiles, vendors):
    """6 groups of 2-3 same-vendor hosts; two Intel groups hold the narrow
    PVM host (this-host.json), one is the AMD pair."""
    by_v = {}
    for p in profiles:
        by_v.setdefault(vendors[p], []).append(p)
    intel = sorted(by_v.get("GenuineIntel", []))
    amd = sorted(by_v.get("AuthenticAMD", []))
    narrow = [p for p in intel if os.path.basename(p) == NARROW]
    wide = [p for p in intel if p not in narrow]
    out = []
    if len(amd) >= 2:
        out.append(rng.sample(amd, min(len(amd), rng.choice((2, 3)))))
    while len(out) < 6 and len(intel) >= 2:
        k = rng.choice((2, 3))
        if narrow and sum(1 for g in out if narrow[0] in g) < 2:
            g = narrow + rng.sample(wide, min(len(wide), k - 1))
        else:
            g = rng.sample(wide, min(len(wide), k))
        rng.shuffle(g)
        out.append(g)
    return out


def cross_vendor(vcpuid, oracle, profiles, vendors):
    """Mixed-vendor baselines start under QEMU 7.2 enforce on every host."""
    fails = []
    fc = [p for p in profiles if os.path.basename(p).startswith("fc-")]
    sets = [("all bundled", profiles, []),
            ("firecracker", fc, ["--level", "x86-64-v3"])]
    for label, hosts, extra in sets:
        if len({vendors[p] for p in hosts}) < 2:
            fails.append("cross-vendor %s: the set is not mixed" % label)
            continue
        r = subprocess.run([vcpuid, "baseline", "--cross-vendor", "--migratable",
                            "--json", "--machine", MACHINE, "--qemu", "7.2"]
                           + extra + hosts,
                           capture_output=True, text=True)
        if r.returncode:
            fails.append("cross-vendor %s: exit %d: %s" % (
                label, r.returncode, r.stderr.strip()))
            continue
        b = json.loads(r.stdout)
        print("cross-vendor %s (%d hosts): %s [%s, %s]" % (
            label, len(hosts), b["spec"], b["vendor"], b["level"]))
        if b["vendor"] != "mixed" or b["model"] not in ("qemu64", "kvm64",
                                                          "qemu32", "kvm32"):
            fails.append("cross-vendor %s: vendor %s, model %s" % (
                label, b["vendor"], b["model"]))
        if extra and b["level"] != "x86-64-v3":
            fails.append("cross-vendor %s: level %s" % (label, b["level"]))
        cases = [{"cpu": b["spec"] + ",enforce", "host": p, "machine": MACHINE}
                 for p in hosts]
        for p, res in zip(hosts, oracle.run_many(cases, workers=2)):
            name = os.path.basename(p)
            if not res["ok"]:
                w = " ".join(x.get("name") or "?" for x in res["warnings"])
                fails.append("cross-vendor %s: QEMU 7.2 refuses it on %s: %s%s"
                             % (label, name, res["error"],
                                " (filtered: %s)" % w if w else ""))
                continue
            print("  qemu-7.2 enforce on %s (%s): ok" % (name, vendors[p]))
            e = subprocess.run([vcpuid, "expand", "--json", "--machine", MACHINE,
                                "--qemu", "7.2", "--cpu", b["spec"], "--host", p],
                               capture_output=True, text=True)
            lv_here = json.loads(e.stdout)["cpu"]["x86_64_level"]["name"] \
                if e.returncode == 0 else None
            if lv_here != b["level"]:
                fails.append("cross-vendor %s: level on %s is %s, baseline says %s"
                             % (label, name, lv_here, b["level"]))
    return fails


def main():
    vcpuid = sys.argv[1]
    seed = int(os.environ.get("VCPUID_FLEET_SEED", 20261206))  # fixed: a CI verdict is reproducible; set the variable to explore
    print("seed %d (VCPUID_FLEET_SEED=%d replays these groups)" % (seed, seed))
    rng = random.Random(seed)

    oracle, qemu_why = load_oracle()
    have_virsh = subprocess.run(["sh", "-c", "command -v virsh"],
                                capture_output=True).returncode == 0
    virsh_why = None if have_virsh else "virsh (libvirt-clients) not installed"
    if not virsh_why and not os.path.exists(lv.LIBVIRT_MAP):
        virsh_why = lv.LIBVIRT_MAP + " missing"
    if qemu_why and virsh_why:
        print("SKIP: QEMU oracle: %s; libvirt: %s" % (qemu_why, virsh_why))
        return 77
    if qemu_why:
        print("SKIP part: QEMU oracle: " + qemu_why)
    if virsh_why:
        print("SKIP part: libvirt: " + virsh_why)

    cat = lv.Catalog(vcpuid)
    lmap = None if virsh_why else lv.LibvirtMap(cat)
    pdir = os.path.join(SRC, "profiles")
    profiles = sorted(os.path.join(pdir, f) for f in os.listdir(pdir)
                      if f.endswith(".json"))
    maxf = {}
    vendors = {}
    for p in profiles:
        v, names = lv.host_features(vcpuid, p, MACHINE)
        vendors[p] = v
        maxf[p] = {n for n in names
                   if cat.info[n]["qemu_since"] <= QEMU_SINCE}

    failures = []
    unmapped = set()
    groups = groups_for(rng, profiles, vendors)
    for gi, g in enumerate(groups):
        names = " ".join(os.path.basename(p) for p in g)
        r = subprocess.run([vcpuid, "baseline", "--migratable", "--json",
                            "--features", "--machine", MACHINE,
                            "--qemu", "7.2"] + g,
                           capture_output=True, text=True)
        if r.returncode:
            failures.append("group %d [%s]: vcpuid baseline exit %d: %s"
                            % (gi, names, r.returncode, r.stderr.strip()))
            continue
        b = json.loads(r.stdout)
        ours = set(b["features"])
        print("group %d [%s]: %s" % (gi, names, b["spec"]))
        bad = []

        # 3. nothing every host offers is left out
        common = set.intersection(*(maxf[p] for p in g))
        lost = sorted(n for n in common - ours)
        if lost:
            bad.append("common migratable features missing: " + " ".join(lost))

        # 2. QEMU 7.2 starts it with enforce on every host
        if not qemu_why:
            cases = [{"cpu": b["spec"] + ",enforce", "host": p,
                      "machine": MACHINE} for p in g]
            for p, res in zip(g, oracle.run_many(cases, workers=2)):
                if not res["ok"]:
                    w = " ".join(x.get("name") or "?" for x in res["warnings"])
                    bad.append("QEMU 7.2 refuses it on %s: %s%s [%s]" % (
                        os.path.basename(p), res["error"],
                        " (filtered: %s)" % w if w else "",
                        " ".join(res["cmdline"])))
                else:
                    print("  qemu-7.2 enforce on %s: ok" % os.path.basename(p))

        # 4. libvirt's baseline of the same hosts is within ours
        if lmap:
            with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
                for p in g:
                    locs = cat.locations(maxf[p])
                    f.write(lv.cpu_xml(vendors[p], lmap.names_at(locs)))
                f.flush()
                try:
                    model, lfeats = lv.baseline(f.name)
                except RuntimeError as e:
                    bad.append(str(e))
                    lfeats = []
            our_locs = cat.locations(ours)
            common_locs = set.intersection(*(cat.locations(maxf[p]) for p in g))
            diff = []
            for n in lfeats:
                if n in lmap.unmigratable:
                    continue
                ls = [l for l in lmap.locs.get(n, []) if l in cat.by_loc]
                if not ls:
                    unmapped.add(n)
                    continue
                if n in lv.LIBVIRT_486 and not all(l in common_locs for l in ls):
                    continue
                if not all(l in our_locs for l in ls):
                    diff.append("%s(%s)" % (n, cat.by_loc[ls[0]]))
            if diff:
                bad.append("libvirt's baseline has what ours lacks: " +
                           " ".join(sorted(diff)))
            print("  libvirt cpu-baseline: %s + %d features, all in ours: %s"
                  % (model, len(lfeats), "no" if diff else "yes"))
        for x in bad:
            failures.append("group %d [%s]: %s" % (gi, names, x))
    if not qemu_why:
        failures += cross_vendor(vcpuid, oracle, profiles, vendors)
    if unmapped:
        print("libvirt names outside our catalog (not compared): " +
              " ".join(sorted(unmapped)))
    for f in failures:
        print("FAIL " + f)
    print("%d groups, %d failures" % (len(groups), len(failures)))
    if failures:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
