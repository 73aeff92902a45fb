#!/usr/bin/env bash
# Build every libFuzzer target (clang, ASan+UBSan) and run each for a bounded
# time: fuzz/run.sh [SECONDS_PER_TARGET]. Seeds come from fuzz/seeds/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
[ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dfuzz=true \
	-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug >/dev/null
ninja -C build-fuzz >/dev/null
status=0
for bin in build-fuzz/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	corpus=$(mktemp -d)
	seeds=fuzz/seeds/$name
	[ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
	if "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
		"$corpus" >"$corpus.log" 2>&1; then
		echo "fuzz $name: ok ($(ls "$corpus" | wc -l) corpus files, ${secs}s)"
	else
		echo "fuzz $name: FAILED"; tail -40 "$corpus.log"; status=1
	fi
	rm -rf "$corpus" "$corpus.log"
done
exit $status
