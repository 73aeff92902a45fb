#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""KubeVirt labels of the live host: `vcpuid labels --host live` against
the labels KubeVirt's node-labeller derives from the real libvirtd
(docs/labels.md). Everything KubeVirt reads is taken as its
node-labeller.sh takes it (virsh domcapabilities --machine q35 --virttype
kvm; virsh hypervisor-cpu-baseline --features of that output, the
supported_features.xml; virsh capabilities for the TSC counter), and
KubeVirt's rules (pkg/virt-handler/node-labeller: cpu_plugin.go,
node_labeller.go, util/util.go) are applied here in Python, independently
of vcpuid's C code.

Labels may differ only where libvirt's host-model cannot start: then
libvirt itself must fail to start a paused guest with <cpu
mode='host-model'>, vcpuid must say so among its problems and name the
features the host-model that starts disables, a paused guest with that
host-model must start, and the differences must be exactly the
cpu-feature and host-model-required-features labels of those features.
Starts libvirtd when none answers (and stops only it); 77 when it cannot.

Usage: test_labels_live.py VCPUID
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "helpers"))
from libvirtd import Libvirtd, virsh  # noqa: E402

# KubeVirt's DefaultObsoleteCPUModels (util/util.go), written out here on
# purpose: not read from vcpuid's labels.def.
OBSOLETE = {m + v for v in ("", "-v1") for m in (
    "486", "pentium", "pentium2", "pentium3", "pentiumpro", "coreduo",
    "n270", "core2duo", "Conroe", "athlon", "phenom", "qemu64", "qemu32",
    "kvm64", "kvm32", "Opteron_G1", "Opteron_G2")}
KV = "node.kubevirt.io/"
NAME = "vcpuid-labels-live"
EMU = "/usr/bin/qemu-system-x86_64"


def kubevirt_rules(domcaps, supported, caps):
    """prepareLabels() of KubeVirt's node-labeller for amd64."""
    labels = {}
    for f in ET.fromstring(supported).findall("feature"):
        if f.get("policy") == "require":
            labels["cpu-feature." + KV + f.get("name")] = "true"
    cpu = ET.fromstring(domcaps).find("cpu")
    usable, known = [], []
    hm_name = vendor = None
    required = []
    for mode in cpu.findall("mode"):
        if mode.get("name") == "host-model":
            vendor = mode.findtext("vendor") or ""
            hm_name = mode.find("model").text
            required = [f.get("name") for f in mode.findall("feature")
                        if f.get("policy") == "require"]
        for m in mode.findall("model"):
            name = (m.text or "").strip()
            if not m.get("usable") or not name:
                continue
            known.append(name)
            if m.get("usable") != "no":
                usable.append(name)
    for m in usable:
        if m not in OBSOLETE:
            labels["cpu-model." + KV + m] = "true"
    for m in known:
        if m not in OBSOLETE:
            labels["cpu-model-migration." + KV + m] = "true"
    counter = ET.fromstring(caps).find("host/cpu/counter")
    if counter is not None and counter.get("name") == "tsc":
        labels["cpu-timer." + KV + "tsc-frequency"] = counter.get("frequency")
        labels["cpu-timer." + KV + "tsc-scalable"] = (
            "true" if counter.get("scaling") == "yes" else "false")
    if hm_name in OBSOLETE:
        labels["node-labeller.kubevirt.io/obsolete-host-model"] = "true"
    for f in required:
        labels["host-model-required-features." + KV + f] = "true"
    labels["cpu-vendor." + KV + vendor] = "true"
    labels["host-model-cpu." + KV + hm_name] = "true"
    return labels


def starts(tmp, machine, cpu_xml):
    dom = os.path.join(tmp, "dom.xml")
    with open(dom, "w") as f:
        f.write("<domain type='kvm'><name>%s</name><memory unit='MiB'>32</memory>"
                "<vcpu>1</vcpu><os><type arch='x86_64' machine='%s'>hvm</type>"
                "</os>%s<devices><emulator>%s</emulator></devices></domain>\n"
                % (NAME, machine, cpu_xml, EMU))
    s = virsh("create", "--paused", dom)
    if s.returncode == 0:
        virsh("destroy", NAME)
    if re.search(r"failed to connect to the hypervisor|End of file while reading "
                 r"data", s.stderr) and virsh("uri").returncode:
        raise Gone(s.stderr.strip())
    return s.returncode == 0, s.stderr.strip()


class Gone(Exception):
    """libvirtd stopped answering during the test (a daemon another test
    started and stopped, or a crash): no answer either way."""


