#!/usr/bin/env bash
# BENCH lines for expansion:
#  expand       one vcpuid_cpu_expand (Skylake-Server-v4 on this host), median
#               microseconds, beside QEMU 7.2's query-cpu-definitions time
#               divided by the number of models it expands
#  models_host  `vcpuid models --host P` whole process (every model expanded
#               and filtered) beside QEMU answering query-cpu-definitions
#               (QEMU started with -S and QMP beforehand; only the query is
#               timed, median of 5)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VCPUID=$BUILD/src/cli/vcpuid
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prof=$tmp/host.json
if ! "$VCPUID" probe -o "$prof" >/dev/null 2>&1; then
	prof=bundled:this-host
fi
read -r _ exp_us _ < <("$BUILD/bench/bench_expand" "$prof" Skylake-Server-v4 5000)

# vcpuid models --host: median wall time of 11 runs, ms
models_ms=$(python3 - "$VCPUID" "$prof" <<'PY'
import subprocess, sys, time
v, p = sys.argv[1], sys.argv[2]
ts = []
for _ in range(11):
    t = time.perf_counter()
    subprocess.run([v, "models", "--machine", "pc-i440fx-7.2", "--host", p],
                   stdout=subprocess.DEVNULL, check=True)
    ts.append((time.perf_counter() - t) * 1e3)
print("%.2f" % sorted(ts)[len(ts) // 2])
PY
)

# QEMU: query-cpu-definitions round trip, ms, and how many models it has
read -r q_ms q_n < <(python3 - <<'PY'
import json, os, select, shutil, subprocess, sys, time
q = shutil.which("qemu-system-x86_64")
accel = "kvm" if os.access("/dev/kvm", os.R_OK | os.W_OK) else "tcg"
if not q:
    print("nan 0"); sys.exit(0)
p = subprocess.Popen([q, "-accel", accel, "-machine", "pc-i440fx-7.2", "-S",
                      "-nodefaults", "-display", "none", "-qmp", "stdio"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL)
buf = b""
def msg():
    global buf
    while b"\n" not in buf:
        buf += os.read(p.stdout.fileno(), 1 << 20)
    line, buf = buf.split(b"\n", 1)
    return json.loads(line)
def cmd(c):
    p.stdin.write((json.dumps({"execute": c}) + "\n").encode()); p.stdin.flush()
    while True:
        m = msg()
        if "return" in m or "error" in m:
            return m
msg(); cmd("qmp_capabilities")
ts, n = [], 0
for _ in range(5):
    t = time.perf_counter()
    r = cmd("query-cpu-definitions")
    ts.append((time.perf_counter() - t) * 1e3)
    n = len(r.get("return", []))
cmd("quit"); p.wait(timeout=10)
print("%.2f %d" % (sorted(ts)[2], n))
PY
)
per_model_us=$(python3 -c "import sys; q,n=float('$q_ms'),int('$q_n'); print('%.2f' % (q*1000/n if n else float('nan')))")
ratio() { python3 -c "a,b=float('$1'),float('$2'); print('%.1f' % (b/a) if a>0 else 'nan')"; }
echo "BENCH expand: vcpuid $exp_us us | qemu-query-cpu-definitions-per-model $per_model_us us | ratio $(ratio "$exp_us" "$per_model_us")x | target <= 20 us"
echo "BENCH models_host: vcpuid $models_ms ms | qemu-query-cpu-definitions $q_ms ms | ratio $(ratio "$models_ms" "$q_ms")x | target faster than QEMU's query"
