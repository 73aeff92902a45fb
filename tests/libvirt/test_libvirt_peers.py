#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid against the real libvirt's QEMU driver on this machine, seeded
(VCPUID_LIBVIRT_SEED replays a run):

- compare: N guest CPUs (a libvirt model this QEMU knows, features required
  and disabled at random, libvirt's names) through
  `virsh hypervisor-cpu-compare` and `vcpuid compare --cpu XML --host live`:
  the two agree on whether this host can run it;
- baseline: N groups of 2-3 hosts generated from the bundled profiles of one
  vendor (bench/bench_fleet -w, features removed at random): the features of
  `vcpuid baseline --format libvirt` (read back through --cpu) include every
  feature of `virsh hypervisor-cpu-baseline --features` given the same
  hosts (each as model 486 + what `-cpu max` has there, libvirt's names).

Starts libvirtd when none answers (and stops it); 77 when it cannot."""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "helpers"))
import libvirt_cpumap as lv  # noqa: E402
from libvirtd import Libvirtd, virsh  # noqa: E402

SRC = os.path.join(HERE, "..", "..")
N = int(os.environ.get("VCPUID_LIBVIRT_CASES", "100"))


def compare_cases(vcpuid, rng, tmp, machine, lmap):
    dc = subprocess.run([vcpuid, "domcapabilities", "--machine", machine,
                         "--qemu", machine.rsplit("-", 1)[1],
                         "--no-check"], capture_output=True, text=True, check=True)
    models = re.findall(r"<model usable='(?:yes|no)' vendor='[^']*'>([^<]*)<", dc.stdout)
    usable = re.findall(r"<model usable='yes' vendor='[^']*'>([^<]*)<", dc.stdout)
    hm = re.findall(r"<feature policy='require' name='([^']*)'/>", dc.stdout)
    names = [n for n, q in lmap.qemu.items() if q]
    bad, agree, seen = [], 0, {}
    for i in range(N):
        # half the cases within what this host offers (a usable model,
        # features of libvirt's host-model), half anything
        inside = i % 2 == 0 and usable and hm
        model = rng.choice(usable if inside else models)
        req = rng.sample(hm if inside else names, min(rng.randint(0, 4),
                                                      len(hm if inside else names)))
        dis = rng.sample([n for n in names if n not in req], rng.randint(0, 3))
        xml = ("<cpu mode='custom' match='exact'><model fallback='forbid'>%s</model>"
               % model + "".join("<feature policy='require' name='%s'/>" % n for n in req)
               + "".join("<feature policy='disable' name='%s'/>" % n for n in dis)
               + "</cpu>\n")
        path = os.path.join(tmp, "cmp.xml")
        with open(path, "w") as f:
            f.write(xml)
        r = virsh("hypervisor-cpu-compare", path, "--virttype", "kvm", "--machine",
                  machine)
        out = (r.stdout + r.stderr).lower()
        if "incompatible" in out:
            theirs = "INCOMPATIBLE"
        elif "superset" in out:
            theirs = "SUPERSET"
        elif "identical" in out:
            theirs = "IDENTICAL"
        else:
            bad.append("case %d: virsh hypervisor-cpu-compare: %s" % (i, out.strip()))
            continue
        o = subprocess.run([vcpuid, "compare", "--cpu", path, "--host", "live",
                            "--machine", machine,
                            "--qemu", machine.rsplit("-", 1)[1]], capture_output=True, text=True)
        m = re.search(r"^live: (\w+)", o.stdout, re.M)
        if o.returncode not in (0, 1) or not m:
            bad.append("case %d: vcpuid compare exit %d: %s" % (i, o.returncode,
                                                              o.stderr.strip()))
            continue
        ours = m.group(1)
        seen[theirs] = seen.get(theirs, 0) + 1
        if (ours == "INCOMPATIBLE") != (theirs == "INCOMPATIBLE"):
            bad.append("case %d: libvirt %s, vcpuid %s\n%s%s" % (
                i, theirs, ours, xml, o.stdout))
        else:
            agree += 1
    print("compare: %d of %d cases agree with virsh hypervisor-cpu-compare "
          "(libvirt's verdicts: %s)" % (agree, N, ", ".join(
              "%s %d" % kv for kv in sorted(seen.items()))))
    return bad


def baseline_cases(vcpuid, rng, tmp, machine, cat, lmap):
    fleet = os.path.join(os.environ.get("VCPUID_BUILD_ROOT", os.path.join(SRC, "build")),
                         "bench", "bench_fleet")
    if not os.path.exists(fleet):
        print("SKIP part: %s not built: no baseline cases" % fleet)
        return []
    by = {}
    pdir = os.path.join(SRC, "profiles")
    for p in sorted(os.listdir(pdir)):
        if p.endswith(".json"):
            v, _ = lv.host_features(vcpuid, os.path.join(pdir, p), machine)
            by.setdefault(v, []).append(os.path.join(pdir, p))
    bad, ok = [], 0
    for i in range(N):
        vendor = rng.choice(sorted(by))
        hosts = os.path.join(tmp, "hosts%d" % i)
        os.mkdir(hosts)
        feats = os.path.join(tmp, "features%d.txt" % i)
        subprocess.run([fleet, "-n", str(rng.randint(2, 3)), "-s", str(rng.randrange(1 << 30)),
                        "-w", hosts, "-f", feats] + by[vendor], check=True,
                       capture_output=True)
        xmls = []
        with open(feats) as f:
            for line in f:
                v, *names = line.split()
                xmls.append(lv.cpu_xml(v, lmap.names_at(cat.locations(names))))
        lvx = os.path.join(tmp, "in%d.xml" % i)
        with open(lvx, "w") as f:
            f.write("".join(xmls))
        r = virsh("hypervisor-cpu-baseline", lvx, "--features", "--virttype", "kvm",
                  "--machine", machine)
        if r.returncode:
            bad.append("baseline case %d: virsh: %s" % (i, r.stderr.strip()))
            continue
        theirs = set(re.findall(r"<feature policy='require' name='([^']*)'/>", r.stdout))
        o = subprocess.run([vcpuid, "baseline", hosts, "--machine", machine,
                            "--qemu", machine.rsplit("-", 1)[1],
                            "--format", "libvirt"], capture_output=True, text=True)
        if o.returncode:
            bad.append("baseline case %d: vcpuid baseline exit %d: %s" % (
                i, o.returncode, o.stderr.strip()))
            continue
        ours_xml = os.path.join(tmp, "ours%d.xml" % i)
        with open(ours_xml, "w") as f:
            f.write(o.stdout)
        if shutil.which("virt-xml-validate"):
            v = subprocess.run(["virt-xml-validate", ours_xml, "cpu"],
                               capture_output=True, text=True)
            if v.returncode:
                bad.append("baseline case %d: virt-xml-validate: %s\n%s" % (
                    i, v.stderr.strip(), o.stdout))
        first = os.path.join(hosts, sorted(os.listdir(hosts))[0])
        e = subprocess.run([vcpuid, "expand", "--cpu", ours_xml, "--host", first,
                            "--machine", machine,
                            "--qemu", machine.rsplit("-", 1)[1], "--json"], capture_output=True,
                           text=True)
        if e.returncode:
            bad.append("baseline case %d: read back: %s" % (i, e.stderr.strip()))
            continue
        names = []
        for w in json.loads(e.stdout)["features"].values():
            names += w["names"]
        ours = set(lmap.names_at(cat.locations(names)))
        # libvirt assumes model 486's features on its inputs
        missing = sorted(n for n in theirs - ours
                         if not (n in lv.LIBVIRT_486 and n not in ours))
        if missing:
            bad.append("baseline case %d: libvirt's baseline has %s, vcpuid's "
                       "lacks it\n%s" % (i, " ".join(missing), o.stdout))
        else:
            ok += 1
        shutil.rmtree(hosts)
    print("baseline: %d of %d cases: vcpuid's is a superset of virsh "
          "hypervisor-cpu-baseline --features" % (ok, N))
    return bad


def main():
    vcpuid = sys.argv[1]
    seed = int(os.environ.get("VCPUID_LIBVIRT_SEED", 1796552969))  # fixed: a CI verdict is reproducible; set the variable to explore
    print("seed %d (VCPUID_LIBVIRT_SEED=%d replays it)" % (seed, seed))
    rng = random.Random(seed)
    if not os.path.exists("/dev/kvm"):
        print("SKIP: /dev/kvm missing")
        return 77
    cat = lv.Catalog(vcpuid)
    lmap = lv.LibvirtMap(cat)
    tmp = tempfile.mkdtemp(prefix="vcpuid-lvpeers-")
    try:
        with Libvirtd() as d:
            if d.why:
                print("SKIP: " + d.why)
                return 77
            m = re.search(r"hypervisor: QEMU (\d+)\.(\d+)", virsh("version").stdout)
            if not m:
                print("SKIP: virsh version names no QEMU")
                return 77
            machine = "pc-i440fx-%s.%s" % m.groups()
            bad = compare_cases(vcpuid, rng, tmp, machine, lmap)
            bad += baseline_cases(vcpuid, rng, tmp, machine, cat, lmap)
    finally:
        shutil.rmtree(tmp)
    for b in bad[:20]:
        print("FAIL: " + b)
    if len(bad) > 20:
        print("... %d more" % (len(bad) - 20))
    return 1 if bad else 0


sys.exit(main())
