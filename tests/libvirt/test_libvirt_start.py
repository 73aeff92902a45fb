#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`expand --format libvirt` under the real libvirtd: for every libvirt
model this QEMU knows (and host, max), the <cpu> element vcpuid writes for
the live host, put in a domain, starts paused exactly when `vcpuid check
--cpu` of the same element says QEMU would start it (on the AMD PVM host:
every named model starts, host and max abort on MSR 0x10A). Transient
domains, destroyed at once. Starts libvirtd when none answers (and stops
it); 77 when it cannot."""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "helpers"))
from libvirtd import Libvirtd, virsh  # noqa: E402

NAME = "vcpuid-start-test"


def main():
    vcpuid = sys.argv[1]
    if not os.path.exists("/dev/kvm") or not os.path.exists("/usr/bin/qemu-system-x86_64"):
        print("SKIP: needs /dev/kvm and qemu-system-x86_64")
        return 77
    bad, agree, started = [], 0, 0
    with Libvirtd() as d, tempfile.TemporaryDirectory() as tmp:
        if d.why:
            print("SKIP: " + d.why)
            return 77
        m = re.search(r"hypervisor: QEMU (\d+)\.(\d+)", virsh("version").stdout)
        if not m:
            print("SKIP: virsh version names no QEMU")
            return 77
        machine = "pc-i440fx-%s.%s" % m.groups()
        dc = subprocess.run([vcpuid, "domcapabilities", "--machine", machine,
                             "--qemu", machine.rsplit("-", 1)[1],
                             "--no-check"], capture_output=True, text=True, check=True)
        models = re.findall(r"<model usable='(?:yes|no)' vendor='[^']*'>([^<]*)<",
                            dc.stdout) + ["host", "max"]
        for model in models:
            r = subprocess.run([vcpuid, "expand", "--cpu", model, "--host", "live",
                                "--machine", machine,
                                "--qemu", machine.rsplit("-", 1)[1], "--format", "libvirt"],
                               capture_output=True, text=True)
            if r.returncode not in (0, 9):
                bad.append("%s: expand --format libvirt exit %d: %s" % (
                    model, r.returncode, r.stderr.strip()))
                continue
            cpu = os.path.join(tmp, "cpu.xml")
            with open(cpu, "w") as f:
                f.write(r.stdout)
            c = subprocess.run([vcpuid, "check", "--cpu", cpu, "--machine", machine,
                                "--qemu", machine.rsplit("-", 1)[1],
                                "--smp", "1"], capture_output=True, text=True)
            if c.returncode not in (0, 1):
                bad.append("%s: vcpuid check exit %d: %s" % (model, c.returncode,
                                                             c.stderr.strip()))
                continue
            dom = os.path.join(tmp, "dom.xml")
            with open(dom, "w") as f:
                f.write("<domain type='kvm'><name>%s</name><memory unit='MiB'>32"
                        "</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='%s'>"
                        "hvm</type></os>%s<devices><emulator>/usr/bin/qemu-system-"
                        "x86_64</emulator></devices></domain>\n" % (NAME, machine,
                                                                      r.stdout))
            s = virsh("create", "--paused", dom)
            if s.returncode == 0:
                started += 1
                virsh("destroy", NAME)
            if (s.returncode == 0) == (c.returncode == 0):
                agree += 1
            else:
                bad.append("%s: vcpuid check says %s, libvirt %s: %s\n%s" % (
                    model, "start" if c.returncode == 0 else "abort",
                    "started it" if s.returncode == 0 else "did not",
                    s.stderr.strip()[-300:], r.stdout))
        if virsh("domstate", NAME).returncode == 0:
            virsh("destroy", NAME)
    print("%d of %d: libvirt starts vcpuid's <cpu> exactly when vcpuid check "
          "says QEMU can (%d started)" % (agree, len(models), started))
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


sys.exit(main())
