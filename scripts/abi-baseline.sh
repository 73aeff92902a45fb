#!/usr/bin/env bash
# Record libvcpuid's ABI as the committed baseline, abi/libvcpuid.abi
# (docs/abi.md). Run it after an ABI change made on purpose, and commit the
# result with that change:
#     scripts/abi-baseline.sh [BUILD_DIR]      (default: build)
# The build must be the reference one (gcc, debug info, no sanitizer: what
# `meson setup build` gives). Additions are always recorded. A removed or
# changed symbol or type (a break) is recorded only when no release has
# shipped the current SONAME (abi/released-soname); otherwise this refuses
# until vcpuid_soversion in src/lib/meson.build is bumped.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
baseline=abi/libvcpuid.abi
command -v abidw >/dev/null || { echo "abidw not found: apt-get install abigail-tools (scripts/deps.sh)" >&2; exit 1; }
[ -d "$build" ] || meson setup "$build" >/dev/null
ninja -C "$build" >/dev/null
lib=$build/src/lib/libvcpuid.so
producer=$(readelf --debug-dump=info "$lib" 2>/dev/null | grep -m1 DW_AT_producer || true)
python3 - "$build" "$producer" <<'PY'
import json, sys
opts = {o['name']: o['value'] for o in
        json.load(open(sys.argv[1] + '/meson-info/intro-buildoptions.json'))}
bad = []
if 'GNU C' not in sys.argv[2]:
    bad.append('not compiled by gcc')
if opts.get('b_sanitize', 'none') != 'none':
    bad.append(f'b_sanitize={opts["b_sanitize"]}')
if not opts.get('debug', False):
    bad.append('no debug info')
if opts.get('fuzz', False):
    bad.append('fuzz=true')
if bad:
    sys.exit(f'{sys.argv[1]} is not the reference build ({", ".join(bad)}); '
             'use one made by plain `meson setup`')
PY
python3 tests/abi/check_exports.py "$lib" include
soname() { readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'; }
if [ -f "$baseline" ]; then
	rc=0
	tests/abi/check_abi.sh "$lib" include "$baseline" >/tmp/vcpuid-abi-check.$$ 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
		old=$(sed -n "1s/.*soname='\([^']*\)'.*/\1/p" "$baseline")
		new=$(soname "$lib")
		released=$(grep -v '^#' abi/released-soname | head -n1)
		if [ "$new" = "$released" ]; then
			sed '/^FAIL: libvcpuid/,$d' /tmp/vcpuid-abi-check.$$
			rm -f /tmp/vcpuid-abi-check.$$
			cat >&2 <<MSG
refusing: the ABI above breaks the baseline's, and the SONAME is still
$new, which a release has shipped (abi/released-soname). Bump
vcpuid_soversion in src/lib/meson.build, rebuild, and rerun (docs/abi.md);
or undo the change.
MSG
			exit 1
		fi
		if [ "$old" = "$new" ]; then
			echo "ABI break recorded: no release has shipped $new (abi/released-soname: $released)"
		else
			echo "ABI break recorded with the SONAME bumped: $old -> $new"
		fi
	fi
	grep -E 'changes summary|^OK' /tmp/vcpuid-abi-check.$$ || true
	rm -f /tmp/vcpuid-abi-check.$$
fi
mkdir -p abi
abidw --headers-dir include --drop-private-types --drop-undefined-syms \
	--no-corpus-path --no-comp-dir-path --no-show-locs "$lib" >"$baseline.tmp"
mv "$baseline.tmp" "$baseline"
echo "wrote $baseline: $(soname "$lib"), $(grep -c '<elf-symbol ' "$baseline") symbols"
