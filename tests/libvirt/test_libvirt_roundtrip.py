#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Round trip through libvirt's <cpu> element: for every CPU type of the
machine type (and host, max), on bundled hosts of both vendors,
`expand --format libvirt` read back through `--cpu FILE` gives the same
guest table (`vcpuid cpuid --format json`) as the -cpu spec itself, up to
the bits libvirt 9.0 has no name for (listed by vcpuid on stderr; those
are compared after dropping them from the spec too). Every XML passes
virt-xml-validate (schema 'cpu'); skipped, saying so, without it.
Nothing here depends on the machine's own CPU."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HOSTS = ["bundled:this-host", "bundled:fc-amd-genoa-6.1",
         "bundled:fc-intel-sapphirerapids-6.1"]
MACHINES = ["pc-i440fx-7.2", "pc-q35-11.1"]


def run(cmd, ok=(0,)):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in ok:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode,
                                                 r.stderr.strip()[-400:]))
    return r


def table(vcpuid, cpu, host, machine):
    r = run([vcpuid, "cpuid", "--cpu", cpu, "--host", host, "--machine",
             machine, "--format", "json"], ok=(0, 9))
    return json.loads(r.stdout)["vcpus"]


def main():
    vcpuid = sys.argv[1]
    validate = shutil.which("virt-xml-validate")
    if not validate:
        print("SKIP part: virt-xml-validate (libvirt-clients) not installed: "
              "no schema validation")
    bad, n, nval = [], 0, 0
    tmp = tempfile.mkdtemp(prefix="vcpuid-lvrt-")
    try:
        for machine in MACHINES:
            models = json.loads(run([vcpuid, "models", "--json", "--machine",
                                     machine]).stdout)["models"]
            names = [m["name"] for m in models if not m["alias_of"]] + ["host", "max"]
            for host in HOSTS:
                for name in names:
                    if name == "base":
                        continue
                    r = subprocess.run([vcpuid, "expand", "--cpu", name, "--host",
                                        host, "--machine", machine, "--format",
                                        "libvirt"], capture_output=True, text=True)
                    if r.returncode not in (0, 9):
                        bad.append("%s %s %s: expand --format libvirt exit %d: %s"
                                   % (machine, host, name, r.returncode,
                                      r.stderr.strip()[-200:]))
                        continue
                    path = os.path.join(tmp, "cpu.xml")
                    with open(path, "w") as f:
                        f.write(r.stdout)
                    if validate:
                        v = subprocess.run([validate, path, "cpu"],
                                           capture_output=True, text=True)
                        nval += 1
                        if v.returncode:
                            bad.append("%s %s %s: virt-xml-validate: %s\n%s" % (
                                machine, host, name, v.stderr.strip(), r.stdout))
                    # what the element could not carry is left out of the
                    # reference too
                    spec = name
                    for line in r.stderr.splitlines():
                        if "has no name for:" in line:
                            for tok in line.split("for:", 1)[1].split("(")[0].split():
                                # named bits: off in the reference too
                                # (unnamed ones have no -cpu form either)
                                if tok.startswith("+") and "[" not in tok:
                                    spec += ",-" + tok[1:]
                    try:
                        want = table(vcpuid, spec, host, machine)
                        got = table(vcpuid, path, host, machine)
                    except RuntimeError as e:
                        bad.append("%s %s %s: %s" % (machine, host, name, e))
                        continue
                    n += 1
                    if want != got:
                        bad.append("%s %s %s: guest tables differ\n%s" % (
                            machine, host, name, r.stdout))
        # explain --format libvirt: the explanations in a comment, then the
        # element; the document validates too
        for host in HOSTS:
            for spec in ("Skylake-Client-IBRS,+vmx", "EPYC-Rome", "qemu64,-sse2"):
                r = subprocess.run([vcpuid, "explain", "--cpu", spec, "--host", host,
                                    "--machine", MACHINES[0], "--format", "libvirt"],
                                   capture_output=True, text=True)
                path = os.path.join(tmp, "explain.xml")
                with open(path, "w") as f:
                    f.write(r.stdout)
                if r.returncode or not r.stdout.startswith("<!-- "):
                    bad.append("explain %s on %s: exit %d: %s" % (
                        spec, host, r.returncode, r.stderr.strip()))
                elif validate:
                    v = subprocess.run([validate, path, "cpu"], capture_output=True,
                                       text=True)
                    nval += 1
                    if v.returncode:
                        bad.append("explain %s on %s: virt-xml-validate: %s" % (
                            spec, host, v.stderr.strip()))
    finally:
        shutil.rmtree(tmp)
    print("%d round trips, %d XML documents validated" % (n, nval))
    for b in bad[:30]:
        print("FAIL: " + b)
    if len(bad) > 30:
        print("... %d more" % (len(bad) - 30))
    return 1 if bad else 0


sys.exit(main())
