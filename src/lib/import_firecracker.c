/* SPDX-License-Identifier: MIT */
/* import_firecracker: Firecracker CPU fingerprints as host profiles. */
#include "internal.h"

int vcpuid_import_firecracker(const char *buf, size_t len, const char *name,
			      vcpuid_host *h, vcpuid_error *err)
{
	(void)buf; (void)len; (void)h;
	return vcpuid_fail(err, VCPUID_E_UNKNOWN, "%s: not a Firecracker fingerprint", name);
}
