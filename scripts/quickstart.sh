#!/usr/bin/env bash
# Install, build, and run the main job: this host's summary (live, or a
# bundled profile when /dev/kvm cannot be opened).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
exec ./build/src/cli/vcpuid summary "$@"
