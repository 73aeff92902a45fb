#!/usr/bin/env python3
"""Edit a host cache file (docs/host-cache.md, "Format") in place the way a
damaged or hostile writer could, keeping its lengths and checksum right, so
that only the reader's checks of the contents can refuse it.

Usage: hostcache_edit.py FILE dup-cpuid|dup-msr|big-table
  dup-cpuid  the first supported CPUID entry twice
  dup-msr    the first feature MSR twice
  big-table  the supported table grown to 4,096 entries (new leaves)
"""
import struct
import sys

MASK = (1 << 64) - 1


def checksum(b):
    """vp_hostcache_checksum: FNV-1a over 64-bit words, then the tail."""
    h = 0xcbf29ce484222325
    i = 0
    while i + 8 <= len(b):
        (w,) = struct.unpack_from("<Q", b, i)
        h = ((h ^ w) * 0x100000001b3) & MASK
        h ^= h >> 29
        i += 8
    for c in b[i:]:
        h = ((h ^ c) * 0x100000001b3) & MASK
    return h


def main():
    path, what = sys.argv[1], sys.argv[2]
    b = open(path, "rb").read()
    if b[:8] != b"VCPUIDHC":
        sys.exit("not a host cache file")
    (klen,) = struct.unpack_from("<I", b, 12)
    pstart = 16 + klen + 4
    head = b[:16 + klen]
    p = b[pstart:len(b) - 8]
    off = 4                                   # API version
    (ncaps,) = struct.unpack_from("<I", p, off)
    off += 4 + ncaps * 12
    sup = off                                 # supported CPUID: n, n x 28
    (nsup,) = struct.unpack_from("<I", p, sup)
    off = sup + 4 + nsup * 28
    (nemu,) = struct.unpack_from("<I", p, off)
    msrs = off + 4 + nemu * 28                # feature MSRs: n, n x 12
    if what == "dup-cpuid":
        first = p[sup + 4:sup + 32]
        p = (p[:sup] + struct.pack("<I", nsup + 1) + first + p[sup + 4:])
    elif what == "big-table":
        extra = b"".join(struct.pack("<7I", 0x4fff0000 + i, 0, 0, i, 0, 0, 0)
                         for i in range(4096 - nsup))
        end = sup + 4 + nsup * 28
        p = p[:sup] + struct.pack("<I", 4096) + p[sup + 4:end] + extra + p[end:]
    elif what == "dup-msr":
        (nm,) = struct.unpack_from("<I", p, msrs)
        if not nm:
            sys.exit("no feature MSRs to repeat")
        first = p[msrs + 4:msrs + 16]
        p = p[:msrs] + struct.pack("<I", nm + 1) + first + p[msrs + 4:]
    else:
        sys.exit("unknown edit " + what)
    out = head + struct.pack("<I", len(p)) + p
    out += struct.pack("<Q", checksum(out))
    open(path, "wb").write(out)


main()
