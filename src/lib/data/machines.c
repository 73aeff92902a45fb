/* SPDX-License-Identifier: MIT */
/* Machine types and the compatibility properties they set on x86 CPUs:
 * pure data.
 *
 * A machine type stands for one QEMU release (`qemu`): the release whose
 * guest ABI it pins. Its compat list is the x86-CPU part of QEMU master's
 * pc_compat_* arrays for every release after it, cumulative, in the order
 * QEMU adds them (newest array first). On QEMU 7.2 itself a 7.2 machine type
 * has an empty list: these entries are exactly the behaviour changes later
 * releases made, turned back off. "*" = every x86 CPU type.
 * Device-only entries (ICH9-LPC, mch, virtio-*, intel-iommu, sev-guest) are
 * left out. Current pc machine types resolve a bare model name to v1. */
#include "internal.h"

#define COMPAT_10_0 \
	{ "*", "x-consistent-cache", "false" }, \
	{ "*", "x-vendor-cpuid-only-v2", "false" }, \
	{ "*", "x-arch-cap-always-on", "true" }, \
	{ "*", "x-pdcm-on-even-without-pmu", "true" },
#define COMPAT_9_0 \
	{ "*", "x-amd-topoext-features-only", "false" }, \
	{ "*", "x-l1-cache-per-thread", "false" }, \
	{ "*", "guest-phys-bits", "0" }, \
	{ "*", "legacy-multi-node", "on" },
#define END { NULL, NULL, NULL }

static const vcpuid_compat none[] = { END };
/* 10.1 and 10.2 added no x86 CPU compat properties. */
static const vcpuid_compat upto_10_0[] = { COMPAT_10_0 END };
/* 9.1 and 9.2 added none either. */
static const vcpuid_compat upto_9_0[] = { COMPAT_10_0 COMPAT_9_0 END };
/* 8.0, 8.1, 8.2 and 7.2 added none (device properties only). */
#define upto_7_2 upto_9_0

static const vcpuid_machine machines[] = {
	{ "pc-i440fx-7.2", 702, 1, upto_7_2 },
	{ "pc-q35-7.2", 702, 1, upto_7_2 },
	{ "pc-i440fx-8.0", 800, 1, upto_9_0 },
	{ "pc-q35-8.0", 800, 1, upto_9_0 },
	{ "pc-i440fx-8.1", 801, 1, upto_9_0 },
	{ "pc-q35-8.1", 801, 1, upto_9_0 },
	{ "pc-i440fx-8.2", 802, 1, upto_9_0 },
	{ "pc-q35-8.2", 802, 1, upto_9_0 },
	{ "pc-i440fx-9.0", 900, 1, upto_9_0 },
	{ "pc-q35-9.0", 900, 1, upto_9_0 },
	{ "pc-i440fx-9.1", 901, 1, upto_10_0 },
	{ "pc-q35-9.1", 901, 1, upto_10_0 },
	{ "pc-i440fx-9.2", 902, 1, upto_10_0 },
	{ "pc-q35-9.2", 902, 1, upto_10_0 },
	{ "pc-i440fx-10.0", 1000, 1, upto_10_0 },
	{ "pc-q35-10.0", 1000, 1, upto_10_0 },
	{ "pc-i440fx-10.1", 1001, 1, none },
	{ "pc-q35-10.1", 1001, 1, none },
	{ "pc-q35-10.2", 1002, 1, none },
	/* the default machine type ("pc") comes last */
	{ "pc-i440fx-10.2", 1002, 1, none },
};

const vcpuid_machine *vcpuid_machines(size_t *count)
{
	*count = ARRAY_SIZE(machines);
	return machines;
}
