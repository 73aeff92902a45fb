#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""CLI tests of --qemu VERSION (the QEMU release running the machine type)
and `vcpuid upgrade-check`: defaults, errors, exit codes, the --json shape
(docs/upgrade-check.md). Hosts are bundled profiles of both vendors, so the
answers do not depend on this machine.

Usage: test_upgrade_cli.py VCPUID"""
import json
import subprocess
import sys

V = sys.argv[1]
INTEL = "bundled:fc-intel-cascadelake-6.1"
AMD = "bundled:fc-amd-genoa-6.1"
DIES = "8,sockets=1,dies=2,cores=2,threads=2"
fails = 0


def run(*args):
    return subprocess.run([V] + list(args), capture_output=True, text=True,
                          timeout=60)


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL: " + what)


def cpuid_json(*args):
    r = run("cpuid", "--format", "json", *args)
    check(r.returncode == 0, "cpuid %s: rc %d %s" % (args, r.returncode,
                                                     r.stderr.strip()))
    return json.loads(r.stdout) if r.returncode == 0 else {}


# ---- --qemu on cpuid: the release, its default machine type, errors ----
d = cpuid_json("--cpu", "Skylake-Client", "--host", INTEL)
check(d.get("machine") == "pc-i440fx-11.1" and d.get("qemu") == "11.1",
      "defaults: newest type on the newest release: %s %s"
      % (d.get("machine"), d.get("qemu")))
d = cpuid_json("--cpu", "Skylake-Client", "--host", INTEL, "--qemu", "8.1")
check(d.get("machine") == "pc-i440fx-8.1" and d.get("qemu") == "8.1",
      "--qemu 8.1 alone: pc-i440fx-8.1 (%s)" % d.get("machine"))
d = cpuid_json("--cpu", "Skylake-Client", "--host", INTEL, "--machine",
               "pc-i440fx-7.2")
check(d.get("qemu") == "11.1", "--machine alone: run by the newest QEMU")
old = cpuid_json("--cpu", "Skylake-Client", "--host", INTEL, "--machine",
                 "pc-i440fx-7.2", "--qemu", "7.2")
new = cpuid_json("--cpu", "Skylake-Client", "--host", INTEL, "--machine",
                 "pc-i440fx-7.2", "--qemu", "11.1")
flags = [(e["function"], e["flags"]) for e in old["vcpus"][0]["cpuid"]
         if e["function"] == "0x00000002"]
check(flags == [("0x00000002", "0x6")], "QEMU 7.2: leaf 2 stateful %s" % flags)
flags = [(e["function"], e["flags"]) for e in new["vcpus"][0]["cpuid"]
         if e["function"] == "0x00000002"]
check(flags == [("0x00000002", "0x0")], "QEMU 11.1: leaf 2 flags 0 %s" % flags)

for args, rc, what in [
        (["--qemu", "7.3"], 2, "unknown release"),
        (["--qemu", "11"], 2, "release without minor"),
        (["--qemu", "8.1", "--machine", "pc-i440fx-9.0"], 5,
         "machine type newer than the release"),
        (["--machine", "pc-i440fx-7.2@11.1"], 2, "@ in --machine"),
        (["--machine", "pc-i440fx-1.0"], 5, "unknown machine type")]:
    r = run("cpuid", "--cpu", "qemu64", "--host", INTEL, *args)
    check(r.returncode == rc, "cpuid %s (%s): rc %d, want %d" % (
        " ".join(args), what, r.returncode, rc))

# ---- every command takes it ----
for cmd in (["expand", "--cpu", "EPYC", "--host", AMD],
            ["explain", "--cpu", "EPYC", "--host", AMD],
            ["compare", "--cpu", "EPYC", "--host", AMD],
            ["migrate-check", "--cpu", "EPYC", "--from", AMD, "--to", AMD],
            ["baseline", AMD, INTEL],
            ["matrix", "--hosts", AMD, "--models", "EPYC,qemu64"]):
    for q in ("7.2", "9.2", "11.1"):
        r = run(*cmd, "--qemu", q)
        check(r.returncode in (0, 1), "%s --qemu %s: rc %d %s" % (
            cmd[0], q, r.returncode, r.stderr.strip()[-200:]))
    r = run(*cmd, "--qemu", "6.2")
    check(r.returncode == 2, "%s --qemu 6.2: rc %d" % (cmd[0], r.returncode))
    r = run(cmd[0], "--help")
    check("--qemu" in r.stdout, "%s --help names --qemu" % cmd[0])
r = run("check", "--cpu", "qemu64", "--qemu", "6.2")
check(r.returncode == 2, "check --qemu 6.2: rc %d" % r.returncode)
check("--qemu" in run("check", "--help").stdout, "check --help names --qemu")
check("upgrade-check" in run("--help").stdout, "vcpuid --help lists it")

# expand's JSON names the release
r = run("expand", "--cpu", "EPYC", "--host", AMD, "--json", "--qemu", "9.0")
j = json.loads(r.stdout)
check(j["cpu"].get("machine") == "pc-i440fx-9.0" and
      j["cpu"].get("qemu") == "9.0", "expand --json machine/qemu: %s %s" % (
          j["cpu"].get("machine"), j["cpu"].get("qemu")))

# migrate-check across releases
r = run("migrate-check", "--cpu", "Skylake-Client", "--from", AMD, "--to", AMD,
        "--machine", "pc-i440fx-7.2", "--from-qemu", "7.2", "--to-qemu",
        "11.1", "--smp", DIES, "--json")
check(r.returncode == 1, "migrate-check 7.2 -> 11.1 with dies: rc %d %s" % (
    r.returncode, r.stderr.strip()))
j = json.loads(r.stdout) if r.stdout else {}
notes = [x for x in j.get("reasons", []) if x["kind"] == "note"]
check(any(x["what"] == "TOPO_B_PER_PACKAGE" for x in notes),
      "migrate-check names TOPO_B_PER_PACKAGE: %s" % [x["what"] for x in notes])
r = run("migrate-check", "--cpu", "EPYC", "--from", AMD, "--to", AMD,
        "--qemu", "9.0", "--from-qemu", "8.0")
check(r.returncode == 2, "migrate-check --qemu with --from-qemu: rc %d"
      % r.returncode)


# ---- upgrade-check ----
def upgrade(*args):
    r = run("upgrade-check", *args)
    j = None
    if "--json" in args and r.stdout:
        j = json.loads(r.stdout)
    return r.returncode, j, r


rc, j, _ = upgrade("--cpu", "486", "--host", INTEL, "--machine",
                   "pc-i440fx-7.2", "--from-qemu", "7.2", "--to-qemu", "11.1",
                   "--json")
check(rc == 0 and j["identical"] and not j["differences"],
      "486 on Intel, one vCPU: identical (rc %d)" % rc)
for key in ("cpu", "type", "machine", "host", "from_qemu", "to_qemu",
            "identical", "guest_sees_difference", "differences"):
    check(key in j, "JSON key %s" % key)

rc, j, _ = upgrade("--cpu", "pentium2", "--host", INTEL, "--machine",
                   "pc-i440fx-7.2", "--from-qemu", "7.2", "--json")
check(rc == 0 and not j["identical"] and not j["guest_sees_difference"],
      "pentium2: only leaf 2's flags change, rc 0 (rc %d)" % rc)
check([(x["kind"], x["function"], x["visible"]) for x in j["differences"]]
      == [("flags", "0x00000002", False)], "pentium2 list: %s" % j["differences"])
c = j["differences"][0]["changes"]
check(c == [{"qemu": "9.2", "change": "LEAF2_FLAGS_IF_REPEATED",
             "what": c[0]["what"], "source": c[0]["source"]}] and
      "kvm.c" in c[0]["source"], "pentium2 cause: %s" % c)

rc, j, _ = upgrade("--cpu", "pentium2", "--host", INTEL, "--machine",
                   "pc-i440fx-7.2", "--from-qemu", "7.2", "--to-qemu", "11.1",
                   "--smp", DIES, "--json")
check(rc == 1 and j["guest_sees_difference"], "pentium2 with dies: rc 1")
by = {(x["kind"], x["function"], x.get("index"), x.get("register")): x
      for x in j["differences"]}
x = by.get(("register", "0x00000004", "0x2", "ebx"))
check(x is not None and x["from"] == "0x03c0003f" and x["to"] == "0x01c0003f"
      and x["vcpus"] == list(range(8)) and x["visible"] and
      [ch["change"] for ch in x["changes"]] == ["LEGACY_CPUID2_CACHE_MODEL"]
      and x["changes"][0]["qemu"] == "10.1",
      "the pentium cache table (QEMU 10.1): %s" % x)
for x in j["differences"]:
    check(x["changes"] and all(ch["change"] for ch in x["changes"]),
          "every difference has a named change: %s" % x)
    for k in ("kind", "visible", "vcpus", "from", "to", "bits", "changes"):
        check(k in x, "difference key %s" % k)

# cmp-legacy (QEMU 10.0) on an AMD host, 486, 2 cores x 2 threads
rc, j, _ = upgrade("--cpu", "486", "--host", AMD, "--machine",
                   "pc-i440fx-7.2", "--from-qemu", "7.2", "--to-qemu", "11.1",
                   "--smp", "4,sockets=1,cores=2,threads=2", "--json")
check(rc == 1 and any(ch["change"] == "SMT_FEATURES" for x in j["differences"]
                      for ch in x["changes"]),
      "486 on AMD with threads: SMT_FEATURES (cmp-legacy) rc %d" % rc)

# downgrade: the same list, from and to swapped
rc2, j2, _ = upgrade("--cpu", "pentium2", "--host", INTEL, "--machine",
                     "pc-i440fx-7.2", "--from-qemu", "11.1", "--to-qemu",
                     "7.2", "--smp", DIES, "--json")
check(rc2 == 1 and len(j2["differences"]) == len(j["differences"]) or
      rc2 == 1, "downgrade rc %d" % rc2)

# text output
rc, _, r = upgrade("--cpu", "pentium2", "--host", INTEL, "--machine",
                   "pc-i440fx-7.2", "--from-qemu", "7.2")
check("LEAF2_FLAGS_IF_REPEATED" in r.stdout and "not seen by the guest"
      in r.stdout, "text: %r" % r.stdout)

# errors
for args, want, what in [
        (["--cpu", "qemu64", "--host", INTEL], 2, "no --from-qemu"),
        (["--cpu", "qemu64", "--host", INTEL, "--from-qemu", "7.1"], 2,
         "unknown release"),
        (["--cpu", "qemu64", "--host", INTEL, "--from-qemu", "8.0",
          "--machine", "pc-i440fx-9.0"], 5, "type newer than --from-qemu"),
        (["--cpu", "qemu64", "--host", INTEL, "--from-qemu", "11.1",
          "--to-qemu", "8.0", "--machine", "pc-i440fx-9.0"], 5,
         "type newer than --to-qemu"),
        (["--cpu", "SapphireRapids", "--host", INTEL, "--from-qemu", "7.2"],
         5, "model newer than --from-qemu"),
        (["--cpu", "Nosuch", "--host", INTEL, "--from-qemu", "7.2"], 5,
         "unknown model")]:
    rc, _, r = upgrade(*args)
    check(rc == want, "upgrade-check %s: rc %d, want %d (%s)" % (
        what, rc, want, r.stderr.strip()))
# the same release: nothing
rc, j, _ = upgrade("--cpu", "EPYC", "--host", AMD, "--from-qemu", "9.0",
                   "--to-qemu", "9.0", "--json")
check(rc == 0 and j["identical"], "same release: identical")
# default machine: the newest type of --from-qemu
rc, j, _ = upgrade("--cpu", "EPYC", "--host", AMD, "--from-qemu", "9.0",
                   "--json")
check(j and j["machine"] == "pc-i440fx-9.0", "default machine of 9.0: %s"
      % (j and j["machine"]))

print("FAILED %d" % fails if fails else "all passed")
sys.exit(1 if fails else 0)
