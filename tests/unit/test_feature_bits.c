/* SPDX-License-Identifier: MIT */
/* Unit tests of feature_bits.h (made at build time from data/features.def
 * by src/lib/gen_feature_bits.c): each constant is the catalog's bit of that
 * name in that word, and a name with several bits in one word has them
 * all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "feature_bits.h"

/* The catalog's mask of name in word w. */
static uint64_t catalog_mask(enum vcpuid_word w, const char *name)
{
	size_t n;
	const vcpuid_feature *f = vcpuid_features(&n);
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (f[i].word == w && !strcmp(f[i].name, name))
			m |= 1ull << f[i].bit;
	return m;
}

#define SAME(w, ID, name) \
	assert_int_equal((uint64_t)FB_##w##_##ID, catalog_mask(VCPUID_W_##w, name))

static void named_bits(void **state)
{
	(void)state;
	SAME(1_ECX, XSAVE, "xsave");
	SAME(1_ECX, VMX, "vmx");
	SAME(1_ECX, HYPERVISOR, "hypervisor");
	SAME(1_EDX, PSE36, "pse36");
	SAME(7_0_EBX, INTEL_PT, "intel-pt");
	SAME(7_0_ECX, SGXLC, "sgxlc");
	SAME(7_1_EDX, APXF, "apxf");
	SAME(8000_0001_EDX, LM, "lm");
	SAME(8000_0007_EDX, INVTSC, "invtsc");
	SAME(14_0_ECX, INTEL_PT_LIP, "intel-pt-lip");
	SAME(XSAVE, XSAVES, "xsaves");
	SAME(VMX_SECONDARY, VMX_EPT, "vmx-ept");
	SAME(SGX_12_1_EAX, SGX_PROVISIONKEY, "sgx-provisionkey");
	assert_int_equal(FB_1_ECX_XSAVE, 1u << 26);
}

static void several_bits_one_name(void **state)
{
	(void)state;
	SAME(KVM, KVMCLOCK, "kvmclock");
	assert_int_equal(FB_KVM_KVMCLOCK, (1u << 0) | (1u << 3));
	SAME(VMX_EPT_VPID, VMX_INVEPT_SINGLE_CONTEXT, "vmx-invept-single-context");
	assert_int_equal(FB_VMX_EPT_VPID_VMX_INVEPT_SINGLE_CONTEXT,
			 (1ull << 25) | (1ull << 41));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_bits),
		cmocka_unit_test(several_bits_one_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
