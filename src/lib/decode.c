/* SPDX-License-Identifier: MIT */
/* decode: a CPUID table as a person reads it. */
#include <string.h>
#include "internal.h"

void vcpuid_signature(uint32_t eax, const char *vendor, uint32_t *family,
		      uint32_t *model, uint32_t *stepping)
{
	(void)vendor;
	uint32_t bf = (eax >> 8) & 0xf, bm = (eax >> 4) & 0xf;
	*stepping = eax & 0xf;
	*family = bf == 0xf ? bf + ((eax >> 20) & 0xff) : bf;
	*model = (bf == 0x6 || bf == 0xf) ? (((eax >> 16) & 0xf) << 4) | bm : bm;
}

int vcpuid_decode(const vcpuid_table *t, const vcpuid_msr_list *msrs,
		  vcpuid_decoded *d, vcpuid_error *err)
{
	(void)t; (void)msrs; (void)d;
	return vcpuid_fail(err, VCPUID_E_UNSUPPORTED, "decode: not implemented yet");
}
