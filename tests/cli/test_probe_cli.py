#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""vcpuid probe / summary end to end: test_probe_cli.py VCPUID_EXE SOURCE_ROOT."""
import json
import os
import subprocess
import sys
import tempfile

EXE, ROOT = sys.argv[1], sys.argv[2]
FAULT = sys.argv[3] if len(sys.argv) > 3 else None
failures = 0


def run(args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([EXE] + args, capture_output=True, text=True, env=e)


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


NOKVM = {"VCPUID_KVM_DEVICE": "/nonexistent/kvm"}

# probe without KVM: not an error, the reason is recorded, raw part present
r = run(["probe", "--json"], NOKVM)
check(r.returncode == 0, "probe --json without KVM exits 0")
p = json.loads(r.stdout)
check(p["format"] == "vcpuid-host-profile" and p["version"] == 1, "format/version")
check(p["kvm"] is None, "kvm is null without KVM")
check(p["kvm_absent"].startswith("/nonexistent/kvm: cannot open: No such file")
      and "errno 2" in p["kvm_absent"], "kvm_absent says why")
check(len(p["raw_cpuid"]) > 2, "raw part present without KVM")
check(p["raw_cpuid"][0]["function"] == "0x00000000", "raw starts at leaf 0")

r = run(["probe"], NOKVM)
check(r.returncode == 0 and "KVM: absent (/nonexistent/kvm:" in r.stdout,
      "human summary names the reason")

# summary shows this machine without KVM, marked so, and says why
r = run(["summary"], NOKVM)
check(r.returncode == 0, "summary without KVM exits 0")
check("without KVM" in r.stderr and "/nonexistent/kvm" in r.stderr,
      "summary says on stderr that KVM is unavailable")
check(r.stdout.startswith("host: live (origin probe, without KVM)"),
      "summary shows this machine, without KVM")
check("KVM: absent (/nonexistent/kvm: cannot open" in r.stdout,
      "summary says KVM is absent and why")
check("bundled" not in r.stdout + r.stderr, "summary shows no bundled profile")

# -o writes a parseable profile atomically, nothing left behind
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "x.json")
    r = run(["probe", "-o", out])
    check(r.returncode == 0 and os.path.exists(out), "probe -o writes the file")
    check(sorted(os.listdir(d)) == ["x.json"], "no temporary file left")
    with open(out) as f:
        q = json.load(f)
    check(q["origin"] == "probe" and len(q["raw_cpuid"]) > 2, "written profile is complete")
    if os.path.exists("/dev/kvm"):
        check(q["kvm"] is not None and len(q["kvm"]["supported_cpuid"]) > 0,
              "with /dev/kvm the kvm part is there")
        r = run(["summary"])
        check(r.returncode == 0 and r.stdout.startswith("host: live"), "live summary")
        check("KVM supported vs raw CPUID" in r.stdout, "live summary shows the difference")
    # --from converts and is stable: the written file converts to itself
    r = run(["probe", "--from", out, "--json"])
    with open(out) as f:
        check(r.returncode == 0 and r.stdout == f.read(), "probe --from profile is identity")

# every bundled profile loads, summarises, and is in canonical form
pdir = os.path.join(ROOT, "profiles")
names = sorted(n[:-5] for n in os.listdir(pdir) if n.endswith(".json"))
check("this-host" in names and len(names) >= 8, "bundled profiles present: " + " ".join(names))
for n in names:
    r = run(["summary", "--host", "bundled:" + n], {"VCPUID_PROFILE_DIR": pdir})
    check(r.returncode == 0 and "KVM:" in r.stdout, "summary of bundled:" + n)
    r = run(["probe", "--from", os.path.join(pdir, n + ".json"), "--json"])
    with open(os.path.join(pdir, n + ".json")) as f:
        check(r.returncode == 0 and r.stdout == f.read(), n + " is canonical")

# KVM_GET_MSRS stops at a failing MSR: the probe must go on past it
if FAULT and os.path.exists("/dev/kvm"):
    r = run(["probe", "--json"])
    full = json.loads(r.stdout)["kvm"]["feature_msrs"]
    if len(full) >= 2:
        k = len(full) // 2  # in the middle: entries before and after it
        bad = full[k]["index"]
        env = {"LD_PRELOAD": FAULT, "VCPUID_TEST_FAIL_MSR": bad}
        if os.environ.get("LD_PRELOAD"):
            env["LD_PRELOAD"] = os.environ["LD_PRELOAD"] + ":" + FAULT
        r = run(["probe", "--json"], env)
        check(r.returncode == 0, "probe with a failing feature MSR exits 0")
        got = json.loads(r.stdout)["kvm"]["feature_msrs"]
        check(got == full[:k] + full[k + 1:], "failing MSR %s left out, every other one read" % bad)
    else:
        print("skip failing-MSR check: fewer than 2 feature MSRs")

r = run(["probe", "--bogus"])
check(r.returncode == 2, "unknown option is a usage error")
r = run(["summary", "--host", "/nonexistent.json"])
check(r.returncode == 3 and "/nonexistent.json" in r.stderr, "missing file is an I/O error")
r = run(["probe", "--help"])
check(r.returncode == 0 and "usage: vcpuid probe" in r.stdout, "probe --help")
r = run(["summary", "--help"])
check(r.returncode == 0 and "usage: vcpuid summary" in r.stdout, "summary --help")

sys.exit(1 if failures else 0)
