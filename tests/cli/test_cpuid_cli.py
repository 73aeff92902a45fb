#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid cpuid`: every format on a bundled host, their agreement, the C
output compiling against <linux/kvm.h>, -o, and usage/exit codes.
usage: test_cpuid_cli.py VCPUID_BINARY SOURCE_ROOT"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VCPUID, ROOT = sys.argv[1], sys.argv[2]
HOST = os.path.join(ROOT, "profiles", "fc-intel-icelake-6.1.json")
BASE = ["--cpu", "Icelake-Server-v4", "--host", HOST,
        "--smp", "4,sockets=1,cores=2,threads=2"]
failures = []


def run(*args):
    return subprocess.run([VCPUID, "cpuid", *args], capture_output=True,
                          text=True)


def check(cond, msg):
    if not cond:
        failures.append(msg)


r = run(*BASE, "--format", "json")
if r.returncode == 12:
    print("SKIP: vcpuid cannot expand CPU models yet: %s" % r.stderr.strip())
    sys.exit(77)
check(r.returncode == 0, "json: exit %d %s" % (r.returncode, r.stderr))
doc = json.loads(r.stdout)
check(doc["cpu"] == "Icelake-Server-v4", "json: cpu %r" % doc.get("cpu"))
check([v["index"] for v in doc["vcpus"]] == [0, 1, 2, 3], "json: 4 vCPUs")
check([v["apic_id"] for v in doc["vcpus"]] == [0, 1, 2, 3], "json: APIC IDs")
hexre = re.compile(r"^0x[0-9a-f]+$")
for v in doc["vcpus"]:
    check(0 < len(v["cpuid"]) <= 100, "json: entry count")
    for e in v["cpuid"]:
        check(list(e) == ["function", "index", "flags", "eax", "ebx", "ecx",
                          "edx"], "json: entry keys %s" % list(e))
        check(all(hexre.match(e[k]) for k in e), "json: hex strings %s" % e)
    for m in v["msrs"]:
        check(list(m) == ["index", "value"], "json: msr keys")
    leaf1 = [e for e in v["cpuid"] if e["function"] == "0x00000001"][0]
    check(int(leaf1["ebx"], 16) >> 24 == v["apic_id"], "json: leaf 1 APIC ID")
check(isinstance(doc["filtered"], list), "json: filtered list")

# raw agrees with json, entry for entry
r = run(*BASE, "--format", "raw")
check(r.returncode == 0, "raw: exit %d" % r.returncode)
blocks = re.split(r"^CPU (\d+):\n", r.stdout, flags=re.M)[1:]
check(len(blocks) == 8, "raw: 4 CPU blocks")
for i in range(0, len(blocks), 2):
    lines = blocks[i + 1].rstrip("\n").splitlines()
    js = doc["vcpus"][int(blocks[i])]["cpuid"]
    check(len(lines) == len(js), "raw: line count vCPU %s" % blocks[i])
    for line, e in zip(lines, js):
        want = "   0x%08x 0x%02x: eax=%s ebx=%s ecx=%s edx=%s" % (
            int(e["function"], 16), int(e["index"], 16), e["eax"], e["ebx"],
            e["ecx"], e["edx"])
        check(line == want, "raw: %r != %r" % (line, want))

# --vcpu picks one; out of range is a usage error
r = run(*BASE, "--format", "json", "--vcpu", "2")
one = json.loads(r.stdout)["vcpus"]
check(len(one) == 1 and one[0] == doc["vcpus"][2], "--vcpu 2")
check(run(*BASE, "--vcpu", "4").returncode == 2, "--vcpu 4: exit 2")
check(run(*BASE, "--vcpu", "x").returncode == 2, "--vcpu x: exit 2")

# table decodes feature names
r = run(*BASE, "--vcpu", "0")
check(r.returncode == 0 and "CPU 0 (APIC ID 0):" in r.stdout, "table header")
check(re.search(r"^      edx: .*\bfpu\b", r.stdout, re.M), "table: fpu decoded")

# c compiles and carries the same values
r = run(*BASE, "--format", "c", "--vcpu", "1")
check(r.returncode == 0, "c: exit %d" % r.returncode)
check("struct kvm_cpuid_entry2 vcpu1_cpuid[%d]" % len(doc["vcpus"][1]["cpuid"])
      in r.stdout, "c: array size")
cc = shutil.which("cc")
with tempfile.TemporaryDirectory() as tmp:
    if cc:
        src = os.path.join(tmp, "t.c")
        with open(src, "w") as f:
            f.write(r.stdout + "\nint main(void) { return (int)(vcpu1_cpuid[0]"
                    ".eax == 0) + (int)sizeof(vcpu1_msrs) * 0; }\n")
        p = subprocess.run([cc, "-std=c17", "-Wall", "-Werror", "-o",
                            os.path.join(tmp, "t"), src], capture_output=True,
                           text=True)
        check(p.returncode == 0, "c: does not compile: %s" % p.stderr)
    out = os.path.join(tmp, "o.json")
    r = run(*BASE, "--format", "json", "-o", out)
    check(r.returncode == 0 and r.stdout == "", "-o: exit/stdout")
    with open(out) as f:
        check(json.load(f) == doc, "-o: same JSON")

# errors
check(run().returncode == 2, "no --cpu: exit 2")
check(run(*BASE, "--format", "xml").returncode == 2, "bad format: exit 2")
check(run("--bogus").returncode == 2, "bad option: exit 2")
r = run("--cpu", "NoSuchModel", "--host", HOST)
check(r.returncode == 5, "unknown model: exit %d" % r.returncode)
r = run("--help")
check(r.returncode == 0 and "--format" in r.stdout, "--help")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
