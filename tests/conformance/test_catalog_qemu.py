#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check vcpuid's feature catalog against the installed QEMU 7.2.

usage: test_catalog_qemu.py VCPUID_BINARY

(a) every name QEMU lists under "Recognized CPUID flags" in `-cpu help` is a
    catalog name or alias, and is marked qemu_since 702; every catalog name
    marked 702 is in that list.
(b) every one of those names sits on the bit(s) the catalog says. QEMU is the
    oracle, under TCG (`-cpu base,NAME=on`), in two ways:
    - QEMU warns for a requested bit it must drop, naming the word, the bit
      and its own name for it ("MSR(48BH).vmx-ept [bit 1]"). Two batch runs
      request all MSR-word names (without their parent feature, so every one
      is dropped by feature_dependencies[]) and all CPUID-word names.
    - CPUID names TCG supports give no warning: each is run alone and the
      QOM properties feature-words | filtered-features are compared with
      plain `base`; the changed bits of the catalog's word must be exactly
      the catalog's bits.
    The warning text has no subleaf, so words that differ only by subleaf
    (0x12.0.EAX vs 0x12.1.EAX) are told apart by the name QEMU prints.
Exit 0 pass, 1 fail, 77 skip (no qemu-system-x86_64, or not version 7.2).
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

MACHINE = "pc-i440fx-7.2"
WARN = re.compile(r"warning: (.*): (CPUID\.([0-9A-F]+)H:(E[ABCD]X)|MSR\(([0-9A-F]+)H\))"
                  r"\.(\S+) \[bit (\d+)\]")


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def oracle():
    """The QEMU oracle (tests/oracle) with a faked host, for the runs under
    KVM: the same answer on any machine, with or without /dev/kvm; None
    (and why) when it cannot run here."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
    try:
        import hosts
        import qemu_oracle
    except ImportError as e:
        return None, None, str(e)
    why = qemu_oracle.available()
    host = hosts.load(hosts.BASES["intel-spr-pvm"])
    return qemu_oracle, host, why


def parse_warnings(lines):
    warnings = []
    for line in lines:
        m = WARN.search(line)
        if m:
            if m.group(3):
                where = ("cpuid", int(m.group(3), 16), m.group(4))
            else:
                where = ("msr", int(m.group(5), 16))
            warnings.append((m.group(6), where, int(m.group(7))))
    return warnings


def oracle_run(qo, host, cpu):
    """-cpu CPU under KVM on the faked host: (warnings, feature bits)."""
    res = qo.run(cpu, host=host, machine=MACHINE, qom=True)
    if not res.get("feature_words"):
        raise RuntimeError("QEMU did not start: -cpu %s: %s" %
                           (cpu, res["error"]))
    words = {}
    for key in ("feature_words", "filtered_features"):
        for ws in res[key].values():
            for w in ws:
                k = (w["cpuid-input-eax"], w.get("cpuid-input-ecx", 0),
                     w["cpuid-register"])
                words[k] = words.get(k, 0) | w["features"]
            break   # the first vCPU
    return parse_warnings(res["stderr"]), words


def qemu_run(qemu, cpu, want_words, accel="tcg"):
    """Start QEMU with -cpu CPU, return (warnings, feature bits or None)."""
    if accel == "kvm":
        qo, host, _ = oracle()
        return oracle_run(qo, host, cpu)
    p = subprocess.Popen(
        [qemu, "-accel", accel, "-machine", MACHINE, "-cpu", cpu, "-S",
         "-nodefaults", "-display", "none", "-qmp", "stdio"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)

    def cmd(execute, **args):
        msg = {"execute": execute}
        if args:
            msg["arguments"] = args
        p.stdin.write(json.dumps(msg) + "\n")
        p.stdin.flush()
        while True:
            line = p.stdout.readline()
            if not line:
                raise RuntimeError("QEMU exited: -cpu %s: %s" %
                                   (cpu, p.stderr.read().strip()))
            r = json.loads(line)
            if "return" in r:
                return r["return"]
            if "error" in r:
                raise RuntimeError("QMP %s: %s" % (execute, r["error"]))

    try:
        greeting = json.loads(p.stdout.readline() or "{}")
        if "QMP" not in greeting:
            raise RuntimeError("QEMU did not start: -cpu %s: %s" %
                               (cpu, p.stderr.read().strip()))
        cmd("qmp_capabilities")
        words = None
        if want_words:
            path = cmd("query-cpus-fast")[0]["qom-path"]
            words = {}
            for prop in ("feature-words", "filtered-features"):
                for w in cmd("qom-get", path=path, property=prop):
                    key = (w["cpuid-input-eax"], w.get("cpuid-input-ecx", 0),
                           w["cpuid-register"])
                    words[key] = words.get(key, 0) | w["features"]
        cmd("quit")
    finally:
        try:
            p.stdin.close()
        except BrokenPipeError:
            pass
        err = p.stderr.read()
        p.wait()
    return parse_warnings(err.splitlines()), words


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    qemu = shutil.which("qemu-system-x86_64")
    if not qemu:
        skip("qemu-system-x86_64 is not installed")
    ver = subprocess.run([qemu, "--version"], capture_output=True, text=True)
    if not re.search(r"version 7\.2\.", ver.stdout):
        skip("this test needs QEMU 7.2, found: " + ver.stdout.split("\n")[0])

    cat = json.loads(subprocess.run([sys.argv[1], "features", "--json"],
                                    check=True, capture_output=True,
                                    text=True).stdout)["features"]
    byname, alias = {}, {}
    for f in cat:
        byname.setdefault(f["name"], []).append(f)
        for a in f["aliases"]:
            alias[a.replace("_", "-").lower()] = f["name"]

    failures = []

    def fail(msg):
        failures.append(msg)

    # (a) the names QEMU 7.2 recognises
    out = subprocess.run([qemu, "-cpu", "help"], check=True,
                         capture_output=True, text=True).stdout
    if "Recognized CPUID flags:" not in out:
        fail("`-cpu help` has no 'Recognized CPUID flags' section")
    qnames = set(out.split("Recognized CPUID flags:", 1)[-1].split())
    for n in sorted(qnames):
        canon = n if n in byname else alias.get(n.replace("_", "-").lower())
        if canon is None:
            fail("QEMU 7.2 name '%s' is not in the catalog" % n)
        elif canon != n:
            fail("QEMU 7.2 canonical name '%s' is only an alias of '%s'" %
                 (n, canon))
        elif any(f["qemu_since"] != 702 for f in byname[n]):
            fail("'%s' is in QEMU 7.2 but not marked qemu_since 702" % n)
    ours72 = {n for n, fs in byname.items() if fs[0]["qemu_since"] == 702}
    for n in sorted(ours72 - qnames):
        fail("'%s' is marked qemu_since 702 but QEMU 7.2 does not know it" % n)

    # (b) the bits, QEMU 7.2 as oracle
    def expect(f):
        if "msr" in f:
            return ("msr", int(f["msr"], 16))
        return ("cpuid", int(f["leaf"], 16), f["register"])

    msr_names = sorted(n for n in ours72 & qnames if "msr" in byname[n][0])
    cpuid_names = sorted(n for n in ours72 & qnames if "msr" not in byname[n][0])
    verified = {}
    for names in (msr_names, cpuid_names):
        if not names:
            continue
        warns, _ = qemu_run(qemu, "base," + ",".join(n + "=on" for n in names),
                            False)
        got = {}
        for name, where, bit in warns:
            got.setdefault(name, set()).add((where, bit))
        for n in names:
            want = {(expect(f), f["bit"]) for f in byname[n]}
            if n not in got:
                continue
            if got[n] != want:
                fail("%s: QEMU 7.2 puts it at %s, the catalog at %s" %
                     (n, sorted(got[n]), sorted(want)))
            verified[n] = "warning"
        for name in got:
            if name not in names:
                fail("QEMU warned about '%s', which was not requested" % name)
    for n in msr_names:
        if n not in verified:
            fail("%s: requested without its parent feature, QEMU 7.2 did "
                 "not drop it (is it really in an MSR word?)" % n)

    # TCG zeroes the KVM paravirtual word (0x40000001.EAX) without a
    # warning: those names are checked under KVM, through the oracle with a
    # faked host (profiles/intel-sapphirerapids-pvm.json), so on any
    # machine, with or without /dev/kvm.
    kvm_leaf = 0x40000001
    rest = [n for n in cpuid_names if n not in verified]
    pv = [n for n in rest if int(byname[n][0]["leaf"], 16) == kvm_leaf]
    rest = [n for n in rest if n not in pv]
    unchecked = []
    qo_why = oracle()[2]
    if qo_why:
        print("NOTE: the QEMU oracle cannot run here (%s)" % qo_why)
        unchecked, pv = pv, []
    base = {"tcg": qemu_run(qemu, "base", True)[1]}
    if pv:
        try:
            base["kvm"] = qemu_run(qemu, "base", True, "kvm")[1]
        except RuntimeError as e:
            print("NOTE: QEMU cannot run under KVM here (%s)" % e)
            unchecked, pv = pv, []

    def one(job):
        n, accel = job
        return n, accel, qemu_run(qemu, "base,%s=on" % n, True, accel)

    jobs = [(n, "tcg") for n in rest] + [(n, "kvm") for n in pv]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        for n, accel, (warns, words) in ex.map(one, jobs):
            base_w = base[accel]
            fs = byname[n]
            key = (int(fs[0]["leaf"], 16), int(fs[0]["subleaf"], 16),
                   fs[0]["register"])
            mask = 0
            for f in fs:
                mask |= 1 << f["bit"]
            if key not in words:
                fail("%s: QEMU 7.2 has no feature word %s" % (n, key))
                continue
            changed = words[key] ^ base_w.get(key, 0)
            if changed != mask:
                others = {k: hex(v ^ base_w.get(k, 0)) for k, v in words.items()
                          if v != base_w.get(k, 0)}
                fail("%s: QEMU 7.2 changed %s, the catalog says %s bits 0x%x"
                     % (n, others, key, mask))
                continue
            verified[n] = "feature-words" + ("" if accel == "tcg" else " (kvm)")

    for n in unchecked:
        print("NOTE: %s not oracle-checked: TCG hides the KVM PV word and "
              "the oracle cannot run" % n)
    for n in sorted(qnames & ours72):
        if n not in verified and n not in unchecked:
            fail("%s: not verified by QEMU 7.2" % n)

    by_how = {}
    for how in verified.values():
        by_how[how] = by_how.get(how, 0) + 1
    print("QEMU 7.2 names: %d; catalog names marked 7.2: %d" %
          (len(qnames), len(ours72)))
    print("bits verified by the QEMU 7.2 oracle: %d names (%d MSR-word, "
          "%d CPUID-word; %d from QEMU's warnings, %d from feature-words "
          "under TCG, %d under KVM)" %
          (len(verified), len([n for n in verified if n in msr_names]),
           len([n for n in verified if n in cpuid_names]),
           by_how.get("warning", 0), by_how.get("feature-words", 0),
           by_how.get("feature-words (kvm)", 0)))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
