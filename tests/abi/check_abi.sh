#!/bin/sh
# SPDX-License-Identifier: MIT
# Compare libvcpuid.so with the committed ABI baseline (docs/abi.md).
#   check_abi.sh LIBVCPUID.so INCLUDE_DIR BASELINE.abi
# Exit 0: the same ABI, or only additions (listed, allowed). Exit 1: a
# removed or changed symbol or type, or a different SONAME: an ABI break,
# which must be on purpose (scripts/abi-baseline.sh records it; docs/abi.md).
# Exit 77: abidiff is not installed (scripts/deps.sh installs abigail-tools).
set -u
lib=$1 include=$2 baseline=$3
if ! command -v abidiff >/dev/null 2>&1; then
	echo "SKIP: abidiff not found (apt-get install abigail-tools; scripts/deps.sh does)"
	exit 77
fi
if [ ! -f "$baseline" ]; then
	echo "FAIL: no ABI baseline at $baseline (scripts/abi-baseline.sh writes it)"
	exit 1
fi
# abidiff's exit status is a bit field: 1 error, 2 usage, 4 ABI change,
# 8 incompatible change. Additions alone are a change (4), so the verdict
# comes from a run that leaves additions out.
abidiff --no-added-syms --drop-private-types --hd2 "$include" "$baseline" "$lib" \
	>/dev/null 2>&1
verdict=$?
echo "== abidiff $baseline $lib"
abidiff --drop-private-types --hd2 "$include" "$baseline" "$lib"
full=$?
if [ $((verdict & 3)) -ne 0 ] || [ $((full & 3)) -ne 0 ]; then
	echo "FAIL: abidiff could not compare (exit $verdict/$full)"
	exit 1
fi
if [ "$verdict" -ne 0 ]; then
	cat <<MSG
FAIL: libvcpuid's ABI differs from the committed baseline beyond additions
(removed or changed functions or types: exit $verdict). If that is a
mistake, restore the old interface. If it is on purpose: run
scripts/abi-baseline.sh (it says when the SONAME must be bumped first) and
commit the new abi/libvcpuid.abi with the change (docs/abi.md).
MSG
	exit 1
fi
if [ "$full" -ne 0 ]; then
	echo "OK: only additions to the ABI (allowed; scripts/abi-baseline.sh records them)"
else
	echo "OK: the ABI is the baseline's"
fi
exit 0
