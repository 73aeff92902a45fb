#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`vcpuid expand`: JSON schema, text, warnings on stderr, errors and exit
codes, on the bundled this-host profile and without a host.
usage: test_expand_cli.py VCPUID_BINARY"""
import json
import subprocess
import sys

VCPUID = sys.argv[1]
HOST = "bundled:this-host"
M = "pc-i440fx-7.2"
failures = []


def run(*args):
    return subprocess.run([VCPUID, "expand", *args], capture_output=True,
                          text=True)


def check(cond, msg):
    if not cond:
        failures.append(msg)


r = run("--help")
check(r.returncode == 0 and "--cpu SPEC" in r.stdout, "--help")

# JSON schema
r = run("--json", "--host", HOST, "--machine", M, "--cpu",
        "qemu64,+ssse3,-lm,lm=on")
check(r.returncode == 0, "json rc %d: %s" % (r.returncode, r.stderr))
j = json.loads(r.stdout)
check(list(j) == ["cpu", "features", "filtered", "warnings"], "top keys %s" % list(j))
for k in ("name", "model", "version", "machine", "vendor", "family",
          "model_num", "stepping", "level", "xlevel", "xlevel2",
          "level_func7", "model_id", "phys_bits", "ucode_rev"):
    check(k in j["cpu"], "cpu.%s missing" % k)
check(j["cpu"]["name"] == "qemu64-v1" and j["cpu"]["model"] == "qemu64",
      "name %s" % j["cpu"]["name"])
check(j["cpu"]["machine"] == M, "machine")
for k in ("level", "xlevel", "xlevel2", "ucode_rev"):
    check(j["cpu"][k].startswith("0x"), "%s not hex" % k)
for wid, w in j["features"].items():
    check(set(w) == {"value", "names"} and w["value"].startswith("0x"),
          "feature word %s" % wid)
check("lm" not in j["features"]["8000_0001_EDX"]["names"], "-lm must win")
check("ssse3" in j["features"]["1_ECX"]["names"] or
      any(f["name"] == "ssse3" for f in j["filtered"]), "ssse3 requested")
for f in j["filtered"]:
    check(set(f) == {"name", "word", "location", "bit", "reason"}, "filtered keys")
check(j["warnings"][0].startswith("Ambiguous CPU model string"), "ambiguity")
err = r.stderr.splitlines()
check(len(err) == len(j["warnings"]) and all(
    l.startswith("qemu-system-x86_64: warning: ") for l in err),
    "stderr lines: %s" % err)

# check=off: no warning lines, the filtered list stays
r = run("--json", "--host", HOST, "--machine", M, "--cpu",
        "Skylake-Server,check=off")
j = json.loads(r.stdout)
check(r.returncode == 0 and r.stderr == "" and j["warnings"] == [],
      "check=off must be silent")

# text output
r = run("--host", HOST, "--machine", M, "--cpu", "Haswell-noTSX")
check(r.returncode == 0 and "Haswell-v2" in r.stdout and
      "features:" in r.stdout, "text output")

# no host: nothing filtered, no KVM leaf
r = run("--json", "--host", "none", "--cpu", "Skylake-Client")
j = json.loads(r.stdout)
check(r.returncode == 0 and j["filtered"] == [] and
      j["features"]["KVM"]["value"] == "0x0", "--host none")

# exit codes
for spec, code in (("qemu64,+nosuch", 5), ("NoSuchModel", 5),
                   ("qemu64,family=abc", 4), ("qemu64,hv-relaxed", 12),
                   ("", 4)):
    r = run("--host", HOST, "--machine", M, "--cpu", spec)
    check(r.returncode == code, "%r: rc %d, want %d" % (spec, r.returncode, code))
    check(r.stdout == "" and r.stderr.startswith("vcpuid: "),
          "%r: error output %r" % (spec, r.stderr))
r = run("--host", HOST, "--machine", M, "--cpu", "Skylake-Server,enforce", "--json")
check(r.returncode == 9, "enforce rc %d" % r.returncode)
check("Host doesn't support requested features" in r.stderr, "enforce message")
check(json.loads(r.stdout)["filtered"], "enforce still prints the CPU")
check(run("--cpu").returncode == 2, "missing argument")
check(run("--bogus").returncode == 2, "unknown option")
check(run("--cpu", "qemu64", "--smp", "8,sockets=3", "--host", "none").returncode == 4,
      "bad -smp")
check(run("--cpu", "qemu64", "--machine", "nope", "--host", "none").returncode == 5,
      "bad machine")

for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
