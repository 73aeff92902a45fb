/* SPDX-License-Identifier: MIT */
/* Machine types and the QEMU releases vcpuid emulates: pure data.
 *
 * Each row is a machine type run by its own release (qemu == type), as
 * that release runs its newest machine type: no compat properties. A
 * newer QEMU running an older type sets CPU properties back through
 * hw/i386/pc.c's pc_compat_X_Y arrays: those rows are data/pc_compat.def,
 * applied by vcpuid_machine_in() (model.c) for "pc-i440fx-7.2@11.1" and
 * the commands' --qemu option. "*" = every x86 CPU type. Current pc
 * machine types resolve a bare model name to v1 (checked for 11.1 in
 * tests/conformance/golden/qemu-11.1). */
#include "internal.h"

#define END { NULL, NULL, NULL }

static const vcpuid_compat none[] = { END };

static const vcpuid_machine machines[] = {
	{ "pc-i440fx-7.2", 702, 1, none, 702 },
	{ "pc-q35-7.2", 702, 1, none, 702 },
	{ "pc-i440fx-8.0", 800, 1, none, 800 },
	{ "pc-q35-8.0", 800, 1, none, 800 },
	{ "pc-i440fx-8.1", 801, 1, none, 801 },
	{ "pc-q35-8.1", 801, 1, none, 801 },
	{ "pc-i440fx-8.2", 802, 1, none, 802 },
	{ "pc-q35-8.2", 802, 1, none, 802 },
	{ "pc-i440fx-9.0", 900, 1, none, 900 },
	{ "pc-q35-9.0", 900, 1, none, 900 },
	{ "pc-i440fx-9.1", 901, 1, none, 901 },
	{ "pc-q35-9.1", 901, 1, none, 901 },
	{ "pc-i440fx-9.2", 902, 1, none, 902 },
	{ "pc-q35-9.2", 902, 1, none, 902 },
	{ "pc-i440fx-10.0", 1000, 1, none, 1000 },
	{ "pc-q35-10.0", 1000, 1, none, 1000 },
	{ "pc-i440fx-10.1", 1001, 1, none, 1001 },
	{ "pc-q35-10.1", 1001, 1, none, 1001 },
	{ "pc-i440fx-10.2", 1002, 1, none, 1002 },
	{ "pc-q35-10.2", 1002, 1, none, 1002 },
	{ "pc-i440fx-11.0", 1100, 1, none, 1100 },
	{ "pc-q35-11.0", 1100, 1, none, 1100 },
	{ "pc-q35-11.1", 1101, 1, none, 1101 },
	/* the default machine type ("pc") comes last */
	{ "pc-i440fx-11.1", 1101, 1, none, 1101 },
};

/* Every QEMU release with machine types here, oldest first: the values of
 * --qemu (the releases a binary can be). */
static const uint16_t releases[] = {
	702, 800, 801, 802, 900, 901, 902, 1000, 1001, 1002, 1100, 1101,
};

const uint16_t *vcpuid_qemu_releases(size_t *count)
{
	*count = ARRAY_SIZE(releases);
	return releases;
}

const vcpuid_machine *vcpuid_machines(size_t *count)
{
	*count = ARRAY_SIZE(machines);
	return machines;
}
