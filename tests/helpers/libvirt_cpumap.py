# SPDX-License-Identifier: MIT
"""Translate between vcpuid feature names and libvirt's x86 CPU map by
CPUID / MSR location (python3, stdlib only).

A *location* is ("cpuid", leaf, subleaf, register, bit) or
("msr", index, bit). vcpuid's side comes from `vcpuid features --json`;
libvirt's names from vcpuid's own table of them,
src/lib/data/libvirt_features.def (libvirt 9.0's x86_features.xml, tied to
QEMU's names; tests/cli/test_libvirt_names.py checks it against the
installed cpu_map).

Used by tests/conformance/test_fleet_peers.py and bench/bench_fleet.sh.
"""
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

LIBVIRT_MAP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                           "..", "src", "lib", "data", "libvirt_features.def")
LIBVIRT_VENDOR = {"GenuineIntel": "Intel", "AuthenticAMD": "AMD"}
# libvirt's inputs name the model "486"; libvirt then assumes its features
# (fpu, pse, vme in cpu_map/x86_486.xml) are present on that input.
LIBVIRT_486 = ("fpu", "pse", "vme")


def _int(s):
    return int(s, 0)


class Catalog:
    """vcpuid's feature names and their locations."""

    def __init__(self, vcpuid):
        out = subprocess.run([vcpuid, "features", "--json"], check=True,
                             capture_output=True, text=True).stdout
        self.locs = {}          # name -> [loc]
        self.info = {}          # name -> first catalog entry
        for f in json.loads(out)["features"]:
            if "msr" in f:
                loc = ("msr", _int(f["msr"]), f["bit"])
            else:
                loc = ("cpuid", _int(f["leaf"]), _int(f["subleaf"]),
                       f["register"].lower(), f["bit"])
            self.locs.setdefault(f["name"], []).append(loc)
            self.info.setdefault(f["name"], f)
            for a in f.get("aliases", []):
                self.locs.setdefault(a, []).append(loc)
        self.by_loc = {}
        for name, ls in self.locs.items():
            for loc in ls:
                self.by_loc.setdefault(loc, name)

    def locations(self, names):
        s = set()
        for n in names:
            s.update(self.locs.get(n, ()))
        return s


class LibvirtMap:
    """libvirt's x86 feature names and their locations, read from
    vcpuid's table (LIBVIRT_MAP); cat is a Catalog for the QEMU names."""

    def __init__(self, cat, path=LIBVIRT_MAP):
        self.locs = {}          # name -> [loc]
        self.qemu = {}          # name -> QEMU name (None when QEMU has none)
        self.unmigratable = set()
        words = {}
        for info in cat.info.values():
            if "leaf" in info:
                words[info["word"]] = (_int(info["leaf"]), _int(info["subleaf"]),
                                       info["register"].lower())
        with open(path) as f:
            text = f.read()
        for m in re.finditer(r'^LIBVIRT_(FEATURE|BIT|CPUID)\((.*)\)\s*$', text,
                             re.M):
            kind = m.group(1)
            args = [a.strip().strip('"') for a in m.group(2).split(",")]
            name, flags = args[0], args[-1]
            if kind == "FEATURE":
                self.qemu[name] = args[1]
                ls = list(cat.locs[args[1]][:1])
            elif kind == "BIT":
                self.qemu[name] = None
                leaf, sub, reg = words[args[1]]
                ls = [("cpuid", leaf, sub, reg, int(args[2]))]
            else:
                self.qemu[name] = None
                ls = [("cpuid", _int(args[1]), _int(args[2]), args[3].lower(),
                       int(args[4]))]
            if "LV_UNMIG" in flags:
                self.unmigratable.add(name)
            self.locs[name] = ls
        self.by_loc = {}
        for name, ls in self.locs.items():
            for loc in ls:
                self.by_loc.setdefault(loc, name)

    def names_at(self, locs):
        """libvirt names whose every location is in locs."""
        return sorted(n for n, ls in self.locs.items()
                      if ls and all(l in locs for l in ls))


def host_features(vcpuid, profile, machine="pc-i440fx-7.2"):
    """(vendor, [names]) of `-cpu max` on the host: what QEMU offers there
    with migratable=on (libvirt's host-model comes from the same expansion)."""
    out = subprocess.run([vcpuid, "expand", "--cpu", "max", "--host", profile,
                          "--machine", machine,
                          "--qemu", machine.rsplit("-", 1)[1], "--json"],
                         check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    names = []
    for w in d["features"].values():
        names += w["names"]
    return d["cpu"]["vendor"], names


def cpu_xml(vendor, libvirt_names):
    feats = "".join("<feature name='%s'/>" % n for n in libvirt_names)
    return ("<cpu><arch>x86_64</arch><vendor>%s</vendor><model>486</model>%s"
            "</cpu>\n" % (LIBVIRT_VENDOR.get(vendor, vendor), feats))


def baseline(xml_path, timeout=600):
    """Run libvirt's test driver cpu-baseline --features; the required
    feature names of the result."""
    r = subprocess.run(["virsh", "-c", "test:///default", "cpu-baseline",
                        "--features", xml_path],
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode:
        raise RuntimeError("virsh cpu-baseline: " + r.stderr.strip())
    root = ET.fromstring(r.stdout)
    model = root.findtext("model")
    feats = [f.get("name") for f in root.findall("feature")
             if f.get("policy") in (None, "require")]
    return model, feats


def baseline_api(cpu_xmls, uri="test:///default"):
    """libvirt's virConnectBaselineCPU (what `virsh cpu-baseline` calls) on
    a list of <cpu> XML strings, through ctypes: virsh refuses input files
    over 10 MiB, and 10,000 CPUs are more. Flag 1 = EXPAND_FEATURES
    (--features). Returns the result XML."""
    import ctypes
    lib = ctypes.CDLL("libvirt.so.0")
    libc = ctypes.CDLL(None)
    lib.virConnectOpen.restype = ctypes.c_void_p
    lib.virConnectOpen.argtypes = [ctypes.c_char_p]
    lib.virConnectBaselineCPU.restype = ctypes.c_void_p
    lib.virConnectBaselineCPU.argtypes = [ctypes.c_void_p,
                                          ctypes.POINTER(ctypes.c_char_p),
                                          ctypes.c_uint, ctypes.c_uint]
    lib.virConnectClose.argtypes = [ctypes.c_void_p]
    libc.free.argtypes = [ctypes.c_void_p]
    conn = lib.virConnectOpen(uri.encode())
    if not conn:
        raise RuntimeError("virConnectOpen(%s) failed" % uri)
    arr = (ctypes.c_char_p * len(cpu_xmls))(*[x.encode() for x in cpu_xmls])
    try:
        p = lib.virConnectBaselineCPU(conn, arr, len(cpu_xmls), 1)
        if not p:
            raise RuntimeError("virConnectBaselineCPU failed")
        out = ctypes.string_at(p).decode()
        libc.free(p)
        return out
    finally:
        lib.virConnectClose(conn)
