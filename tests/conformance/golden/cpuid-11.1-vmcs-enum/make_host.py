#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hand-made host of this golden directory (README.md): the
Intel SPR PVM capture (tests/oracle/hosts.py BASES) as a permissive host
with nested VMX (test_cpuid_qemu.py nested()), plus what QEMU 9.2+ needs
to give a guest FRED and the secondary VM-exit controls:
  CPUID.7.1:EAX fred (17), lkgs (18), wrmsrns (19)   (raw and KVM tables)
  VMX exit controls 0x483/0x48F allowed-1 bit 31     (secondary controls)
  VMX entry controls 0x484/0x490 allowed-1 bit 23    (load FRED)
  VMX secondary controls 0x48B allowed-1 bit 25      (TSC scaling)
Usage: make_host.py OUT.json (run from the source root)."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "oracle"))
sys.path.insert(0, os.path.join(ROOT, "tests", "conformance"))
import hosts  # noqa: E402
import test_cpuid_qemu as t72  # noqa: E402

FRED_BITS = (1 << 17) | (1 << 18) | (1 << 19)
ALLOWED1 = {0x483: 1 << 31, 0x48f: 1 << 31, 0x484: 1 << 23, 0x490: 1 << 23,
            0x48b: 1 << 25}


def main():
    base = hosts.load(hosts.BASES["intel-spr-pvm"])
    p = t72.nested(hosts.permissive(base["raw_cpuid"], base))
    for table in (p["raw_cpuid"], p["kvm"]["supported_cpuid"]):
        for e in table:
            if int(e["function"], 0) == 7 and int(e.get("index", "0"), 0) == 1:
                e["eax"] = "0x%08x" % (int(e["eax"], 0) | FRED_BITS)
    for m in p["kvm"]["feature_msrs"]:
        bits = ALLOWED1.get(int(m["index"], 0))
        if bits:
            m["value"] = "0x%x" % (int(m["value"], 0) | bits << 32)
    with open(sys.argv[1], "w") as f:
        json.dump(p, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
