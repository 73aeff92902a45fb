/* SPDX-License-Identifier: MIT */
/* import_text: cpuid -r, AIDA64 and libcpuid raw dumps. */
#include "internal.h"

int vcpuid_import_text(const char *buf, size_t len, const char *name,
		       vcpuid_host *h, vcpuid_error *err)
{
	(void)buf; (void)len; (void)h;
	return vcpuid_fail(err, VCPUID_E_UNKNOWN, "%s: unknown text format", name);
}
