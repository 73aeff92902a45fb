#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid libvirt-hook` under the real libvirtd: installed as
/etc/libvirt/hooks/qemu (an existing one is put back afterwards), a libvirtd
of the test's own starts paused transient guests:
- host-passthrough is refused exactly when `vcpuid check --cpu host` says
  QEMU would abort on this host (derived here, not assumed), and then
  virsh's error carries the hook's reason;
- the custom models vcpuid's domcapabilities calls usable start (paused),
  and libvirt agrees;
- an unusable model (check='partial') is refused by the hook.
77 when libvirtd cannot be started for the test (or one already runs:
hooks are read when the daemon starts)."""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "helpers"))
from libvirtd import Libvirtd, virsh  # noqa: E402

HOOK = "/etc/libvirt/hooks/qemu"
NAME = "vcpuid-hook-test"
MACHINE = "pc-i440fx-7.2"


def domain(cpu):
    return ("<domain type='kvm'><name>%s</name><memory unit='MiB'>32</memory>"
            "<vcpu>1</vcpu><os><type arch='x86_64' machine='%s'>hvm</type></os>"
            "%s<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
            "</devices></domain>\n" % (NAME, MACHINE, cpu))


def start(xml):
    with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
        f.write(xml)
        f.flush()
        r = virsh("create", "--paused", f.name)
    if r.returncode == 0:
        virsh("destroy", NAME)
    return r


def main():
    vcpuid = os.path.abspath(sys.argv[1])
    if not os.path.exists("/dev/kvm") or not os.path.exists("/usr/bin/qemu-system-x86_64"):
        print("SKIP: needs /dev/kvm and qemu-system-x86_64")
        return 77
    if os.geteuid() != 0:
        print("SKIP: not root (the hook goes to /etc/libvirt/hooks)")
        return 77
    chk = subprocess.run([vcpuid, "check", "--cpu", "host,migratable=on",
                          "--machine", MACHINE,
                          "--qemu", MACHINE.rsplit("-", 1)[1], "--smp", "1"],
                         capture_output=True, text=True)
    if chk.returncode not in (0, 1):
        print("SKIP: vcpuid check cannot run here: " + chk.stderr.strip())
        return 77
    host_aborts = chk.returncode == 1
    dc = subprocess.run([vcpuid, "domcapabilities", "--machine", MACHINE,
                         "--qemu", MACHINE.rsplit("-", 1)[1],
                         "--no-check"], capture_output=True, text=True)
    if dc.returncode:
        print("FAIL: vcpuid domcapabilities: " + dc.stderr)
        return 1
    models = ET.fromstring(dc.stdout).find("mode[@name='custom']").findall("model")
    usable = [m.text for m in models if m.get("usable") == "yes"][:3]
    unusable = [m.text for m in models if m.get("usable") == "no"][:1]

    backup = None
    if os.path.exists(HOOK):
        backup = HOOK + ".vcpuid-test-backup"
        shutil.move(HOOK, backup)
    bad = []
    try:
        os.makedirs(os.path.dirname(HOOK), exist_ok=True)
        with open(HOOK, "w") as f:
            f.write("#!/bin/sh\nexec '%s' libvirt-hook \"$@\"\n" % vcpuid)
        os.chmod(HOOK, 0o755)
        with Libvirtd(fresh=True) as d:
            if d.why:
                print("SKIP: " + d.why)
                return 77
            r = start(domain("<cpu mode='host-passthrough'/>"))
            refused = r.returncode != 0
            print("host-passthrough: vcpuid check predicts %s; libvirt %s%s" % (
                "an abort" if host_aborts else "a start",
                "refused it" if refused else "started it",
                ": " + r.stderr.strip().splitlines()[-1] if refused else ""))
            if refused != host_aborts:
                bad.append("host-passthrough: expected %s, got: %s" % (
                    "refusal" if host_aborts else "start", r.stderr.strip()))
            elif refused and "vcpuid: domain" not in r.stderr:
                bad.append("host-passthrough refused, but not by the hook: "
                           + r.stderr.strip())
            for m in usable:
                r = start(domain("<cpu mode='custom' match='exact' check='partial'>"
                                 "<model fallback='forbid'>%s</model></cpu>" % m))
                print("%s (usable): %s" % (m, "started paused" if r.returncode == 0
                                            else r.stderr.strip()))
                if r.returncode:
                    bad.append("%s: usable, yet: %s" % (m, r.stderr.strip()))
            for m in unusable:
                r = start(domain("<cpu mode='custom' match='exact' check='partial'>"
                                 "<model fallback='forbid'>%s</model></cpu>" % m))
                print("%s (unusable): %s" % (m, "started" if r.returncode == 0 else
                                              r.stderr.strip().splitlines()[-1][:200]))
                if r.returncode == 0 or "vcpuid: domain" not in r.stderr:
                    bad.append("%s: unusable, not refused by the hook: %s" % (
                        m, r.stderr.strip()))
    finally:
        os.remove(HOOK)
        if backup:
            shutil.move(backup, HOOK)
        if virsh("domstate", NAME).returncode == 0:
            virsh("destroy", NAME)
    for b in bad:
        print("FAIL: " + b)
    return 1 if bad else 0


sys.exit(main())
