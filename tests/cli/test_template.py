#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid template (docs/template.md), from outside the library.

1. `template --format firecracker` of every model on every bundled profile
   validates against docs/schema/firecracker-template.schema.json, and
   `--format cloud-hypervisor` against cloud-hypervisor-profile.schema.json
   (every model on two profiles); the bitmaps hold the guest's bits
   (`vcpuid cpuid --json`) everywhere but the VMM-owned ones.
2. Every Firecracker fingerprint (tests/data/firecracker and, when present,
   ../shared/data/firecracker-fingerprints), taken as the host, templated
   for the model it came from and applied as Firecracker applies a template
   ((value & ~mask) | bits on the fingerprint's CPUID), leaves no bit that
   differs from QEMU's guest outside the VMM-owned bits, which this test
   reads from src/lib/data/vmm_owned.def itself.
3. A template and a profile are read back as hosts: `decode --json` works,
   `diff` of a template against itself is empty.

Usage: test_template.py VCPUID SOURCE_ROOT
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("SKIP: python3-jsonschema is not installed (scripts/deps.sh)")
    sys.exit(77)

EXE, ROOT = sys.argv[1], sys.argv[2]
failures = []
PROFILES = sorted(glob.glob(os.path.join(ROOT, "profiles", "*.json")))
FP_MODEL = {"CASCADELAKE": "Cascadelake-Server", "ICELAKE": "Icelake-Server",
            "SAPPHIRE_RAPIDS": "SapphireRapids",
            "GRANITE_RAPIDS": "GraniteRapids", "MILAN": "EPYC-Milan",
            "GENOA": "EPYC-Genoa"}


def schema(name):
    with open(os.path.join(ROOT, "docs", "schema", name + ".schema.json")) as f:
        s = json.load(f)
    Draft202012Validator.check_schema(s)
    return Draft202012Validator(s)


def owned_table():
    """VMM_OWNED(vmm, vendor, leaf, first, last, eax, ebx, ecx, edx, why)."""
    rows = []
    with open(os.path.join(ROOT, "src", "lib", "data", "vmm_owned.def")) as f:
        for m in re.finditer(r"^VMM_OWNED\(([^\"]*),\s*\"", f.read(), re.M):
            a = [x.strip() for x in m.group(1).split(",") if x.strip()]
            rows.append((a[0], a[1], int(a[2], 0), int(a[3], 0), int(a[4], 0),
                         [int(x, 0) for x in a[5:9]]))
    return rows


OWNED = owned_table()


def owned(vmm, amd, leaf, sub, reg):
    m = 0
    for v, vendor, lf, first, last, masks in OWNED:
        if v == vmm and lf == leaf and first <= sub <= last and (
                vendor == "ANY" or (vendor == "AMD") == amd):
            m |= masks[reg]
    return m


def run(args, codes=(0,)):
    p = subprocess.run([EXE] + args, capture_output=True, text=True)
    if p.returncode not in codes:
        failures.append("vcpuid %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                    p.stderr.strip()[-300:]))
        return None
    return p.stdout


def lookup(table, leaf, sub):
    """KVM's rule: exact index for indexed entries, any index otherwise."""
    for e in table:
        if e[0] == leaf and (not e[2] & 1 or e[1] == sub):
            return e
    return None


def guest_table(model, host):
    out = run(["cpuid", "--json", "--cpu", model, "--host", host])
    if out is None:
        return None
    v = json.loads(out)["vcpus"][0]
    return [(int(e["function"], 16), int(e["index"], 16), int(e["flags"], 16),
             [int(e[r], 16) for r in ("eax", "ebx", "ecx", "edx")])
            for e in v["cpuid"]]


def bits(s):
    s = s[2:].replace("_", "")
    val = mask = 0
    for c in s:
        val = val << 1 | (c == "1")
        mask = mask << 1 | (c in "01")
    return val, mask


REGS = ("eax", "ebx", "ecx", "edx")


def check_against_guest(tpl, guest, amd, what):
    """Every bitmap bit set is the guest's; every x bit is the VMM's."""
    for e in tpl["cpuid_modifiers"]:
        leaf, sub = int(e["leaf"], 16), int(e["subleaf"], 16)
        g = lookup(guest, leaf, sub)
        for m in e["modifiers"]:
            r = REGS.index(m["register"])
            val, mask = bits(m["bitmap"])
            own = owned("FC", amd, leaf, sub, r)
            want = (g[3][r] if g else 0) & ~own & 0xffffffff
            if mask != ~own & 0xffffffff or val != want:
                failures.append("%s: leaf %#x.%#x %s: %08x/%08x, want %08x/%08x"
                                % (what, leaf, sub, m["register"], val, mask,
                                   want, ~own & 0xffffffff))
                return


def every_model_every_profile(fc, ch):
    out = run(["models", "--json"])
    models = [m["name"] for m in json.loads(out)["models"]]
    n = 0
    for prof in PROFILES:
        host = "bundled:" + os.path.basename(prof)[:-5]
        amd = '"kvm_amd"' in open(prof).read()
        for i, model in enumerate(models):
            out = run(["template", "--cpu", model, "--host", host,
                       "--format", "firecracker"])
            if out is None:
                continue
            tpl = json.loads(out)
            for e in list(fc.iter_errors(tpl))[:2]:
                failures.append("%s on %s: firecracker-template.schema.json: %s"
                                % (model, host, e.message[:200]))
            # the bits, against `vcpuid cpuid`, for every seventh model
            if i % 7 == 0:
                g = guest_table(model, host)
                if g is not None:
                    check_against_guest(tpl, g, amd, "%s on %s" % (model, host))
            n += 1
            if prof in PROFILES[:2]:
                out = run(["template", "--cpu", model, "--host", host,
                           "--format", "cloud-hypervisor"])
                if out is not None:
                    for e in list(ch.iter_errors(json.loads(out)))[:2]:
                        failures.append(
                            "%s on %s: cloud-hypervisor-profile.schema.json: %s"
                            % (model, host, e.message[:200]))
    return n


def fingerprints():
    files = sorted(glob.glob(os.path.join(ROOT, "tests", "data", "firecracker",
                                          "fingerprint_*.json")))
    shared = os.path.join(ROOT, "..", "shared", "data",
                          "firecracker-fingerprints")
    files += sorted(glob.glob(os.path.join(shared, "fingerprint_*.json")))
    n = 0
    for f in files:
        m = re.match(r"fingerprint_(INTEL|AMD)_(.*)_[0-9.]+host\.json",
                     os.path.basename(f))
        model = FP_MODEL[m.group(2)]
        amd = m.group(1) == "AMD"
        with open(f) as fh:
            fp = json.load(fh)["guest_cpu_config"]
        base = {}
        for e in fp["cpuid_modifiers"]:
            regs = [0, 0, 0, 0]
            for mo in e["modifiers"]:
                regs[REGS.index(mo["register"])] = bits(mo["bitmap"])[0]
            base[(int(e["leaf"], 0), int(e["subleaf"], 0))] = [
                int(e.get("flags", 0)), regs]
        out = run(["template", "--cpu", model, "--host", f,
                   "--format", "firecracker"])
        guest = guest_table(model, f)
        if out is None or guest is None:
            continue
        tpl = json.loads(out)
        # Firecracker: a template leaf must be one the host has
        for e in tpl["cpuid_modifiers"]:
            key = (int(e["leaf"], 16), int(e["subleaf"], 16))
            if key not in base:
                failures.append("%s: template leaf %#x.%#x not on the host"
                                % (f, *key))
                continue
            for mo in e["modifiers"]:
                r = REGS.index(mo["register"])
                val, mask = bits(mo["bitmap"])
                base[key][1][r] = base[key][1][r] & ~mask | val
        applied = [(k[0], k[1], v[0], v[1]) for k, v in base.items()]
        keys = {(e[0], e[1]) for e in guest} | set(base)
        for leaf, sub in sorted(keys):
            a, g = lookup(applied, leaf, sub), lookup(guest, leaf, sub)
            for r in range(4):
                av = a[3][r] if a else 0
                gv = g[3][r] if g else 0
                diff = (av ^ gv) & ~owned("FC", amd, leaf, sub, r) & 0xffffffff
                if diff:
                    failures.append("%s (%s): leaf %#x.%#x %s differs in %#010x "
                                    "(template applied %#010x, QEMU %#010x)"
                                    % (os.path.basename(f), model, leaf, sub,
                                       REGS[r], diff, av, gv))
        # the MSRs QEMU writes are the template's
        msrs = {int(mo["addr"], 16): bits(mo["bitmap"])
                for mo in tpl["msr_modifiers"]}
        out = run(["cpuid", "--json", "--cpu", model, "--host", f])
        for x in json.loads(out)["vcpus"][0]["msrs"] if out else []:
            i, v = int(x["index"], 16), int(x["value"], 16)
            if i in msrs and msrs[i] != (v, (1 << 64) - 1):
                failures.append("%s: MSR %#x %#x, template %r" % (f, i, v,
                                                                  msrs[i]))
        n += 1
    return n


def read_back():
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, host in (("firecracker", "bundled:fc-intel-icelake-6.1"),
                          ("cloud-hypervisor", "bundled:fc-amd-genoa-6.1")):
            path = os.path.join(tmp, fmt + ".json")
            run(["template", "--cpu", "Skylake-Server", "--host", host,
                 "--format", fmt, "-o", path])
            out = run(["decode", "--json", path])
            if out is not None and "avx512f" not in out:
                failures.append("decode %s: avx512f missing" % fmt)
            run(["diff", path, path])


def main():
    fc = schema("firecracker-template")
    ch = schema("cloud-hypervisor-profile")
    n = every_model_every_profile(fc, ch)
    nf = fingerprints()
    read_back()
    for f in failures[:40]:
        print("FAIL:", f)
    print("%d templates validated, %d fingerprints round-tripped, %d failures"
          % (n, nf, len(failures)))
    sys.exit(1 if failures or not n or not nf else 0)


main()
