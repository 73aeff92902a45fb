#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libvirt's host descriptions as --host, on bundled profiles (no daemon,
nothing from this machine's CPU):
- `vcpuid domcapabilities --host P` saved, then given back as --host: the
  same host-model and the same usable= for every model (what the format
  carries is enough for libvirt's answers), and the XML is schema-valid
  (domaincaps.rng, when installed);
- a <cpudata arch='x86'> made of the profile's raw CPUID decodes to the
  profile's vendor/family/model/stepping and brand, as the profile does;
- the domain <cpu> with mode='host-model' read on P's domain capabilities is
  the host-model libvirt would start (-cpu MODEL,feat=on,...)."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROFILES = os.path.join(HERE, "..", "..", "profiles")
SCHEMA = "/usr/share/libvirt/schemas/domaincaps.rng"
MACHINE = "pc-i440fx-7.2"


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode,
                                                 r.stderr.strip()))
    return r.stdout


def decode_head(vcpuid, host):
    return [l for l in run([vcpuid, "decode", host]).splitlines()
            if l.split(":")[0] in ("vendor", "family", "brand", "signature")]


def main():
    vcpuid = sys.argv[1]
    bad = []
    tmp = tempfile.mkdtemp(prefix="vcpuid-lvhosts-")
    names = sorted(f for f in os.listdir(PROFILES) if f.endswith(".json"))
    for f in names:
        p = os.path.join(PROFILES, f)
        try:
            dc = run([vcpuid, "domcapabilities", "--host", p, "--machine", MACHINE,
                      "--no-check"])
            path = os.path.join(tmp, f + ".domcaps.xml")
            with open(path, "w") as o:
                o.write(dc)
            again = run([vcpuid, "domcapabilities", "--host", path, "--machine",
                         MACHINE, "--no-check"])
            if again != dc:
                bad.append("%s: domcapabilities of its domcapabilities differ" % f)
            if os.path.exists(SCHEMA):
                doc = os.path.join(tmp, "doc.xml")
                with open(doc, "w") as o:
                    o.write("<domainCapabilities><path>/usr/bin/qemu-system-x86_64"
                            "</path><domain>kvm</domain><machine>%s</machine>"
                            "<arch>x86_64</arch>\n%s</domainCapabilities>\n"
                            % (MACHINE, dc))
                v = subprocess.run(["xmllint", "--noout", "--relaxng", SCHEMA, doc],
                                   capture_output=True, text=True)
                if v.returncode:
                    bad.append("%s: domaincaps schema: %s" % (f, v.stderr.strip()))
            # host-model read from the domain capabilities
            hm = os.path.join(tmp, "hm.xml")
            with open(hm, "w") as o:
                o.write("<cpu mode='host-model'/>\n")
            a = json.loads(run([vcpuid, "expand", "--cpu", hm, "--host", p,
                                "--machine", MACHINE, "--json"]))
            if not a["cpu"]["model"]:
                bad.append("%s: host-model expanded to %s" % (f, a["cpu"]["name"]))
            # <cpudata> from the profile's raw CPUID
            raw = json.load(open(p)).get("raw_cpuid")
            if raw:
                cd = os.path.join(tmp, f + ".cpudata.xml")
                with open(cd, "w") as o:
                    o.write("<cpudata arch='x86'>\n")
                    for e in raw:
                        o.write("  <cpuid eax_in='%s' ecx_in='%s' eax='%s' ebx='%s' "
                                "ecx='%s' edx='%s'/>\n" % (
                                    e["function"], e["index"], e["eax"], e["ebx"],
                                    e["ecx"], e["edx"]))
                    o.write("</cpudata>\n")
                if decode_head(vcpuid, cd) != decode_head(vcpuid, p):
                    bad.append("%s: <cpudata> decodes differently:\n%s\n%s" % (
                        f, decode_head(vcpuid, cd), decode_head(vcpuid, p)))
        except RuntimeError as e:
            bad.append("%s: %s" % (f, e))
    subprocess.run(["rm", "-rf", tmp])
    print("%d bundled profiles" % len(names))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


sys.exit(main())
