#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""AVX10 end to end: `vcpuid expand` and `vcpuid cpuid` for GraniteRapids-v2
(avx10-version=1) on the bundled this-host profile and on an AVX10 host
(the bundled Granite Rapids profile given AVX10 version 1 by this test), and
the refusal of avx10-version by a QEMU 7.2 machine type (compared with the
installed QEMU 7.2 when it and /dev/kvm are there). Expectations about
this-host are computed from its profile, never assumed.
usage: test_avx10_cli.py VCPUID_BINARY"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

VCPUID = sys.argv[1]
ROOT = os.environ.get("VCPUID_SOURCE_ROOT",
                      os.path.join(os.path.dirname(__file__), "..", ".."))
PREFIX = "host doesn't support requested feature: "
failures = []


def run(*args):
    return subprocess.run([VCPUID, *args], capture_output=True, text=True)


def check(cond, msg):
    if not cond:
        failures.append(msg)


def supported(profile, fn, idx):
    for e in profile["kvm"]["supported_cpuid"]:
        f, i = int(str(e["function"]), 0), int(str(e["index"]), 0)
        flags = int(str(e.get("flags", 0)), 0)
        if f == fn and (i == idx or not flags & 1):
            return {r: int(str(e[r]), 0) for r in ("eax", "ebx", "ecx", "edx")}
    return {"eax": 0, "ebx": 0, "ecx": 0, "edx": 0}


def entry(table, fn, idx):
    for e in table:
        if int(e["function"], 16) == fn and int(e["index"], 16) == idx:
            return e
    return None


def load(name):
    with open(os.path.join(ROOT, "profiles", name + ".json")) as f:
        return json.load(f)


# ---- this-host: expectations from its profile ----
me = load("this-host")
host_avx10 = bool(supported(me, 7, 1)["edx"] >> 19 & 1)
host_version = supported(me, 0x24, 0)["ebx"] & 0xff if host_avx10 else 0
r = run("expand", "--cpu", "GraniteRapids-v2", "--host", "bundled:this-host")
check(r.returncode == 0, "expand GraniteRapids-v2 rc %d: %s"
      % (r.returncode, r.stderr.strip()[-300:]))
warn = PREFIX + "avx10.1."
if not host_avx10:
    check(warn in r.stderr.splitlines()[-1],
          "this-host lacks avx10: last warning should be %r, got %r"
          % (warn, r.stderr.splitlines()[-1:]))
elif host_version < 1:
    check(PREFIX + "avx10.1. Adjust to avx10.%d" % host_version in r.stderr,
          "this-host avx10.%d: adjust warning" % host_version)
else:
    check("avx10." not in r.stderr, "this-host has avx10.%d: no version "
          "warning" % host_version)

r = run("expand", "--cpu", "GraniteRapids-v2", "--host", "bundled:this-host",
        "--json")
check(r.returncode == 0, "expand --json rc %d" % r.returncode)
if r.returncode == 0:
    c = json.loads(r.stdout)["cpu"]
    check(c["avx10_version"] == (min(1, host_version) if host_avx10 else 1),
          "avx10_version %r" % c["avx10_version"])
    check(c["avx10_filtered"] == (not host_avx10 or host_version < 1),
          "avx10_filtered %r" % c["avx10_filtered"])
    check(c["level"] == "0x24", "level %s (raised to 0x24 by avx10)" % c["level"])

r = run("cpuid", "--cpu", "GraniteRapids-v2", "--host", "bundled:this-host",
        "--format", "json")
check(r.returncode == 0, "cpuid --format json rc %d: %s"
      % (r.returncode, r.stderr.strip()[-300:]))
if r.returncode == 0:
    t = json.loads(r.stdout)["vcpus"][0]["cpuid"]
    e = entry(t, 0x24, 0)
    check(e is not None, "leaf 0x24 subleaf 0 missing")
    if e:
        want = (0x70000 | 1) if host_avx10 and host_version >= 1 else 0
        check(int(e["flags"], 16) == 1, "0x24 flags %s" % e["flags"])
        check(int(e["ebx"], 16) == want, "0x24 ebx %s, want 0x%x"
              % (e["ebx"], want))
        check(int(e["eax"], 16) == 0, "0x24 eax %s" % e["eax"])
    check(entry(t, 0x24, 1) is None, "no subleaf 1 in QEMU 10.2")
    check(int(entry(t, 0, 0)["eax"], 16) == 0x24, "leaf 0 eax")

# ---- an AVX10 host: the Granite Rapids profile with AVX10 version 1 ----
gnr = load("fc-intel-graniterapids-6.1")
sup = gnr["kvm"]["supported_cpuid"]
for e in sup:
    f, i = int(e["function"], 16), int(e["index"], 16)
    if f == 0:
        e["eax"] = "0x00000024"
    if f == 7 and i == 1:
        e["edx"] = "0x%08x" % (int(e["edx"], 16) | 1 << 19)
sup.append({"function": "0x00000024", "index": "0x00000000", "flags": "0x1",
            "eax": "0x00000000", "ebx": "0x00070001", "ecx": "0x00000000",
            "edx": "0x00000000"})
tmp = tempfile.mkdtemp()
prof = os.path.join(tmp, "gnr-avx10.json")
with open(prof, "w") as f:
    json.dump(gnr, f)
