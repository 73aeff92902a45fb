#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid decode / diff through the CLI.

usage: test_decode_diff.py VCPUID

Captures this machine with `cpuid -1 -r` (skips, exit 77, when the cpuid
tool is missing), decodes it and checks the result against what the kernel
says in /proc/cpuinfo (computed live, nothing about this host is hardcoded);
then diffs, exit codes and error messages.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VCPUID = sys.argv[1]
failures = []


def run(*args, stdin=None):
    p = subprocess.run([VCPUID, *args], capture_output=True, text=True, input=stdin)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def cpuinfo():
    """The first processor block of /proc/cpuinfo as a dict."""
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if not line.strip():
                if info:
                    break
                continue
            k, _, v = line.partition(":")
            info[k.strip()] = v.strip()
    return info


def dumps_dir():
    root = os.environ.get("VCPUID_SOURCE_ROOT", ".")
    for rel in ("../shared/data/libcpuid-dumps", "../../shared/data/libcpuid-dumps"):
        d = os.path.join(root, rel)
        if os.path.isdir(d):
            return d
    return None


def main():
    if not shutil.which("cpuid"):
        print("SKIP: the cpuid tool is not installed")
        return 77
    tmp = tempfile.mkdtemp(prefix="vcpuid-decode-")
    cap = os.path.join(tmp, "host.txt")
    with open(cap, "w") as f:
        subprocess.run(["cpuid", "-1", "-r"], stdout=f, check=True)

    rc, out, err = run("decode", cap, "--json")
    check(rc == 0, f"decode of a cpuid -1 -r capture exits 0 ({rc} {err.strip()})")
    d = json.loads(out)
    ci = cpuinfo()
    check(d["origin"] == "cpuid-r", "origin is cpuid-r")
    check(d["vendor"] == ci.get("vendor_id"), f"vendor {d['vendor']} == {ci.get('vendor_id')}")
    check(str(d["family"]) == ci.get("cpu family"), f"family {d['family']} == {ci.get('cpu family')}")
    check(str(d["model"]) == ci.get("model"), f"model {d['model']} == {ci.get('model')}")
    check(str(d["stepping"]) == ci.get("stepping"), f"stepping {d['stepping']} == {ci.get('stepping')}")
    if ci.get("model name"):
        check(d["brand"] == " ".join(ci["model name"].split()) or d["brand"] == ci["model name"],
              f"brand '{d['brand']}' == model name '{ci['model name']}'")
    m = re.match(r"(\d+) bits physical, (\d+) bits virtual", ci.get("address sizes", ""))
    if m:
        check(d["phys_bits"] == int(m.group(1)) and d["virt_bits"] == int(m.group(2)),
              f"address bits {d['phys_bits']}/{d['virt_bits']} == {m.group(1)}/{m.group(2)}")
    # every feature word's value is the register of the capture
    words_ok = True
    with open(cap) as f:
        raw = {}
        for line in f:
            mm = re.match(r"\s*0x([0-9a-f]+) 0x([0-9a-f]+): eax=0x(\w+) ebx=0x(\w+) ecx=0x(\w+) edx=0x(\w+)", line)
            if mm:
                raw[(int(mm.group(1), 16), int(mm.group(2), 16))] = [int(mm.group(i), 16) for i in range(3, 7)]
    edx1 = raw[(1, 0)][3]
    words_ok = int(d["features"]["1_EDX"]["value"], 16) == edx1
    check(words_ok, "1_EDX word equals leaf 1 EDX of the capture")
    check(int(d["max_leaves"]["basic"], 16) == raw[(0, 0)][0], "max basic leaf")

    # text output names the same things
    rc, text, _ = run("decode", cap)
    check(rc == 0 and f"vendor:    {d['vendor']}" in text and "features:" in text,
          "text decode prints vendor and features")
    rc2, text2, _ = run("decode", "-", stdin=open(cap).read())
    check(rc2 == 0 and text2.split("\n", 1)[1] == text.split("\n", 1)[1], "decode - reads stdin")

    # diff: identical, then different
    rc, out, _ = run("diff", cap, cap)
    check(rc == 0 and "identical" in out, f"diff of a capture with itself exits 0 ({rc})")
    other = os.path.join(tmp, "other.txt")
    with open(cap) as f, open(other, "w") as g:
        for line in f:
            mm = re.match(r"(\s*0x00000001 0x00: eax=0x)(\w+)( ebx=0x\w+ ecx=0x)(\w+)(.*)", line)
            if mm:
                eax = int(mm.group(2), 16) ^ 0x1           # another stepping
                ecx = int(mm.group(4), 16) ^ 0x1           # toggle pni
                line = f"{mm.group(1)}{eax:08x}{mm.group(3)}{ecx:08x}{mm.group(5)}\n"
            g.write(line)
    rc, out, _ = run("diff", cap, other, "--json")
    check(rc == 1, f"diff of different CPUs exits 1 ({rc})")
    j = json.loads(out)
    check(j["identical"] is False, "diff JSON says not identical")
    check([f["field"] for f in j["fields"]] == ["stepping"], f"only stepping differs: {j['fields']}")
    side = "only_a" if (raw[(1, 0)][2] & 1) else "only_b"
    check(j[side].get("1_ECX") in (["pni"], ["[0]"]), f"1_ECX bit 0 in {side}: {j[side]}")
    dd = dumps_dir()
    if dd:
        zen2 = os.path.join(dd, "amd/zen2/amd-ryzen-7-3800xt-8-core-processor.test")
        rc, out, _ = run("diff", zen2, zen2)
        check(rc == 0, "diff of an AIDA64 dump with itself exits 0")
        rc, out, _ = run("decode", zen2, "--json")
        z = json.loads(out)
        check((z["family"], z["model"], z["stepping"]) == (0x17, 0x71, 0), "zen2 dump decodes 17h/71h/0")
        check(z["caches"][3]["size_kb"] == 16384 and z["cache_source"] == "8000001d", "zen2 L3 16 MB")

    # errors
    rc, _, err = run("diff", cap)
    check(rc == 2, f"diff with one input is a usage error ({rc})")
    rc, _, err = run("decode", cap, "--bogus")
    check(rc == 2, "unknown option is a usage error")
    rc, _, err = run("decode", os.path.join(tmp, "missing.txt"))
    check(rc == 3, f"missing file exits 3 ({rc})")
    bad = os.path.join(tmp, "bad.txt")
    with open(cap) as f, open(bad, "w") as g:
        lines = f.readlines()
        g.writelines(lines[:3])
        g.write(lines[3][:30])
    rc, _, err = run("decode", bad)
    check(rc == 4 and re.search(re.escape(bad) + r":4:\d+: ", err) is not None,
          f"truncated capture exits 4 naming file:line:col ({rc} {err.strip()})")
    with open(bad, "w") as g:
        g.write("hello\n")
    rc, _, err = run("decode", bad)
    check(rc == 5 and "unknown format" in err, f"unknown format exits 5 ({rc})")
    rc, out, _ = run("decode", "--help")
    check(rc == 0 and "usage: vcpuid decode" in out, "decode --help")
    rc, out, _ = run("diff", "--help")
    check(rc == 0 and "usage: vcpuid diff" in out, "diff --help")
    shutil.rmtree(tmp)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
