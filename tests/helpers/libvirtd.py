# SPDX-License-Identifier: MIT
"""A real libvirtd for a test (python3, stdlib only).

    with Libvirtd(fresh=False) as d:   # d.why is None when it answers
        ...

Uses a libvirtd already answering qemu:///system, or starts one (and
virtlogd) with `libvirtd -d` and stops exactly what it started at the end.
fresh=True needs a daemon of its own (hooks are read at daemon start): it
then refuses (d.why says so) when one already runs.
"""
import os
import signal
import subprocess
import time

URI = "qemu:///system"


def _pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def _alive(pid):
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def virsh(*args, timeout=120):
    return subprocess.run(["virsh", "-c", URI] + list(args), capture_output=True,
                          text=True, timeout=timeout)


class Libvirtd:
    def __init__(self, fresh=False):
        self.fresh = fresh
        self.started = []       # (name, pid) we started
        self.why = None

    def _answers(self):
        try:
            return virsh("uri", timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def __enter__(self):
        if os.geteuid() != 0:
            self.why = "not root: qemu:///system needs root"
            return self
        for prog in ("virsh", "libvirtd"):
            if subprocess.run(["sh", "-c", "command -v " + prog],
                              capture_output=True).returncode:
                self.why = prog + " not installed (scripts/deps.sh)"
                return self
        running = _alive(_pid("/run/libvirtd.pid"))
        if running and self.fresh:
            self.why = ("a libvirtd already runs (pid %d); this test needs one "
                        "of its own (hooks are read at start): stop it first"
                        % _pid("/run/libvirtd.pid"))
            return self
        if running and self._answers():
            return self
        os.makedirs("/var/log/libvirt/qemu", exist_ok=True)
        if not _alive(_pid("/run/virtlogd.pid")):
            if subprocess.run(["virtlogd", "-d"], capture_output=True).returncode == 0:
                time.sleep(0.5)
                self.started.append(("virtlogd", _pid("/run/virtlogd.pid")))
        r = subprocess.run(["libvirtd", "-d"], capture_output=True, text=True)
        if r.returncode:
            self.why = "libvirtd -d failed: " + r.stderr.strip()
            return self
        for _ in range(100):
            pid = _pid("/run/libvirtd.pid")
            if _alive(pid) and self._answers():
                self.started.append(("libvirtd", pid))
                return self
            time.sleep(0.2)
        pid = _pid("/run/libvirtd.pid")
        if _alive(pid):
            self.started.append(("libvirtd", pid))
        self.why = "libvirtd started but qemu:///system does not answer"
        return self

    def __exit__(self, *exc):
        for name, pid in reversed(self.started):
            if not _alive(pid):
                continue
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.1)
        return False
