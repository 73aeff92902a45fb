/* SPDX-License-Identifier: MIT */
/* probe: capture this machine (raw CPUID, KVM, kernel). */
#include "internal.h"

int vcpuid_probe_raw(vcpuid_table *t, vcpuid_error *err)
{
	(void)t;
	return vcpuid_fail(err, VCPUID_E_UNSUPPORTED, "probe: not implemented yet");
}

int vcpuid_probe(vcpuid_host *h, vcpuid_error *err)
{
	(void)h;
	return vcpuid_fail(err, VCPUID_E_UNSUPPORTED, "probe: not implemented yet");
}
