#!/usr/bin/env bash
# BENCH lines for fleets at scale: `vcpuid baseline --migratable --jobs 2
# DIR` over 100,000 and 1,000,000 host profile files (FLEET_SCALE_N), most
# of them identical as in real fleets: copies of the four bundled Firecracker
# Intel profiles, plus 0.1% distinct variants (a copy with its own microcode
# revision and kernel string). The files are generated in a temporary
# directory at bench time: real copies up to 200,000 files, hard links to the
# four bases above that (1,000,000 copies would be 13 GB; FLEET_SCALE_LINK=1
# links always), in a directory under /dev/shm (tmpfs; FLEET_SCALE_DIR to
# change): the page cache is warm either way right after writing, and the
# shared disk of these machines writes 100,000 files in minutes. Figures are
# whole-process wall seconds beside the CPU seconds (user + system): the
# machines are shared, and the wall time grows with the load average.
# The peer is libvirt's cpu-baseline (virConnectBaselineCPU, what `virsh
# cpu-baseline --features` calls, test:///default driver; virsh itself
# refuses files over 10 MiB) given the same hosts as <cpu> XML (model 486 +
# each host's `-cpu max` features in libvirt's names, as bench_fleet.sh).
# libvirt takes ~0.25 ms per CPU and holds every XML in memory, so it runs
# on at most FLEET_SCALE_LV_MAX (100,000) CPUs; for a larger set its time
# is extrapolated linearly from that subset and the line says so.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VCPUID=$BUILD/src/cli/vcpuid
SIZES=${FLEET_SCALE_N:-100000 1000000}
LV_MAX=${FLEET_SCALE_LV_MAX:-100000}
JOBS=${FLEET_SCALE_JOBS:-2}
dir=${FLEET_SCALE_DIR:-/dev/shm}
[ -d "$dir" ] && [ -w "$dir" ] || dir=${TMPDIR:-/tmp}
tmp=$(mktemp -d -p "$dir")
trap 'rm -rf "$tmp"' EXIT

for N in $SIZES; do
python3 - "$VCPUID" "$tmp/n$N" "$N" "$LV_MAX" "$JOBS" "${FLEET_SCALE_LINK:-0}" <<'PY'
import glob, json, os, resource, subprocess, sys, time
sys.path.insert(0, "tests/helpers")
import libvirt_cpumap as lv
vcpuid, d, n, lv_max, jobs, link = sys.argv[1:7]
n, lv_max, link = int(n), int(lv_max), link == "1"
link = link or n > 200000
bases = sorted(glob.glob("profiles/fc-intel-*.json"))
raw = [open(p, "rb").read() for p in bases]
os.makedirs(d)
t0 = time.perf_counter()
nvar = max(1, n // 1000)
kinds = []          # base index of every file, for libvirt's side
basef = []
for i, b in enumerate(raw):
    f = os.path.join(d, "base-%d.json" % i)
    open(f, "wb").write(b)
    basef.append(f)
for i in range(n):
    k = i % len(raw)
    kinds.append(k)
    f = os.path.join(d, "h%07d.json" % i)
    if i % (n // nvar) == 1 and i // (n // nvar) < nvar:
        j = json.loads(raw[k])
        j["microcode"] = "0x%x" % (0x10000000 + i)
        j["kernel"] = "6.1.%d-fleet" % i
        open(f, "w").write(json.dumps(j, indent=1))
    elif link:
        os.link(basef[k], f)
    else:
        open(f, "wb").write(raw[k])
for f in basef:
    os.unlink(f)
gen = time.perf_counter() - t0

def timed(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        sys.exit("%s: exit %d: %s" % (" ".join(cmd[:3]), p.returncode, p.stderr[-300:]))
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), p.stdout

wall, cpu, out = timed([vcpuid, "baseline", "--migratable", "--json", "--jobs",
                        jobs, "--machine", "pc-i440fx-7.2", d])
b = json.loads(out)
# libvirt: the same hosts (variants have their base's features)
cat, lmap = lv.Catalog(vcpuid), lv.LibvirtMap()
xml = []
for p in bases:
    v, names = lv.host_features(vcpuid, p)
    xml.append(lv.cpu_xml(v, lmap.names_at(cat.locations(names))))
m = min(n, lv_max)
cpus = [xml[k] for k in kinds[:m]]
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
res = lv.baseline_api(cpus)
lwall = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
lcpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
del cpus
model = (res.split("<model", 1)[1].split(">", 1)[1].split("<", 1)[0]
         if "<model" in res else "?")
scale = n / m
lv_full = lwall * scale
how = ("on all %d" % n) if m == n else \
      ("on %d of them, x%.0f extrapolated" % (m, scale))
ratio = lv_full / wall if wall > 0 else float("nan")
print("fleet %d files (%s, %d distinct; generated in %.1f s): baseline %s [%s]"
      % (n, "hard links" if link else "copies", b["distinct"], gen,
         b["spec"][:60] + "...", b["level"]))
print("vcpuid: %.2f s wall, %.2f s CPU (--jobs %s); libvirt %s: %.2f s wall, "
      "%.2f s CPU, model %s; load average %.1f" % (wall, cpu, jobs, how, lwall,
                                                   lcpu, model, os.getloadavg()[0]))
print("BENCH fleet_scale_%d: vcpuid %.2f s | libvirt-cpu-baseline %.2f s%s | "
      "ratio %.1fx | target %s" % (
          n, wall, lv_full, "" if m == n else " (extrapolated from %d)" % m,
          ratio, "< 5 s" if n <= 100000 else "none"))
PY
rm -rf "$tmp/n$N"
done
