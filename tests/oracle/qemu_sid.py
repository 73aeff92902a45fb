#!/usr/bin/env python3
"""Fetch Debian sid's qemu-system-x86 and run it on this (older) system.

QEMU 11.x is not packaged for the release this project builds on, but sid's
binary packages are downloadable.  They need sid's glibc, so the QEMU binary
is started through sid's own dynamic loader with sid's library directories:

    ROOT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path ... \
        ROOT/usr/bin/qemu-system-x86_64 -L ROOT/usr/share/qemu ...

This script reads sid's package index, downloads qemu-system-x86 and the
closure of its Depends/Pre-Depends (which includes qemu-system-data, seabios
and ipxe-qemu, the firmware), checks every file against the index's SHA256,
extracts them with `dpkg-deb -x` into CACHE/<version>/root and writes

    CACHE/<version>/qemu-system-x86_64   a launcher (sh); VCPUID_SID_PRELOAD
                                         is passed to the loader's --preload
    CACHE/<version>/argv                 the command prefix, one word a line
    CACHE/<version>/VERSION              the Debian version that was used
    CACHE/current                        symlink to the newest complete one

Usage: qemu_sid.py [--cache DIR] [--offline] [--print-cmd | --print-root]
  default cache: $VCPUID_QEMU_SID_CACHE or /var/cache/vcpuid-qemu-sid
  --offline     do not read the mirror; use what the cache has
  --print-cmd   print the shell-quoted command prefix (for VCPUID_QEMU)

Idempotent: a version already complete in the cache is not downloaded again;
when the index cannot be read, the newest complete version in the cache is
used (with a note on stderr).
Exit 0 on success; 77 with one line "qemu_sid: unavailable: REASON" on stderr
when the mirror, the network or dpkg-deb does not allow it (callers skip).
"""

import argparse
import hashlib
import lzma
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

