#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential against the real libvirt on this machine:
`vcpuid domcapabilities --machine pc-i440fx-X.Y --qemu X.Y` (X.Y: the QEMU
libvirtd runs) against `virsh domcapabilities --virttype kvm --machine ...`:
usable= of every custom model, the host-model (model, vendor, features with
their policies) and the whole <cpu> element byte for byte. Our element,
put in virsh's document, passes libvirt's domaincaps schema.
Starts libvirtd when none answers (and stops it); 77 when it cannot."""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "helpers"))
from libvirtd import Libvirtd, virsh  # noqa: E402

SCHEMA = "/usr/share/libvirt/schemas/domaincaps.rng"


def cpu_part(text):
    m = re.search(r"^  <cpu>\n.*?^  </cpu>\n", text, re.M | re.S)
    return m.group(0) if m else None


def summary(cpu_xml):
    root = ET.fromstring(cpu_xml)
    hm = root.find("mode[@name='host-model']")
    feats = [(f.get("policy"), f.get("name")) for f in hm.findall("feature")]
    usable = {m.text: m.get("usable") for m in
              root.find("mode[@name='custom']").findall("model")}
    return hm.findtext("model"), hm.findtext("vendor"), feats, usable


def main():
    vcpuid = sys.argv[1]
    if not os.path.exists("/dev/kvm"):
        print("SKIP: /dev/kvm missing")
        return 77
    with Libvirtd() as d:
        if d.why:
            print("SKIP: " + d.why)
            return 77
        ver = virsh("version").stdout
        m = re.search(r"hypervisor: QEMU (\d+)\.(\d+)", ver)
        if not m:
            print("SKIP: virsh version names no QEMU:\n" + ver)
            return 77
        qemu = "%s.%s" % m.groups()
        machine = "pc-i440fx-" + qemu
        r = virsh("domcapabilities", "--virttype", "kvm", "--machine", machine)
        if r.returncode:
            print("SKIP: virsh domcapabilities: " + r.stderr.strip())
            return 77
        full = r.stdout
    theirs = cpu_part(full)
    o = subprocess.run([vcpuid, "domcapabilities", "--machine", machine, "--qemu",
                        qemu, "--no-check"], capture_output=True, text=True)
    if o.returncode:
        print("FAIL: vcpuid domcapabilities exit %d: %s" % (o.returncode, o.stderr))
        return 1
    ours = o.stdout
    bad = []
    tm, tv, tf, tu = summary(theirs)
    om, ov, of, ou = summary(ours)
    print("libvirt (QEMU %s, %s): host-model %s %s + %d features, %d custom "
          "models, %d usable" % (qemu, machine, tm, tv, len(tf), len(tu),
                                 sum(v == "yes" for v in tu.values())))
    if (tm, tv) != (om, ov):
        bad.append("host-model: libvirt %s/%s, vcpuid %s/%s" % (tm, tv, om, ov))
    if tf != of:
        bad.append("host-model features: only libvirt %s; only vcpuid %s" % (
            [x for x in tf if x not in of], [x for x in of if x not in tf]))
    for name in sorted(set(tu) | set(ou)):
        if tu.get(name) != ou.get(name):
            bad.append("model %s: libvirt usable=%s, vcpuid usable=%s" % (
                name, tu.get(name), ou.get(name)))
    if not bad and theirs != ours:
        bad.append("same content, different text:\n--- libvirt\n%s--- vcpuid\n%s"
                   % (theirs, ours))
    if os.path.exists(SCHEMA):
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
            f.write(full.replace(theirs, ours))
            f.flush()
            v = subprocess.run(["xmllint", "--noout", "--relaxng", SCHEMA, f.name],
                               capture_output=True, text=True)
            if v.returncode:
                bad.append("domaincaps schema: " + v.stderr.strip())
    else:
        print("SKIP part: %s missing: no schema validation" % SCHEMA)
    for b in bad:
        print("FAIL: " + b)
    if not bad:
        print("identical: usable= of %d models, host-model, the whole <cpu> "
              "element" % len(tu))
    return 1 if bad else 0


sys.exit(main())
