/* SPDX-License-Identifier: MIT */
/* Machine types and their CPU compatibility properties: pure data. */
#include "internal.h"

static const vcpuid_compat none[] = { { NULL, NULL, NULL } };

static const vcpuid_machine machines[] = {
	{ "pc-i440fx-7.2", 702, 1, none },
	{ "pc-q35-7.2", 702, 1, none },
};

const vcpuid_machine *vcpuid_machines(size_t *count)
{
	*count = ARRAY_SIZE(machines);
	return machines;
}
