#!/usr/bin/env bash
# Install what vcpuid needs to build, test, fuzz and benchmark (Debian).
set -euo pipefail
pkgs=(build-essential meson ninja-build pkg-config libjansson-dev libcmocka-dev
      clang libclang-rt-14-dev qemu-system-x86 cpuid python3 hyperfine
      libvirt-clients libvirt-daemon libvirt-daemon-system libxml2-dev
      libxml2-utils abigail-tools python3-jsonschema)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
