#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid's libvirt tables (src/lib/data/libvirt_features.def,
libvirt_models.def) against the installed libvirt's cpu_map: every feature
name at the same CPUID/MSR bit with the same migratable flag, every model
with the same vendor, decode flags, signatures and features. 77 when no
cpu_map is installed (Debian: libvirt-daemon)."""
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "helpers"))
import libvirt_cpumap as lv  # noqa: E402

MAPDIR = os.environ.get("VCPUID_LIBVIRT_CPU_MAP", "/usr/share/libvirt/cpu_map")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "src", "lib", "data", "libvirt_models.def")


def num(s):
    return int(s, 0)


def libvirt_features():
    out = {}
    for feat in ET.parse(os.path.join(MAPDIR, "x86_features.xml")).getroot().iter("feature"):
        ls = []
        for c in feat.findall("cpuid"):
            for r in ("eax", "ebx", "ecx", "edx"):
                m = num(c.get(r, "0"))
                ls += [("cpuid", num(c.get("eax_in")), num(c.get("ecx_in", "0")), r, b)
                       for b in range(32) if m >> b & 1]
        for m in feat.findall("msr"):
            v = num(m.get("eax", "0")) | num(m.get("edx", "0")) << 32
            ls += [("msr", num(m.get("index")), b) for b in range(64) if v >> b & 1]
        out[feat.get("name")] = (ls, feat.get("migratable") == "no")
    return out


def libvirt_models():
    models, order = {}, []
    index = ET.parse(os.path.join(MAPDIR, "index.xml")).getroot()
    for inc in index.find("arch[@name='x86']").iter("include"):
        for m in ET.parse(os.path.join(MAPDIR, inc.get("filename"))).getroot().iter("model"):
            if m.get("name") and (m.findall("feature") or m.find("model") is not None):
                models[m.get("name")] = m
                order.append(m.get("name"))
    out = {}
    for name in order:
        m = models[name]
        feats = {f.get("name") for f in m.findall("feature")}
        base = m.find("model")
        while base is not None:
            feats |= {f.get("name") for f in models[base.get("name")].findall("feature")}
            base = models[base.get("name")].find("model")
        v = m.find("vendor")
        d = m.find("decode")
        sigs = []
        for s in m.findall("signature"):
            sigs.append("%s:%s%s" % (s.get("family"), s.get("model"),
                                     ":" + s.get("stepping") if s.get("stepping") else ""))
        out[name] = (v.get("name") if v is not None else "",
                     (d is None or d.get("host") == "on", d is None or d.get("guest") == "on"),
                     sigs, feats)
    return order, out


def ours_models():
    text = open(DATA).read()
    order, out = [], {}
    for m in re.finditer(r'^LIBVIRT_MODEL\("([^"]*)", "([^"]*)", ([^,]*), "([^"]*)",\s*"([^"]*)"\)',
                         text, re.M):
        name, vendor, dec, sigs, feats = m.groups()
        order.append(name)
        out[name] = (vendor, ("LV_DECODE_HOST" in dec, "LV_DECODE_GUEST" in dec),
                     sigs.split(), set(feats.split()))
    return order, out


def main():
    vcpuid = sys.argv[1]
    if not os.path.exists(os.path.join(MAPDIR, "x86_features.xml")):
        print("SKIP: no libvirt cpu_map at %s (install libvirt-daemon)" % MAPDIR)
        return 77
    cat = lv.Catalog(vcpuid)
    ours = lv.LibvirtMap(cat)
    theirs = libvirt_features()
    bad = []
    for name, (ls, unmig) in theirs.items():
        if name not in ours.locs:
            bad.append("libvirt feature %s missing from the table" % name)
            continue
        if ours.locs[name] != ls:
            bad.append("%s: table %s, libvirt %s" % (name, ours.locs[name], ls))
        if (name in ours.unmigratable) != unmig:
            bad.append("%s: migratable flag differs" % name)
        q = ours.qemu[name]
        if q is not None and q not in cat.locs:
            bad.append("%s: QEMU name %s unknown to vcpuid" % (name, q))
    for name in ours.locs:
        if name not in theirs:
            bad.append("table feature %s not in libvirt's map" % name)
    if list(ours.locs) != list(theirs):
        bad.append("feature order differs from libvirt's")
    lorder, lmodels = libvirt_models()
    oorder, omodels = ours_models()
    if lorder != oorder:
        bad.append("model order differs: %s vs %s" % (oorder, lorder))
    for name, t in lmodels.items():
        o = omodels.get(name)
        if o != t:
            bad.append("model %s: table %s, libvirt %s" % (name, o, t))
    print("%d features, %d models compared with %s" % (len(theirs), len(lmodels), MAPDIR))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


sys.exit(main())
