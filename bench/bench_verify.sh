#!/usr/bin/env bash
# BENCH verify: whole-process `vcpuid verify --cpu host --smp 2` (apply the
# table and feature MSRs to 2 vCPUs of a scratch VM, run the probe guest on
# both, compare) beside the time QEMU 7.2 takes from execve to its first
# KVM_RUN for the same CPU (-cpu host -smp 2), measured with
# strace --seccomp-bpf -ttt -e trace=execve,ioctl (only those two syscalls
# stop, so the tracing overhead is small but not zero). Medians of N runs.
# Usage: bench/bench_verify.sh [BUILD_DIR]  (env RUNS, default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-${BUILD:-build}}
V=$BUILD/src/cli/vcpuid
RUNS=${RUNS:-15}
[ -e /dev/kvm ] || { echo "BENCH verify: skipped (no /dev/kvm)"; exit 0; }
[ -x "$V" ] || { echo "bench_verify: build $V first" >&2; exit 1; }
python3 - "$V" "$RUNS" <<'PY'
import os, re, statistics, subprocess, sys, tempfile, time
v, runs = sys.argv[1], int(sys.argv[2])
ours, cpu = [], []
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([v, "verify", "--cpu", "host", "--smp", "2",
                          "--machine", "pc-i440fx-7.2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    ours.append((time.perf_counter() - t0) * 1000)
    cpu.append((ru.ru_utime + ru.ru_stime) * 1000)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"bench_verify: vcpuid verify exited {status}")
peer = []
for _ in range(max(3, runs // 3)):
    with tempfile.NamedTemporaryFile(suffix=".strace") as tr:
        p = subprocess.Popen(["strace", "-f", "--seccomp-bpf", "-ttt", "-e",
                              "trace=execve,ioctl", "-o", tr.name,
                              "qemu-system-x86_64", "-accel", "kvm", "-machine",
                              "pc-i440fx-7.2", "-cpu", "host", "-smp", "2",
                              "-nodefaults", "-display", "none", "-monitor",
                              "none", "-serial", "none"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = run = None
        deadline = time.time() + 10
        while time.time() < deadline and run is None:
            time.sleep(0.05)
            for line in open(tr.name, errors="replace"):
                m = re.match(r"\d+\s+(\d+\.\d+)\s+(execve|ioctl)\((.*)", line)
                if not m:
                    continue
                if m.group(2) == "execve" and start is None:
                    start = float(m.group(1))
                if "KVM_RUN" in m.group(3) and run is None:
                    run = float(m.group(1))
        p.kill()
        p.wait()
        if start is None or run is None:
            sys.exit("bench_verify: no KVM_RUN seen from QEMU")
        peer.append((run - start) * 1000)
a, b = statistics.median(ours), statistics.median(peer)
print(f"bench_verify: vcpuid min {min(ours):.1f} ms, median CPU time "
      f"{statistics.median(cpu):.1f} ms, load average {os.getloadavg()[0]:.1f}",
      file=sys.stderr)
print(f"BENCH verify: vcpuid {a:.1f} ms | qemu-7.2-to-first-KVM_RUN {b:.1f} ms "
      f"| ratio {b / a:.1f}x | target <= 50 ms")
PY
