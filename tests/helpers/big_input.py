#!/usr/bin/env python3
"""Inputs past (or at) vcpuid's limits (docs/exit-codes.md, "Limits"), for
the bad-input catalogue (tests/badinput/bounded.cases) and the loading
benchmark (bench/bench_load.sh). Writes to standard output.

Usage: big_input.py SRC KIND N
  SRC   the source tree (the bundled profile this-host.json is the base)
  KIND  raw          a host profile with N raw CPUID entries, in the plain
                     form vcpuid writes (indented, hex strings)
        raw-compact  the same, compact, numbers as integers
        raw-general  raw-compact with one escaped character: read by the
                     general (jansson) reader, not the plain one
        supported    N entries in kvm.supported_cpuid
        emulated     N entries in kvm.emulated_cpuid
        msrs         N feature MSRs
        index        N MSRs in kvm.msr_index_list
        caps         N KVM capabilities
        firecracker  a Firecracker fingerprint with N CPUID modifiers
        cpuid-r      a `cpuid -r` dump with N lines for CPU 0
The first entries are the real ones of this-host.json; the rest are
distinct made-up leaves (0x4fff0000 + i / 64, subleaf i % 64)."""
import json
import os
import re
import sys


def filler(real, n, make):
    out = list(real[:n])
    i = 0
    while len(out) < n:
        out.append(make(i))
        i += 1
    return out


def entry(i):
    return {"function": "0x%08x" % (0x4fff0000 + i // 64),
            "index": "0x%08x" % (i % 64), "flags": "0x1",
            "eax": "0x%08x" % i, "ebx": "0x00000000", "ecx": "0x00000000",
            "edx": "0x00000000"}


def main():
    src, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = json.load(open(os.path.join(src, "profiles", "this-host.json")))
    kvm = base["kvm"]
    out = sys.stdout
    if kind == "cpuid-r":
        out.write("CPU 0:\n")
        for e in filler(base["raw_cpuid"], n, entry):
            out.write("   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x "
                      "edx=0x%08x\n" % tuple(int(e[k], 16) for k in (
                          "function", "index", "eax", "ebx", "ecx", "edx")))
        return
    if kind == "firecracker":
        def mod(e):
            return {"leaf": e["function"], "subleaf": e["index"], "flags": 0,
                    "modifiers": [{"register": r, "bitmap": "0b" +
                                   format(int(e[r], 16), "032b")}
                                  for r in ("eax", "ebx", "ecx", "edx")]}
        fp = {"firecracker_version": "1.10.0", "kernel_version": "6.1",
              "microcode_version": "0x1", "bios_version": "x",
              "bios_revision": "x",
              "guest_cpu_config": {
                  "kvm_capabilities": [],
                  "cpuid_modifiers": [mod(e) for e in
                                      filler(kvm["supported_cpuid"], n, entry)],
                  "msr_modifiers": []}}
        json.dump(fp, out, indent=2)
        return
    if kind.startswith("raw"):
        raw(base, kind, n, out)
        return
    if kind in ("supported", "emulated"):
        kvm[kind + "_cpuid"] = filler(kvm[kind + "_cpuid"], n, entry)
    elif kind == "msrs":
        kvm["feature_msrs"] = filler(kvm["feature_msrs"], n, lambda i: {
            "index": "0x%08x" % (0x4fff0000 + i), "value": "0x0"})
    elif kind == "index":
        kvm["msr_index_list"] = filler(kvm["msr_index_list"], n,
                                       lambda i: "0x%08x" % (0x4fff0000 + i))
    elif kind == "caps":
        kvm["capabilities"] = filler(kvm["capabilities"], n, lambda i: {
            "name": "KVM_CAP_MADE_UP_%d" % i, "id": 100000 + i, "value": 0})
    else:
        sys.exit("unknown kind " + kind)
    json.dump(base, out, indent=2)


def raw(base, kind, n, out):
    """The raw kinds, written entry by entry (a million are no burden)."""
    real = base["raw_cpuid"]
    base["raw_cpuid"] = "@RAW@"
    plain = kind == "raw"
    if plain:
        text = json.dumps(base, indent=2)
    else:
        text = json.dumps(base, separators=(",", ":"))
    if kind == "raw-general":
        text = re.sub(r'("kernel":")(.)',
                      lambda m: m.group(1) + "\\u%04x" % ord(m.group(2)),
                      text, count=1)
    head, tail = text.split('"@RAW@"')
    out.write(head + "[")
    for i in range(n):
        e = real[i] if i < len(real) else entry(i - len(real))
        if plain:
            s = "\n    " + json.dumps(e, indent=2).replace("\n", "\n    ")
        else:
            s = json.dumps({k: int(v, 16) for k, v in e.items()},
                           separators=(",", ":"))
        out.write(("," if i else "") + s)
    out.write(("\n  ]" if plain and n else "]") + tail)


main()
