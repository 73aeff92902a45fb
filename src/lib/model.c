/* SPDX-License-Identifier: MIT */
/* model: finding models and machine types by name. */
#include <string.h>
#include <strings.h>
#include "internal.h"

const vcpuid_model_def *vcpuid_model_find(const char *name)
{
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(m[i].name, name))
			return &m[i];
	return NULL;
}

const vcpuid_machine *vcpuid_machine_find(const char *name)
{
	size_t n;
	const vcpuid_machine *m = vcpuid_machines(&n);
	if (!name)
		return &m[n - 1];
	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}