def main():
    vcpuid = sys.argv[1]
    if not os.path.exists("/dev/kvm") or not os.path.exists(EMU):
        print("SKIP: needs /dev/kvm and " + EMU)
        return 77
    with Libvirtd() as d, tempfile.TemporaryDirectory() as tmp:
        if d.why:
            print("SKIP: " + d.why)
            return 77
        m = re.search(r"hypervisor: QEMU (\d+)\.(\d+)", virsh("version").stdout)
        if not m:
            print("SKIP: virsh version names no QEMU")
            return 77
        qemu = "%s.%s" % m.groups()
        # as node-labeller.sh asks (its --expand-cpu-features and
        # --supported-cpu-features only where virsh has them)
        opts = [o for o in ("--expand-cpu-features", "--supported-cpu-features")
                if o in virsh("domcapabilities", "--help").stdout]
        r = virsh("domcapabilities", "--machine", "q35", "--arch", "x86_64",
                  "--virttype", "kvm", *opts)
        if r.returncode:
            print("SKIP: virsh domcapabilities: " + r.stderr.strip())
            return 77
        domcaps = r.stdout
        machine = ET.fromstring(domcaps).findtext("machine")
        dcfile = os.path.join(tmp, "domcaps.xml")
        with open(dcfile, "w") as f:
            f.write(domcaps)
        b = virsh("hypervisor-cpu-baseline", "--features", dcfile, "--machine",
                  "q35", "--arch", "x86_64", "--virttype", "kvm")
        c = virsh("capabilities")
        if b.returncode or c.returncode:
            print("FAIL: virsh hypervisor-cpu-baseline / capabilities: %s %s"
                  % (b.stderr.strip(), c.stderr.strip()))
            return 1
        theirs = kubevirt_rules(domcaps, b.stdout, c.stdout)
        o = subprocess.run([vcpuid, "labels", "--host", "live", "--machine",
                            machine, "--qemu", qemu, "--format", "json"],
                           capture_output=True, text=True)
        if o.returncode:
            print("FAIL: vcpuid labels exit %d: %s" % (o.returncode, o.stderr))
            return 1
        doc = json.loads(o.stdout)
        ours = doc["kubevirt"]
        print("libvirt 9.0 / QEMU %s, %s: host-model %s, %d labels from "
              "KubeVirt's rules, %d from vcpuid" % (qemu, machine,
                                                   [k for k in theirs if k.startswith("host-model-cpu")],
                                                   len(theirs), len(ours)))
        only_lv = sorted(set(theirs) - set(ours))
        only_us = sorted(set(ours) - set(theirs))
        values = sorted(k for k in set(ours) & set(theirs) if ours[k] != theirs[k])
        bad = ["label %s: libvirt %s, vcpuid %s" % (k, theirs[k], ours[k])
               for k in values]
        bad += ["only vcpuid: %s" % k for k in only_us]
        if only_lv:
            # allowed only where libvirt's host-model cannot start
            dropped = []
            for p in doc["problems"]:
                m = re.search(r"cannot start on this host.*which disables (.*)$", p)
                if m:
                    dropped = m.group(1).split()
            ok_lv, why = starts(tmp, machine, "<cpu mode='host-model'/>")
            hm = doc["host_model"]
            cpu = ("<cpu mode='custom' match='exact'><model fallback='forbid'>%s"
                   "</model><vendor>%s</vendor>%s%s</cpu>" % (
                       hm["name"], doc["vendor"],
                       "".join("<feature policy='require' name='%s'/>" % f
                               for f in hm["required_features"]),
                       "".join("<feature policy='disable' name='%s'/>" % f
                               for f in hm["disabled_features"])))
            ok_us, why_us = starts(tmp, machine, cpu)
            print("libvirt's host-model %s (%s); vcpuid's host-model %s%s" % (
                "starts" if ok_lv else "does not start", why[-160:],
                "starts" if ok_us else "does not start: ", why_us[-200:]))
            allowed = {p + KV + f for f in dropped
                       for p in ("cpu-feature.", "host-model-required-features.")}
            if ok_lv or not dropped or not ok_us:
                bad += ["only libvirt: %s" % k for k in only_lv]
            else:
                bad += ["only libvirt: %s (not a feature the host-model that "
                        "starts disables)" % k for k in only_lv if k not in allowed]
                print("differ only where libvirt's host-model cannot start: "
                      + ", ".join(only_lv))
        if virsh("domstate", NAME).returncode == 0:
            virsh("destroy", NAME)
    for x in bad:
        print("FAIL: " + x)
    if not bad:
        print("equal: %d labels%s" % (len(ours), " (apart from those above)"
                                      if only_lv else ""))
    return 1 if bad else 0


try:
    sys.exit(main())
except Gone as e:
    print("SKIP: libvirtd stopped answering during the test (another test "
          "may have stopped the daemon it started): " + str(e)[-300:])
    sys.exit(77)