MIRROR = os.environ.get("VCPUID_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SUITE = "sid"
ARCH = "amd64"
TOP = ["qemu-system-x86", "qemu-system-data", "seabios", "ipxe-qemu"]
INDEX_MAX_AGE = 6 * 3600
UNAVAILABLE = 77


class Unavailable(Exception):
    pass


def log(msg):
    print("qemu_sid: " + msg, file=sys.stderr)


def fetch(url, dest, sha256=None, timeout=120):
    tmp = dest + ".part"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r, \
                open(tmp, "wb") as f:
            shutil.copyfileobj(r, f, 1 << 20)
    except (urllib.error.URLError, OSError) as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise Unavailable("%s: %s" % (url, getattr(e, "reason", e)))
    if sha256:
        h = hashlib.sha256()
        with open(tmp, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        if h.hexdigest() != sha256:
            os.unlink(tmp)
            raise Unavailable("%s: SHA256 mismatch with the index" % url)
    os.replace(tmp, dest)


def read_index(cache, offline):
    path = os.path.join(cache, "Packages-%s-%s" % (SUITE, ARCH))
    fresh = (os.path.exists(path)
             and time.time() - os.path.getmtime(path) < INDEX_MAX_AGE)
    if not offline and not fresh:
        url = "%s/dists/%s/main/binary-%s/Packages.xz" % (MIRROR, SUITE, ARCH)
        xz = path + ".xz"
        fetch(url, xz)
        with lzma.open(xz, "rb") as src, open(path + ".tmp", "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(path + ".tmp", path)
        os.unlink(xz)
    if not os.path.exists(path):
        raise Unavailable("no package index in %s (run without --offline)"
                          % cache)
    pkgs, provides = {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for stanza in f.read().split("\n\n"):
            fields, key = {}, None
            for line in stanza.splitlines():
                if line.startswith((" ", "\t")) and key:
                    fields[key] += "\n" + line.strip()
                elif ":" in line:
                    key, _, val = line.partition(":")
                    fields[key] = val.strip()
            name = fields.get("Package")
            if not name:
                continue
            pkgs[name] = fields
            for p in split_deps(fields.get("Provides", "")):
                provides.setdefault(p[0], name)
    return pkgs, provides


def split_deps(text):
    """'a (>= 1) | b, c' -> [['a', 'b'], ['c']] (names only)."""
    out = []
    for group in text.split(","):
        alts = [re.sub(r"[\s(\[<].*$", "", a.strip()).split(":")[0]
                for a in group.split("|")]
        alts = [a for a in alts if a]
        if alts:
            out.append(alts)
    return out


def closure(pkgs, provides):
    want, seen = list(TOP), []
    while want:
        name = want.pop()
        if name in seen:
            continue
        if name not in pkgs and name in provides:
            name = provides[name]
            if name in seen:
                continue
        if name not in pkgs:
            raise Unavailable("package %s is not in sid's index" % name)
        seen.append(name)
        f = pkgs[name]
        for group in split_deps(f.get("Depends", "")) + \
                split_deps(f.get("Pre-Depends", "")):
            pick = next((a for a in group if a in pkgs or a in provides),
                        None)
            if pick is None:
                raise Unavailable("%s: no package for dependency %s"
                                  % (name, " | ".join(group)))
            want.append(pick)
    return sorted(seen)


def launcher_argv(root):
    lib = [os.path.join(root, d) for d in
           ("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu",
            "usr/lib/x86_64-linux-gnu/ceph")]
    lib = [d for d in lib if os.path.isdir(d)]
    ldso = os.path.join(root, "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
    return [ldso, "--library-path", ":".join(lib),
            os.path.join(root, "usr/bin/qemu-system-x86_64"),
            "-L", os.path.join(root, "usr/share/qemu"),
            "-L", os.path.join(root, "usr/share/seabios"),
            "-L", os.path.join(root, "usr/lib/ipxe/qemu")]


def write_launcher(vdir, argv, version):
    with open(os.path.join(vdir, "argv.tmp"), "w") as f:
        f.write("".join(a + "\n" for a in argv))
    os.replace(os.path.join(vdir, "argv.tmp"), os.path.join(vdir, "argv"))
    sh = os.path.join(vdir, "qemu-system-x86_64")
    words = " ".join(shlex.quote(a) for a in argv[3:])
    with open(sh + ".tmp", "w") as f:
        f.write("#!/bin/sh\n"
                "# Debian sid qemu-system-x86 %s through sid's loader\n"
                "# (written by tests/oracle/qemu_sid.py).  An LD_PRELOAD\n"
                "# library goes in VCPUID_SID_PRELOAD (LD_PRELOAD would also\n"
                "# be loaded into this shell).\n"
                "set -e\n"
                "if [ -n \"$VCPUID_SID_PRELOAD\" ]; then\n"
                "  exec %s %s %s --preload \"$VCPUID_SID_PRELOAD\" %s \"$@\"\n"
                "fi\n"
                "exec %s %s %s %s \"$@\"\n"
                % (version, shlex.quote(argv[0]), argv[1],
                   shlex.quote(argv[2]), words,
                   shlex.quote(argv[0]), argv[1], shlex.quote(argv[2]),
                   words))
    os.chmod(sh + ".tmp", 0o755)
    os.replace(sh + ".tmp", sh)


def install(cache, offline):
    os.makedirs(cache, exist_ok=True)
    if offline:
        cur = os.path.join(cache, "current")
        if not os.path.exists(os.path.join(cur, "COMPLETE")):
            raise Unavailable("no complete QEMU in %s (run without --offline)"
                              % cache)
        return os.path.realpath(cur)
    try:
        pkgs, provides = read_index(cache, offline)
    except Unavailable as e:
        cur = os.path.join(cache, "current")
        if os.path.exists(os.path.join(cur, "COMPLETE")):
            log("index unavailable (%s); using the cached %s" % (e, cur))
            return os.path.realpath(cur)
        raise
    top = pkgs.get("qemu-system-x86")
    if not top:
        raise Unavailable("sid's index has no qemu-system-x86")
    version = top["Version"]
    vdir = os.path.join(cache, version.replace(":", "_"))
    if os.path.exists(os.path.join(vdir, "COMPLETE")):
        link_current(cache, vdir)
        return vdir
    if not shutil.which("dpkg-deb"):
        raise Unavailable("dpkg-deb not found")
    names = closure(pkgs, provides)
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    root = os.path.join(vdir, "root")
    if os.path.exists(vdir):
        shutil.rmtree(vdir)
    os.makedirs(root)
    manifest = []
    for name in names:
        f = pkgs[name]
        fn = f["Filename"]
        dest = os.path.join(debs, os.path.basename(fn))
        if not os.path.exists(dest):
            log("fetch %s %s" % (name, f["Version"]))
            fetch("%s/%s" % (MIRROR, fn), dest, f.get("SHA256"))
        p = subprocess.run(["dpkg-deb", "-x", dest, root],
                           capture_output=True, text=True)
        if p.returncode:
            raise Unavailable("dpkg-deb -x %s: %s"
                              % (dest, p.stderr.strip().splitlines()[-1:]))
        manifest.append("%s %s\n" % (name, f["Version"]))
    with open(os.path.join(vdir, "packages"), "w") as f:
        f.writelines(manifest)
    with open(os.path.join(vdir, "VERSION"), "w") as f:
        f.write(version + "\n")
    argv = launcher_argv(root)
    for p in argv[:1] + argv[3:4]:
        if not os.path.exists(p):
            raise Unavailable("%s missing after extraction" % p)
    write_launcher(vdir, argv, version)
    p = subprocess.run(argv + ["-version"], capture_output=True, text=True)
    if p.returncode:
        raise Unavailable("sid QEMU does not start: %s"
                          % (p.stderr.strip().splitlines() or ["?"])[-1])
    open(os.path.join(vdir, "COMPLETE"), "w").close()
    link_current(cache, vdir)
    log("QEMU %s ready in %s" % (version, vdir))
    return vdir


def link_current(cache, vdir):
    cur = os.path.join(cache, "current")
    tmp = cur + ".tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(os.path.basename(vdir), tmp)
    os.replace(tmp, cur)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default=os.environ.get(
        "VCPUID_QEMU_SID_CACHE", "/var/cache/vcpuid-qemu-sid"))
    ap.add_argument("--offline", action="store_true")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--print-cmd", action="store_true")
    g.add_argument("--print-root", action="store_true")
    a = ap.parse_args(argv)
    try:
        vdir = install(a.cache, a.offline)
    except Unavailable as e:
        print("qemu_sid: unavailable: %s" % e, file=sys.stderr)
        return UNAVAILABLE
    except OSError as e:
        print("qemu_sid: unavailable: %s" % e, file=sys.stderr)
        return UNAVAILABLE
    if a.print_cmd:
        with open(os.path.join(vdir, "argv")) as f:
            print(" ".join(shlex.quote(w) for w in f.read().splitlines()))
    elif a.print_root:
        print(os.path.join(vdir, "root"))
    else:
        with open(os.path.join(vdir, "VERSION")) as f:
            print("%s %s" % (f.read().strip(),
                             os.path.join(vdir, "qemu-system-x86_64")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
