#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a vcpuid host profile (docs/host-profile.md) of this machine.

A stand-in for `vcpuid probe -o` usable by the oracle tests: the raw CPUID
instruction comes from `cpuid -1 -r` (package "cpuid"), the KVM part from
ioctls on /dev/kvm made with python's fcntl.ioctl:
KVM_GET_SUPPORTED_CPUID, KVM_GET_EMULATED_CPUID, KVM_GET_MSR_INDEX_LIST,
KVM_GET_MSR_FEATURE_INDEX_LIST + KVM_GET_MSRS, KVM_GET_DEVICE_ATTR
(XCOMP_GUEST_SUPP), a few KVM_CHECK_EXTENSION answers, and from a scratch
vCPU given the supported table (KVM_SET_CPUID2): its TSC rate
(KVM_GET_TSC_KHZ) and the feature MSRs KVM_SET_MSRS refuses to set to
their value (kvm.refused_msrs, e.g. 0x10A on a PVM host).

  make_profile.py [-o FILE]      (default: standard output)

Module use: live_profile() -> dict.
"""
import argparse
import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import struct
import subprocess
import sys

KVMIO = 0xAE


def _ioc(d, nr, size):
    return (d << 30) | (size << 16) | (KVMIO << 8) | nr


KVM_GET_API_VERSION = _ioc(0, 0x00, 0)
KVM_CHECK_EXTENSION = _ioc(0, 0x03, 0)
KVM_GET_MSR_INDEX_LIST = _ioc(3, 0x02, 4)
KVM_GET_SUPPORTED_CPUID = _ioc(3, 0x05, 8)
KVM_GET_EMULATED_CPUID = _ioc(3, 0x09, 8)
KVM_GET_MSR_FEATURE_INDEX_LIST = _ioc(3, 0x0a, 4)
KVM_GET_MSRS = _ioc(3, 0x88, 8)
KVM_GET_DEVICE_ATTR = _ioc(1, 0xe2, 24)
KVM_CREATE_VM = _ioc(0, 0x01, 0)
KVM_CREATE_VCPU = _ioc(0, 0x41, 0)
KVM_SET_CPUID2 = _ioc(1, 0x90, 8)
KVM_SET_MSRS = _ioc(1, 0x89, 8)
KVM_GET_TSC_KHZ = _ioc(0, 0xa3, 0)

# KVM_CHECK_EXTENSION answers QEMU 7.2 consults about CPUID/MSR decisions.
CAPS = {"KVM_CAP_TSC_CONTROL": 60, "KVM_CAP_GET_TSC_KHZ": 61,
        "KVM_CAP_ENFORCE_PV_FEATURE_CPUID": 190,
        "KVM_CAP_TSC_DEADLINE_TIMER": 72, "KVM_CAP_X86_DISABLE_EXITS": 143,
        "KVM_CAP_GET_MSR_FEATURES": 153, "KVM_CAP_SYS_ATTRIBUTES": 209,
        "KVM_CAP_XSAVE2": 208, "KVM_CAP_HYPERV": 44,
        "KVM_CAP_SYS_HYPERV_CPUID": 191}


def h32(v):
    return "0x%08x" % v


def _cpuid_ioctl(fd, req):
    n = 8
    while n <= 4096:
        buf = bytearray(struct.pack("II", n, 0) + bytes(40 * n))
        try:
            fcntl.ioctl(fd, req, buf, True)
        except OSError as e:
            if e.errno == errno.E2BIG:
                n *= 2
                continue
            raise
        nent = struct.unpack_from("I", buf, 0)[0]
        out = []
        for i in range(nent):
            f = struct.unpack_from("7I", buf, 8 + 40 * i)
            out.append({"function": h32(f[0]), "index": h32(f[1]),
                        "flags": h32(f[2]), "eax": h32(f[3]),
                        "ebx": h32(f[4]), "ecx": h32(f[5]), "edx": h32(f[6])})
        return out
    raise OSError(errno.E2BIG, "CPUID list too long")


def _msr_list(fd, req):
    buf = bytearray(struct.pack("I", 0))
    try:
        fcntl.ioctl(fd, req, buf, True)
        return []
    except OSError as e:
        if e.errno != errno.E2BIG:
            raise
    n = struct.unpack_from("I", buf, 0)[0]
    buf = bytearray(struct.pack("I", n) + bytes(4 * n))
    fcntl.ioctl(fd, req, buf, True)
    n = struct.unpack_from("I", buf, 0)[0]
    return list(struct.unpack_from("%dI" % n, buf, 4))


def _feature_msrs(fd, indices):
    out = []
    for idx in indices:
        buf = bytearray(struct.pack("IIIIQ", 1, 0, idx, 0, 0))
        r = fcntl.ioctl(fd, KVM_GET_MSRS, buf, True)
        if r == 1:
            out.append({"index": "0x%x" % idx,
                        "value": "0x%x" % struct.unpack_from("Q", buf, 16)[0]})
    return out


def _xcomp(fd):
    val = ctypes.c_uint64(0)
    attr = bytearray(struct.pack("IIQQ", 0, 0, 0, ctypes.addressof(val)))
    try:
        fcntl.ioctl(fd, KVM_GET_DEVICE_ATTR, attr, True)
    except OSError:
        return None
    return "0x%x" % val.value


def _scratch_vcpu(fd, supported, feats):
    """(tsc_khz or None, refused MSR indexes or None): a vCPU of a scratch VM given
    the supported CPUID table, as QEMU gives it a table before writing the
    feature MSRs; each non-zero feature MSR is written with its value."""
    vm = fcntl.ioctl(fd, KVM_CREATE_VM, 0)
    try:
        vcpu = fcntl.ioctl(vm, KVM_CREATE_VCPU, 0)
        try:
            khz = None
            try:
                khz = fcntl.ioctl(vcpu, KVM_GET_TSC_KHZ, 0) or None
            except OSError:
                pass
            buf = bytearray(struct.pack("II", len(supported), 0))
            for e in supported:
                buf += struct.pack("7I12x", *(int(e[k], 16) for k in (
                    "function", "index", "flags", "eax", "ebx", "ecx", "edx")))
            try:
                fcntl.ioctl(vcpu, KVM_SET_CPUID2, buf, True)
            except OSError:
                return khz, None      # refusals unknown
            refused = []
            for m in feats:
                idx, val = int(m["index"], 16), int(m["value"], 16)
                if not val:
                    continue
                msr = bytearray(struct.pack("IIIIQ", 1, 0, idx, 0, val))
                if fcntl.ioctl(vcpu, KVM_SET_MSRS, msr, True) != 1:
                    refused.append("0x%x" % idx)
            return khz, refused
        finally:
            os.close(vcpu)
    finally:
        os.close(vm)


_RAW = re.compile(r"^\s*(0x[0-9a-f]+) (0x[0-9a-f]+): eax=(0x[0-9a-f]+) "
                  r"ebx=(0x[0-9a-f]+) ecx=(0x[0-9a-f]+) edx=(0x[0-9a-f]+)")


def raw_cpuid():
    """The CPUID instruction on one CPU, via `cpuid -1 -r`; None if the
    tool is missing."""
    if not shutil.which("cpuid"):
        return None
    p = subprocess.run(["cpuid", "-1", "-r"], capture_output=True, text=True,
                       timeout=30, check=True)
    out = []
    for line in p.stdout.splitlines():
        m = _RAW.match(line)
        if m:
            v = [int(x, 16) for x in m.groups()]
            out.append({"function": h32(v[0]), "index": h32(v[1]),
                        "eax": h32(v[2]), "ebx": h32(v[3]), "ecx": h32(v[4]),
                        "edx": h32(v[5])})
    return out


def live_profile():
    prof = {"format": "vcpuid-host-profile", "version": 1,
            "source": "live", "origin": "tests/oracle/make_profile.py",
            "kernel": os.uname().release}
    raw = raw_cpuid()
    if raw is not None:
        prof["raw_cpuid"] = raw
    fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    try:
        kvm = {"api_version": fcntl.ioctl(fd, KVM_GET_API_VERSION, 0),
               "flavour": next((m for m in ("kvm_intel", "kvm_amd", "kvm_pvm")
                                if os.path.isdir("/sys/module/" + m)), "")}
        kvm["supported_cpuid"] = _cpuid_ioctl(fd, KVM_GET_SUPPORTED_CPUID)
        try:
            kvm["emulated_cpuid"] = _cpuid_ioctl(fd, KVM_GET_EMULATED_CPUID)
        except OSError:
            pass
        kvm["msr_index_list"] = ["0x%08x" % i for i in
                                 _msr_list(fd, KVM_GET_MSR_INDEX_LIST)]
        feats = []
        if fcntl.ioctl(fd, KVM_CHECK_EXTENSION, CAPS["KVM_CAP_GET_MSR_FEATURES"]):
            feats = _msr_list(fd, KVM_GET_MSR_FEATURE_INDEX_LIST)
        kvm["feature_msrs"] = _feature_msrs(fd, feats)
        x = _xcomp(fd)
        if x is not None:
            kvm["xcomp_guest_supp"] = x
        khz, refused = _scratch_vcpu(fd, kvm["supported_cpuid"],
                                     kvm["feature_msrs"])
        if khz:
            kvm["tsc_khz"] = khz
        if refused is not None:
            kvm["refused_msrs"] = refused
        kvm["capabilities"] = [{"name": n, "id": i,
                        "value": fcntl.ioctl(fd, KVM_CHECK_EXTENSION, i)}
                       for n, i in sorted(CAPS.items(), key=lambda c: c[1])]
    finally:
        os.close(fd)
    prof["kvm"] = kvm
    return prof


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args(argv)
    if not os.path.exists("/dev/kvm"):
        print("make_profile: /dev/kvm missing", file=sys.stderr)
        return 77
    text = json.dumps(live_profile(), indent=1) + "\n"
    if a.output == "-":
        sys.stdout.write(text)
    else:
        tmp = a.output + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
