/* SPDX-License-Identifier: MIT */
/* Machine types and the compatibility properties they set on x86 CPUs:
 * pure data.
 *
 * A machine type stands for one QEMU release (`qemu`): vcpuid emulates that
 * release's own behaviour (the since/until ranges of the expansion and
 * filter tables), exactly as that release runs its newest machine type. So
 * no machine type here carries compat properties: on QEMU 7.2,
 * pc-i440fx-7.2 and pc-q35-7.2 have none, and neither do the newest types
 * on current QEMU. (Current QEMU running an old machine type sets, for 7.2
 * to 9.0: x-consistent-cache=false, x-vendor-cpuid-only-v2=false,
 * x-arch-cap-always-on=true, x-pdcm-on-even-without-pmu=true,
 * x-amd-topoext-features-only=false, x-l1-cache-per-thread=false,
 * guest-phys-bits=0, legacy-multi-node=on; for 9.1 to 10.0 the first four:
 * the behaviour of those releases, which vcpuid reproduces natively.)
 * "*" = every x86 CPU type. Current pc machine types resolve a bare model
 * name to v1 (checked for 11.1 in tests/conformance/golden/qemu-11.1). */
#include "internal.h"

#define END { NULL, NULL, NULL }

static const vcpuid_compat none[] = { END };

static const vcpuid_machine machines[] = {
	{ "pc-i440fx-7.2", 702, 1, none },
	{ "pc-q35-7.2", 702, 1, none },
	{ "pc-i440fx-8.0", 800, 1, none },
	{ "pc-q35-8.0", 800, 1, none },
	{ "pc-i440fx-8.1", 801, 1, none },
	{ "pc-q35-8.1", 801, 1, none },
	{ "pc-i440fx-8.2", 802, 1, none },
	{ "pc-q35-8.2", 802, 1, none },
	{ "pc-i440fx-9.0", 900, 1, none },
	{ "pc-q35-9.0", 900, 1, none },
	{ "pc-i440fx-9.1", 901, 1, none },
	{ "pc-q35-9.1", 901, 1, none },
	{ "pc-i440fx-9.2", 902, 1, none },
	{ "pc-q35-9.2", 902, 1, none },
	{ "pc-i440fx-10.0", 1000, 1, none },
	{ "pc-q35-10.0", 1000, 1, none },
	{ "pc-i440fx-10.1", 1001, 1, none },
	{ "pc-q35-10.1", 1001, 1, none },
	{ "pc-i440fx-10.2", 1002, 1, none },
	{ "pc-q35-10.2", 1002, 1, none },
	{ "pc-i440fx-11.0", 1100, 1, none },
	{ "pc-q35-11.0", 1100, 1, none },
	{ "pc-q35-11.1", 1101, 1, none },
	/* the default machine type ("pc") comes last */
	{ "pc-i440fx-11.1", 1101, 1, none },
};

const vcpuid_machine *vcpuid_machines(size_t *count)
{
	*count = ARRAY_SIZE(machines);
	return machines;
}
