#!/usr/bin/env bash
# Run every benchmark: bench/run.sh [BUILD_DIR]. Each bench_*.sh prints
#   BENCH <name>: vcpuid <value> <unit> | <peer> <value> <unit> | ratio <peer/vcpuid>x | target <t>
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD=${1:-build}
for b in bench/bench_*.sh; do
	[ -x "$b" ] && "$b"
done
