#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_load.sh: loading very large tables (issue 14, item 11). `vcpuid
# decode FILE` as a whole process on host inputs with many raw CPUID
# entries, made by tests/helpers/big_input.py: a host profile as vcpuid
# writes it (indented), the same compact, the same with one JSON escape (the
# general jansson reader), and a `cpuid -r` dump; 4,096 entries (the limit
# of a raw table: loaded), 160,000 and 1,400,000 (refused at a limit,
# docs/exit-codes.md "Limits"). Median CPU time (user + system; the wall
# time on stderr: it says more about other load) of $RUNS runs each; with
# VCPUID_BEFORE=path/to/an/older/vcpuid the same runs of that binary, each
# cut at $BEFORE_TIMEOUT seconds, are the peer. stderr has every input.
# Output (stdout; the slowest input of each size; ratio = before / now):
#   BENCH load-4096: vcpuid <ms> ms | before <ms> ms | ratio <x>x | target none (the limit, loaded)
#   BENCH load-160k: vcpuid <ms> ms | before <ms> ms | ratio <x>x | target < 200 ms
#   BENCH load-1.4M: vcpuid <ms> ms | before <ms> ms | ratio <x>x | target < 1000 ms
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
VCPUID=$BUILD/src/cli/vcpuid
RUNS=${RUNS:-5}
BEFORE=${VCPUID_BEFORE:-}
BEFORE_TIMEOUT=${BEFORE_TIMEOUT:-30}
[ -x "$VCPUID" ] || { echo "BENCH load: skipped (no $VCPUID)"; exit 0; }
command -v python3 >/dev/null || { echo "BENCH load: skipped (no python3)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_ms BIN FILE CUT -> "<ms> <exit> <wall ms>": the median over RUNS runs
# of the CPU time (user + system: the machine may be shared; the wall time
# is printed beside it), each run cut at CUT seconds (then ">CUT000 124").
run_ms() {
	python3 - "$1" "$2" "$3" "$RUNS" <<'PY'
import resource, statistics, subprocess, sys, time
binary, path, cut, runs = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
cpu, wall, rc = [], [], 0
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        rc = subprocess.run([binary, "decode", path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=cut,
                            preexec_fn=limit).returncode
    except subprocess.TimeoutExpired:
        print(">%d 124 >%d" % (cut * 1000, cut * 1000))
        sys.exit(0)
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    wall.append((t1 - t0) * 1000)
print("%.1f %d %.1f" % (statistics.median(cpu), rc, statistics.median(wall)))
PY
}

declare -A worst worst_before
for n in 4096 160000 1400000; do
	worst[$n]=0
	worst_before[$n]=0
	kinds="raw raw-compact raw-general cpuid-r"
	# 1.4M: the compact profile (112 MB) and the dump (110 MB); the
	# indented one would be 280 MB of disk for the same refusal
	[ "$n" = 1400000 ] && kinds="raw-compact cpuid-r"
	for kind in $kinds; do
		f=$tmp/$kind-$n
		python3 tests/helpers/big_input.py . "$kind" "$n" >"$f"
		read -r ms rc wall < <(run_ms "$VCPUID" "$f" 10)
		line="bench_load: $kind, $n entries ($(($(stat -c %s "$f") / 1024)) KiB): $ms ms CPU ($wall ms wall), exit $rc"
		worst[$n]=$(awk -v a="${worst[$n]}" -v b="${ms#>}" 'BEGIN {print (b > a ? b : a)}')
		if [ -n "$BEFORE" ]; then
			read -r bms brc bwall < <(run_ms "$BEFORE" "$f" "$BEFORE_TIMEOUT")
			line="$line | before: $bms ms CPU ($bwall ms wall), exit $brc"
			worst_before[$n]=$(awk -v a="${worst_before[$n]}" -v b="${bms#>}" \
				'BEGIN {print (b > a ? b : a)}')
		fi
		echo "$line" >&2
		rm -f "$f"
	done
done

bench() {	# bench NAME N TARGET
	local b=- r=-
	if [ -n "$BEFORE" ]; then
		b="${worst_before[$2]} ms"
		r=$(awk -v a="${worst[$2]}" -v b="${worst_before[$2]}" \
			'BEGIN {printf "%.0fx", b / (a > 0 ? a : 0.1)}')
		[ "${worst_before[$2]}" = "${BEFORE_TIMEOUT}000" ] && b=">$b" && r=">$r"
	fi
	echo "BENCH $1: vcpuid ${worst[$2]} ms | before $b | ratio $r | target $3"
}
bench load-4096 4096 "none (the limit, loaded)"
bench load-160k 160000 "< 200 ms"
bench load-1.4M 1400000 "< 1000 ms"
