# SPDX-License-Identifier: MIT
"""Hosts for the conformance tests that do not depend on the machine
running them (python3, stdlib only).

Every faked host is built from files in this tree: whole captures whose raw
CPUID and KVM part come from one machine (BASES), the bundled profiles, and
CPUID dumps. Nothing here reads this machine's CPU or KVM: the one host
that does is "live" (live_profile()), which a test compares only with QEMU
running on the real KVM, both sides on this machine.

  BASES                      {name: path} of whole captures, one per vendor
  load(path) -> dict
  own_raw(prof) -> dict      a profile without raw CPUID given its own
                             supported table as the CPUID instruction (what
                             the oracle does for such a profile anyway)
  vendor(prof) -> str        leaf 0's vendor string
  base_for(vendor) -> (name, dict)   the capture of that vendor (AMD for
                             AuthenticAMD/HygonGenuine, else Intel)
  permissive(raw, base) -> dict      a host whose KVM supports every bit of
                             the CPUID table `raw`, with the rest of the KVM
                             part (feature MSRs, XSAVE, capabilities) of
                             `base`, and no MSR KVM refuses
  live_profile(vcpuid, tmp) -> (path, dict)   `vcpuid probe` of this machine
"""
import copy
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Whole captures (`vcpuid probe -o`), raw CPUID and KVM from one machine.
BASES = {
    "intel-spr-pvm": os.path.join(ROOT, "profiles",
                                  "intel-sapphirerapids-pvm.json"),
    "amd-epyc-pvm": os.path.join(ROOT, "tests", "data", "hosts",
                                 "amd-epyc-f19m11-pvm.json"),
}
AMD_VENDORS = ("AuthenticAMD", "HygonGenuine")


def load(path):
    with open(path) as f:
        return json.load(f)


def _n(v):
    return int(v, 0) if isinstance(v, str) else int(v)


def own_raw(prof):
    p = copy.deepcopy(prof)
    if not p.get("raw_cpuid") and isinstance(p.get("kvm"), dict):
        p["raw_cpuid"] = copy.deepcopy(p["kvm"]["supported_cpuid"])
    return p


def vendor(prof):
    table = prof.get("raw_cpuid") or (prof.get("kvm") or {}).get(
        "supported_cpuid") or []
    for e in table:
        if _n(e["function"]) == 0:
            return b"".join(_n(e[r]).to_bytes(4, "little")
                            for r in ("ebx", "edx", "ecx")).decode("latin-1")
    return ""


def base_for(vend):
    name = "amd-epyc-pvm" if vend in AMD_VENDORS else "intel-spr-pvm"
    return name, load(BASES[name])


def permissive(raw, base):
    p = {k: v for k, v in base.items() if k not in ("raw_cpuid", "kvm")}
    p["raw_cpuid"] = copy.deepcopy(raw)
    kvm = copy.deepcopy(base["kvm"])
    kvm["supported_cpuid"] = copy.deepcopy(raw)
    kvm["emulated_cpuid"] = []
    kvm.pop("msr_index_list", None)
    kvm.pop("refused_msrs", None)
    # Its XSAVE components are the CPU's: on a real KVM,
    # KVM_X86_XCOMP_GUEST_SUPP says what KVM_GET_SUPPORTED_CPUID 0xD.0
    # EAX/EDX say, not what the base's KVM supports (QEMU 11 takes 0xD.0
    # from XCOMP_GUEST_SUPP and sizes the components from the CPUID
    # instruction: a mix gives components of size 0 or absent ones).
    kvm.pop("xcomp_guest_supp", None)
    for e in raw:
        if _n(e["function"]) == 0xd and _n(e.get("index", 0)) == 0:
            kvm["xcomp_guest_supp"] = "0x%x" % (_n(e["eax"]) |
                                                _n(e["edx"]) << 32)
    p["kvm"] = kvm
    return p


def live_profile(vcpuid, tmp):
    path = os.path.join(tmp, "live.json")
    r = subprocess.run([vcpuid, "probe", "-o", path], capture_output=True,
                       text=True)
    if r.returncode:
        raise RuntimeError("vcpuid probe failed: %s" % r.stderr.strip())
    return path, load(path)
