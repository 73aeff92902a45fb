/* SPDX-License-Identifier: MIT */
/* profile: the host profile JSON format (docs/host-profile.md). */
#include "internal.h"

char *vcpuid_profile_to_json(const vcpuid_host *h)
{
	(void)h;
	return NULL;
}

int vcpuid_profile_parse(const char *buf, size_t len, const char *name,
			 vcpuid_host *h, vcpuid_error *err)
{
	(void)buf; (void)len; (void)h;
	return vcpuid_fail(err, VCPUID_E_UNKNOWN, "%s: not a host profile", name);
}
