#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid features`: text, JSON schema, lookups, errors and exit codes.
usage: test_features_cli.py VCPUID_BINARY"""
import json
import os
import re
import subprocess
import sys
import tempfile

VCPUID = sys.argv[1]
KEYS_CPUID = ["name", "aliases", "word", "location", "leaf", "subleaf",
              "register", "bit", "linux", "linux_hidden", "unmigratable",
              "no_autoenable", "amd_alias", "computed", "qemu_since",
              "description"]
KEYS_MSR = [k for k in KEYS_CPUID if k not in ("leaf", "subleaf", "register")]
KEYS_MSR.insert(KEYS_MSR.index("bit"), "msr")
failures = []


def run(*args):
    return subprocess.run([VCPUID, "features", *args], capture_output=True,
                          text=True)


def check(cond, msg):
    if not cond:
        failures.append(msg)


r = run()
check(r.returncode == 0, "list: exit %d" % r.returncode)
check("\nCPUID.01H:ECX (1_ECX)\n" in r.stdout, "list: no 1_ECX group")
check(re.search(r"^  pni +bit 0 +pni ", r.stdout, re.M), "list: no pni row")
check("MSR(48CH) (VMX_EPT_VPID)" in r.stdout, "list: no MSR group")

r = run("--json")
check(r.returncode == 0, "json: exit %d" % r.returncode)
feats = json.loads(r.stdout)["features"]
check(len(feats) >= 400, "json: only %d features" % len(feats))
for f in feats:
    want = KEYS_MSR if "msr" in f else KEYS_CPUID
    if list(f) != want:
        check(False, "json: %s has keys %s" % (f.get("name"), list(f)))
        break
    hexfields = [f[k] for k in ("leaf", "subleaf", "msr") if k in f]
    check(all(re.fullmatch(r"0x[0-9a-f]+", v) for v in hexfields),
          "json: %s location not hex strings" % f["name"])

r = run("sse3", "kvm_pv_unhalt", "KVMCLOCK", "--json")
check(r.returncode == 0, "lookup json: exit %d" % r.returncode)
got = json.loads(r.stdout)["features"]
check([(f["query"], f["name"], f["bit"]) for f in got] ==
      [("sse3", "pni", 0), ("kvm_pv_unhalt", "kvm-pv-unhalt", 7),
       ("KVMCLOCK", "kvmclock", 0), ("KVMCLOCK", "kvmclock", 3)],
      "lookup json: %s" % [(f["query"], f["name"], f["bit"]) for f in got])
check("sse3" in got[0]["aliases"] and got[0]["leaf"] == "0x1" and
      got[0]["register"] == "ECX", "lookup json: pni fields %s" % got[0])

r = run("sse3")
check(r.returncode == 0 and r.stdout.startswith("sse3: alias of pni\n"),
      "lookup text: %r" % r.stdout[:80])

r = run("pni", "xyz", "pnii")
check(r.returncode == 5, "unknown: exit %d" % r.returncode)
check(r.stdout == "", "unknown: printed %r" % r.stdout)
lines = r.stderr.splitlines()
check(len(lines) == 2 and all(re.fullmatch(
    r"vcpuid: unknown feature '(xyz|pnii)' \(did you mean: [^,]+(, [^,]+){0,2}\?\)",
    l) for l in lines), "unknown: stderr %r" % r.stderr)
check("pni" in lines[-1], "unknown: no pni suggestion for pnii")

r = run("--bogus")
check(r.returncode == 2, "bad option: exit %d" % r.returncode)
r = run("-o")
check(r.returncode == 2, "-o without file: exit %d" % r.returncode)
r = run("--help")
check(r.returncode == 0 and "usage: vcpuid features" in r.stdout, "help")

with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "f.json")
    r = run("--json", "-o", out, "lm")
    check(r.returncode == 0 and r.stdout == "", "-o: exit %d" % r.returncode)
    check(json.load(open(out))["features"][0]["name"] == "lm", "-o content")
    r = run("-o", os.path.join(d, "no", "such", "dir", "x"))
    check(r.returncode == 3, "-o bad dir: exit %d" % r.returncode)

for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