r = run("expand", "--cpu", "GraniteRapids-v2", "--host", prof, "--json")
check(r.returncode == 0, "avx10 host: expand rc %d" % r.returncode)
if r.returncode == 0:
    j = json.loads(r.stdout)
    check(j["cpu"]["avx10_version"] == 1 and not j["cpu"]["avx10_filtered"],
          "avx10 host: version %r" % j["cpu"])
    check("avx10" in j["features"]["7_1_EDX"]["names"], "avx10 kept")
    check(not any("avx10" in w for w in j["warnings"]), "no avx10 warnings")
r = run("cpuid", "--cpu", "GraniteRapids-v2", "--host", prof, "--format", "json")
check(r.returncode == 0, "avx10 host: cpuid rc %d" % r.returncode)
if r.returncode == 0:
    t = json.loads(r.stdout)["vcpus"][0]["cpuid"]
    e = entry(t, 0x24, 0)
    check(e is not None and e["ebx"] == "0x00070001" and e["flags"] == "0x1",
          "avx10 host: leaf 0x24 %r" % e)
    e = entry(t, 7, 1)
    check(e is not None and int(e["edx"], 16) >> 19 & 1, "7.1.EDX avx10")
# explain names the versions: KVM's, the guest's, and a lowered one
r = run("explain", "avx10", "--cpu", "GraniteRapids-v2", "--host", prof,
        "--json")
check(r.returncode == 0, "explain avx10 rc %d: %s" % (r.returncode, r.stderr))
if r.returncode == 0:
    x = json.loads(r.stdout)["explanations"][0]
    text = json.dumps(x)
    check("avx10.1" in x.get("cause", "") and "version 1" in text,
          "explain avx10 names avx10.1 and KVM's version: %s" % text[:400])
r = run("explain", "avx10", "--cpu", "max,avx10-version=2", "--host", prof,
        "--machine", "pc-i440fx-10.2")
check(r.returncode == 0 and
      "lowered from avx10.2 to avx10.1" in r.stdout.splitlines()[0] and
      "filter" in [l.split()[0] for l in r.stdout.splitlines()[1:]
                   if l.strip().endswith("<= decisive")],
      "explain: avx10.2 asked on an avx10.1 host is lowered by the filter: %r"
      % r.stdout)
r = run("compare", "--cpu", "max,avx10-version=2", "--host", prof,
        "--machine", "pc-i440fx-10.2")
check(r.returncode == 1 and "offers only avx10.1, less than the avx10.2 "
      "requested" in r.stdout, "compare: avx10.2 on an avx10.1 host (rc %d) %r"
      % (r.returncode, r.stdout))
# max takes KVM's version (2 here)
sup[-1]["ebx"] = "0x00070002"
with open(prof, "w") as f:
    json.dump(gnr, f)
r = run("expand", "--cpu", "max", "--host", prof, "--json")
check(r.returncode == 0 and json.loads(r.stdout)["cpu"]["avx10_version"] == 2,
      "max takes the host's avx10 version")
# QEMU 11 refuses versions above 2 ("avx10-version can be at most 2",
# checked against QEMU 11.1); 9.2..10.2 accept 3 and the filter lowers it to
# the host's.
r = run("expand", "--cpu", "max,avx10-version=3,enforce=on", "--host", prof,
        "--machine", "pc-i440fx-10.2", "--qemu", "10.2")
check(r.returncode == 9, "enforce refuses avx10.3 on an avx10.2 host (rc %d)"
      % r.returncode)
check(PREFIX + "avx10.3. Adjust to avx10.2" in r.stderr, "adjust warning")
# QEMU 11 knows versions 1 and 2 only
r = run("expand", "--cpu", "max,avx10-version=3", "--host", prof,
        "--machine", "pc-i440fx-11.1")
check(r.returncode != 0 and "avx10-version" in r.stderr,
      "11.1 refuses avx10.3 (rc %d: %s)" % (r.returncode, r.stderr.strip()))
shutil.rmtree(tmp)

# ---- QEMU 7.2 has no avx10-version ----
spec = "Skylake-Client,avx10-version=1"
r = run("expand", "--cpu", spec, "--host", "bundled:this-host", "--machine",
        "pc-i440fx-7.2", "--qemu", "7.2")
check(r.returncode == 5, "7.2: exit %d, want 5 (unknown)" % r.returncode)
check("property 'avx10-version' is not known to QEMU 7.2" in r.stderr,
      "7.2 message: %r" % r.stderr)
qemu = shutil.which("qemu-system-x86_64")
if qemu and os.access("/dev/kvm", os.R_OK | os.W_OK):
    q = subprocess.run([qemu, "-accel", "kvm", "-cpu", spec, "-machine",
                        "pc-i440fx-7.2", "-S", "-display", "none",
                        "-nodefaults"], capture_output=True, text=True,
                       timeout=60)
    check(q.returncode != 0 and "avx10-version' not found" in q.stderr,
          "QEMU 7.2 itself refuses: rc %d %r" % (q.returncode, q.stderr))
else:
    print("QEMU 7.2 or /dev/kvm missing: oracle comparison skipped")
r = run("expand", "--cpu", spec, "--host", "bundled:this-host", "--machine",
        "pc-q35-9.2")
check(r.returncode == 0, "9.2 accepts avx10-version (rc %d)" % r.returncode)

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
