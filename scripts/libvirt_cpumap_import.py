#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Regenerate src/lib/data/libvirt_features.def and libvirt_models.def from
an installed libvirt cpu_map (Debian 12: libvirt 9.0, /usr/share/libvirt/cpu_map)
and vcpuid's own catalog (`vcpuid features --json`).

    scripts/libvirt_cpumap_import.py build/src/cli/vcpuid [CPU_MAP_DIR]

The .def files are the data vcpuid reads; this script only writes them."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

REGS = ("eax", "ebx", "ecx", "edx")


def num(s):
    return int(s, 0)


def main():
    vcpuid = sys.argv[1]
    mapdir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/libvirt/cpu_map"
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    cat = json.loads(subprocess.run([vcpuid, "features", "--json"], check=True,
                                    capture_output=True, text=True).stdout)
    by_loc, words = {}, {}
    for f in cat["features"]:
        if "msr" in f:
            loc = ("msr", num(f["msr"]), f["bit"])
        else:
            loc = ("cpuid", num(f["leaf"]), num(f["subleaf"]),
                   f["register"].lower(), f["bit"])
            words[loc[1:4]] = f["word"]
        by_loc.setdefault(loc, f)
    feat_lines = []
    for feat in ET.parse(os.path.join(mapdir, "x86_features.xml")).getroot().iter("feature"):
        name = feat.get("name")
        locs = []
        for c in feat.findall("cpuid"):
            for r in REGS:
                m = num(c.get(r, "0"))
                locs += [("cpuid", num(c.get("eax_in")), num(c.get("ecx_in", "0")), r, b)
                         for b in range(32) if m >> b & 1]
        for m in feat.findall("msr"):
            v = num(m.get("eax", "0")) | num(m.get("edx", "0")) << 32
            locs += [("msr", num(m.get("index")), b) for b in range(64) if v >> b & 1]
        if len(locs) != 1:
            sys.exit("%s: %d bits; the table holds one bit per name" % (name, len(locs)))
        loc = locs[0]
        flags = "LV_UNMIG" if feat.get("migratable") == "no" else "0"
        q = by_loc.get(loc)
        if q:
            feat_lines.append('LIBVIRT_FEATURE("%s", "%s", %s)' % (name, q["name"], flags))
        elif loc[0] == "cpuid" and loc[1:4] in words:
            feat_lines.append('LIBVIRT_BIT("%s", %s, %d, %s)'
                              % (name, words[loc[1:4]], loc[4], flags))
        elif loc[0] == "cpuid":
            feat_lines.append('LIBVIRT_CPUID("%s", 0x%x, %d, %s, %d, %s)'
                              % (name, loc[1], loc[2], loc[3].upper(), loc[4], flags))
        else:
            sys.exit("%s: MSR bit vcpuid does not know" % name)
    models = {}
    order = []
    index = ET.parse(os.path.join(mapdir, "index.xml")).getroot()
    for inc in index.find("arch[@name='x86']").iter("include"):
        fn = inc.get("filename")
        for m in ET.parse(os.path.join(mapdir, fn)).getroot().iter("model"):
            if m.get("name") is None or not m.findall("feature") and m.find("model") is None:
                continue
            models[m.get("name")] = m
            order.append(m.get("name"))
    model_lines = []
    for name in order:
        m = models[name]
        feats = [f.get("name") for f in m.findall("feature")]
        base = m.find("model")
        while base is not None:
            b = models[base.get("name")]
            feats = [f.get("name") for f in b.findall("feature")] + feats
            base = b.find("model")
        v = m.find("vendor")
        d = m.find("decode")
        dh = d is None or d.get("host") == "on"
        dg = d is None or d.get("guest") == "on"
        sigs = []
        for s in m.findall("signature"):
            t = "%s:%s" % (s.get("family"), s.get("model"))
            if s.get("stepping"):
                t += ":" + s.get("stepping")
            sigs.append(t)
        model_lines.append('LIBVIRT_MODEL("%s", "%s", %s, "%s",\n\t"%s")'
                           % (name, v.get("name") if v is not None else "",
                              " | ".join([x for x, on in (("LV_DECODE_HOST", dh), ("LV_DECODE_GUEST", dg)) if on]) or "0",
                              " ".join(sigs), " ".join(sorted(set(feats), key=feats.index))))
    hdr = open(os.path.join(top, "src/lib/data/libvirt_features.def")).read().split("/* -- table -- */")[0]
    with open(os.path.join(top, "src/lib/data/libvirt_features.def"), "w") as f:
        f.write(hdr + "/* -- table -- */\n" + "\n".join(feat_lines) + "\n")
    hdr = open(os.path.join(top, "src/lib/data/libvirt_models.def")).read().split("/* -- table -- */")[0]
    with open(os.path.join(top, "src/lib/data/libvirt_models.def"), "w") as f:
        f.write(hdr + "/* -- table -- */\n" + "\n".join(model_lines) + "\n")


main()
