#!/usr/bin/env bash
# BENCH lines for the fleet commands, beside libvirt in the same run:
#  fleet_baseline      vcpuid_baseline_compute over 10,000 generated hosts
#  fleet_compare       vcpuid_compare of one spec against the 10,000 hosts
#  fleet_baseline_cli  `vcpuid baseline --migratable DIR` whole process
#                      (reads the 10,000 profile files)
#  fleet_compare_cli   `vcpuid compare --cpu SPEC --host DIR` whole process
# The peer is libvirt's cpu-baseline (test:///default driver, --features) on
# the same 10,000 CPUs, each host as model 486 + the features `-cpu max` has
# there, named as libvirt names them (tests/helpers/libvirt_cpumap.py). virsh
# refuses files over 10 MiB, so virConnectBaselineCPU, the function virsh
# calls, is called through python ctypes with the 10,000 <cpu> strings.
# libvirt's test driver has no cpu-compare (virConnectCompareCPU is not
# supported there), so its cpu-baseline is the peer of the compare lines too.
# Hosts: bench/bench_fleet.c, seeded (FLEET_SEED), from the bundled profiles
# of the most common vendor. Figures are CPU seconds (user + system) of the
# work, the machine being shared by other jobs; wall seconds on a line above.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VCPUID=$BUILD/src/cli/vcpuid
N=${FLEET_N:-10000}
SEED=${FLEET_SEED:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/hosts"

# Same-vendor base profiles: the bundled ones of the most common vendor.
mapfile -t base < <(python3 - "$VCPUID" <<'PY'
import glob, sys
sys.path.insert(0, "tests/helpers")
import libvirt_cpumap as lv
by = {}
for p in sorted(glob.glob("profiles/*.json")):
    by.setdefault(lv.host_features(sys.argv[1], p)[0], []).append(p)
print("\n".join(max(by.values(), key=len)))
PY
)

out=$("$BUILD/bench/bench_fleet" -n "$N" -s "$SEED" -w "$tmp/hosts" \
	-f "$tmp/features.txt" "${base[@]}")
read -r _ base_cpu base_wall base_spec < <(grep '^baseline_s' <<<"$out")
read -r _ cmp_cpu cmp_wall cmp_bad cmp_spec < <(grep '^compare_s' <<<"$out")

# Whole processes and libvirt: CPU time of the child (resource.RUSAGE_CHILDREN).
read -r bcli_cpu bcli_wall ccli_cpu ccli_wall lv_cpu lv_wall lv_model < <(
python3 - "$VCPUID" "$tmp" "$cmp_spec" <<'PY'
import os, resource, subprocess, sys, time
sys.path.insert(0, "tests/helpers")
import libvirt_cpumap as lv
vcpuid, tmp, spec = sys.argv[1:4]

def timed(cmd, ok=(0,)):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in ok:
        sys.exit("%s: exit %d: %s" % (cmd[:3], p.returncode, p.stderr[-300:]))
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return cpu, wall, p.stdout

hosts = os.path.join(tmp, "hosts")
b = timed([vcpuid, "baseline", "--migratable", "--machine", "pc-i440fx-7.2",
           hosts])
c = timed([vcpuid, "compare", "--cpu", spec, "--machine", "pc-i440fx-7.2",
           "--host", hosts], ok=(0, 1))
cat = lv.Catalog(vcpuid)
lmap = lv.LibvirtMap(cat)
xmls = []
with open(os.path.join(tmp, "features.txt")) as f:
    for line in f:
        vendor, *names = line.split()
        xmls.append(lv.cpu_xml(vendor, lmap.names_at(cat.locations(names))))
# virsh refuses input files over 10 MiB (10,000 CPUs are ~22 MiB): call the
# function `virsh cpu-baseline --features` calls, in this process.
r0 = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
res = lv.baseline_api(xmls)
lwall = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_SELF)
lcpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
l = (lcpu, lwall, res)
model = (res.split("<model", 1)[1].split(">", 1)[1].split("<", 1)[0]
         if "<model" in res else "?")
print("%.4f %.4f %.4f %.4f %.4f %.4f %s" % (b[0], b[1], c[0], c[1], l[0], l[1],
                                          model))
PY
)

ratio() { python3 -c "a,b=float('$1'),float('$2'); print('%.1f' % (b/a) if a>0 else 'nan')"; }
echo "hosts: $N generated (seed $SEED) from ${base[*]}"
echo "baseline: $base_spec"
echo "compare: $cmp_spec -> $cmp_bad of $N hosts incompatible"
echo "libvirt cpu-baseline model: $lv_model"
echo "wall seconds: baseline $base_wall, compare $cmp_wall, baseline_cli $bcli_wall, compare_cli $ccli_wall, libvirt $lv_wall"
echo "BENCH fleet_baseline: vcpuid $base_cpu s | libvirt-cpu-baseline $lv_cpu s | ratio $(ratio "$base_cpu" "$lv_cpu")x | target <= 1 s"
echo "BENCH fleet_compare: vcpuid $cmp_cpu s | libvirt-cpu-baseline $lv_cpu s | ratio $(ratio "$cmp_cpu" "$lv_cpu")x | target <= 0.5 s"
echo "BENCH fleet_baseline_cli: vcpuid $bcli_cpu s | libvirt-cpu-baseline $lv_cpu s | ratio $(ratio "$bcli_cpu" "$lv_cpu")x | target none (reads $N profile files)"
echo "BENCH fleet_compare_cli: vcpuid $ccli_cpu s | libvirt-cpu-baseline $lv_cpu s | ratio $(ratio "$ccli_cpu" "$lv_cpu")x | target none (reads $N profile files)"
