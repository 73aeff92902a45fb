#!/usr/bin/env python3
"""Run the bad-input catalogue: every tests/badinput/*.cases file.

One case a line:  EXIT | FRAGMENT | SHELL COMMAND
  EXIT      the exit code the command must end with (0..255)
  FRAGMENT  text that must appear in what the command wrote to standard
            error (case-sensitive); '-' checks nothing; 'stdout:TEXT' looks
            in standard output instead; '!TEXT' says TEXT must NOT appear in
            standard error
  COMMAND   run by /bin/sh -c in a fresh empty directory (the current
            directory), with $VCPUID (the vcpuid binary), $SRC (the source
            tree), $SHARED ($SRC/../shared) and $CASE (this file:line) set.
            Only the two first ' | ' split: the command may hold pipes.
            A command that cannot run here (no root, no /dev/kvm, no second
            user) exits 77 and prints the reason: it counts as skipped.
Blank lines and lines starting with '#' are ignored.  A line ending in a
backslash continues on the next.

Usage: run.py VCPUID [--src DIR] [--jobs N] [--filter TEXT] [FILE.cases...]
Prints one line per failure and the closing line 'N passed, N failed,
N skipped'; exits 1 on any failure.
"""
import argparse
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def read_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        start = i
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + "\n" + lines[i]
        i += 1
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.split(" | ", 2)
        if len(parts) != 3:
            raise SystemExit(f"{path}:{start + 1}: not 'EXIT | FRAGMENT | COMMAND'")
        try:
            code = int(parts[0])
        except ValueError:
            raise SystemExit(f"{path}:{start + 1}: exit code {parts[0]!r} is not a number")
        cases.append((f"{os.path.basename(path)}:{start + 1}", code,
                      parts[1].strip(), parts[2]))
    return cases


def run_case(case, vcpuid, src, timeout):
    name, code, frag, cmd = case
    d = tempfile.mkdtemp(prefix="vcpuid-bad-")
    os.chmod(d, 0o755)
    env = dict(os.environ, VCPUID=vcpuid, SRC=src,
               SHARED=os.path.join(os.path.dirname(src), "shared"), CASE=name)
    try:
        p = subprocess.run(["/bin/sh", "-c", cmd], cwd=d, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
        rc, out, err = p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return name, "fail", f"timed out after {timeout}s: {cmd}"
    finally:
        subprocess.run(["chmod", "-R", "u+rwX", d], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)
    if rc == 77 and code != 77:
        return name, "skip", (err.strip().splitlines() or ["skipped"])[-1]
    why = []
    if rc != code:
        why.append(f"exit {rc}, expected {code}")
    if frag != "-":
        if frag.startswith("stdout:"):
            if frag[7:] not in out:
                why.append(f"stdout lacks {frag[7:]!r}")
        elif frag.startswith("!"):
            if frag[1:] in err:
                why.append(f"stderr has {frag[1:]!r}")
        elif frag not in err:
            why.append(f"stderr lacks {frag!r}")
    if why:
        tail = err.strip().splitlines()[-3:]
        return name, "fail", "; ".join(why) + f"\n    command: {cmd}\n    stderr: {tail}"
    return name, "pass", ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vcpuid")
    ap.add_argument("--src", default=os.path.dirname(os.path.dirname(HERE)))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--filter", default="")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or sorted(glob.glob(os.path.join(HERE, "*.cases")))
    cases = [c for f in files for c in read_cases(f)
             if a.filter in c[0] or a.filter in c[3]]
    vcpuid = os.path.abspath(a.vcpuid)
    src = os.path.abspath(a.src)
    counts = {"pass": 0, "fail": 0, "skip": 0}
    skips = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for name, verdict, msg in ex.map(lambda c: run_case(c, vcpuid, src, a.timeout), cases):
            counts[verdict] += 1
            if verdict == "fail":
                print(f"FAIL {name}: {msg}", flush=True)
            elif verdict == "skip":
                skips.setdefault(msg, []).append(name)
    for msg, names in skips.items():
        print(f"SKIP {len(names)} case(s) ({', '.join(names[:3])}{'...' if len(names) > 3 else ''}): {msg}")
    print(f"badinput: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
