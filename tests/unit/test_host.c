/* SPDX-License-Identifier: MIT */
/* host/host.c: the host container (init, free, a KVM capability by name)
 * and the public vendor answer, on hand-built hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

/* "GenuineIntel" / "AuthenticAMD" as leaf 0 EBX, EDX, ECX */
#define INTEL_B 0x756e6547u
#define INTEL_D 0x49656e69u
#define INTEL_C 0x6c65746eu
#define AMD_B 0x68747541u
#define AMD_D 0x69746e65u
#define AMD_C 0x444d4163u

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

static void init_zeroes_everything(void **state)
{
	(void)state;
	vcpuid_host h;
	memset(&h, 0xa5, sizeof(h));
	vcpuid_host_init(&h);
	assert_true(all_zero(&h, sizeof(h)));
	assert_null(h.raw.e);
	assert_false(h.has_kvm);
	assert_int_equal(h.n_caps, 0);
}

static void free_releases_and_reinits(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	assert_non_null(vcpuid_table_add(&h.raw, 0, 0, 0, 0xd, INTEL_B, INTEL_C, INTEL_D));
	assert_non_null(vcpuid_table_add(&h.supported, 7, 0, 1, 0, 1, 0, 0));
	assert_non_null(vcpuid_table_add(&h.emulated, 1, 0, 0, 0, 0, 1, 0));
	assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs, 0x10a, 0xeb), 0);
	h.msr_index_list = calloc(3, sizeof(uint32_t));
	h.n_msr_index_list = 3;
	h.refused_msrs = calloc(1, sizeof(uint32_t));
	h.n_refused_msrs = 1;
	h.caps = calloc(2, sizeof(*h.caps));
	h.n_caps = 2;
	h.cpuinfo_flags = strdup("fpu vme");
	h.has_kvm = true;
	snprintf(h.source, sizeof(h.source), "x.json");
	vcpuid_host_free(&h);
	/* everything freed (ASan's leak check would say otherwise) and the
	 * host is an empty one again, safe to free twice */
	assert_true(all_zero(&h, sizeof(h)));
	vcpuid_host_free(&h);
	assert_true(all_zero(&h, sizeof(h)));
}

static void cap_by_exact_name(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	assert_null(vcpuid_host_cap(&h, "KVM_CAP_XSAVE"));
	h.caps = calloc(3, sizeof(*h.caps));
	h.n_caps = 3;
	snprintf(h.caps[0].name, sizeof(h.caps[0].name), "KVM_CAP_HLT");
	h.caps[0].id = 1;
	h.caps[0].value = 1;
	snprintf(h.caps[1].name, sizeof(h.caps[1].name), "KVM_CAP_XSAVE");
	h.caps[1].id = 55;
	h.caps[1].value = 1;
	snprintf(h.caps[2].name, sizeof(h.caps[2].name), "KVM_CAP_MAX_VCPUS");
	h.caps[2].id = 66;
	h.caps[2].value = 4096;
	const vcpuid_kvm_cap *c = vcpuid_host_cap(&h, "KVM_CAP_MAX_VCPUS");
	assert_ptr_equal(c, &h.caps[2]);
	assert_int_equal(c->id, 66);
	assert_int_equal(c->value, 4096);
	assert_ptr_equal(vcpuid_host_cap(&h, "KVM_CAP_HLT"), &h.caps[0]);
	/* exact: no prefix, no case folding, nothing past n_caps */
	assert_null(vcpuid_host_cap(&h, "KVM_CAP_XSAV"));
	assert_null(vcpuid_host_cap(&h, "kvm_cap_xsave"));
	assert_null(vcpuid_host_cap(&h, "KVM_CAP_XSAVE2"));
	h.n_caps = 2;
	assert_null(vcpuid_host_cap(&h, "KVM_CAP_MAX_VCPUS"));
	h.n_caps = 3;
	vcpuid_host_free(&h);
}

static void vendor_prefers_kvm_table(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	char v[13];
	/* nothing known: twelve NULs */
	memset(v, 'x', sizeof(v));
	vcpuid_host_vendor(&h, v);
	assert_true(all_zero(v, sizeof(v)));
	/* raw only */
	vcpuid_table_add(&h.raw, 0, 0, 0, 0x20, INTEL_B, INTEL_C, INTEL_D);
	h.has_raw = true;
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "GenuineIntel");
	/* a KVM part that says otherwise wins (a guest's leaf 0 comes from
	 * KVM's table) */
	vcpuid_table_add(&h.supported, 0, 0, 0, 0x10, AMD_B, AMD_C, AMD_D);
	h.has_kvm = true;
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "AuthenticAMD");
	/* has_kvm false: the KVM table is not read */
	h.has_kvm = false;
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "GenuineIntel");
	vcpuid_host_free(&h);
}

static void vendor_of_bundled_profile(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_host_load(VCPUID_BUILD_PROFILE_DIR
					  "/intel-sapphirerapids-pvm.json", &h, &err), 0);
	char v[13];
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "GenuineIntel");
	vcpuid_host_free(&h);
	assert_int_equal(vcpuid_host_load(VCPUID_BUILD_PROFILE_DIR
					  "/fc-amd-genoa-6.1.json", &h, &err), 0);
	vcpuid_host_vendor(&h, v);
	assert_string_equal(v, "AuthenticAMD");
	vcpuid_host_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_zeroes_everything),
		cmocka_unit_test(free_releases_and_reinits),
		cmocka_unit_test(cap_by_exact_name),
		cmocka_unit_test(vendor_prefers_kvm_table),
		cmocka_unit_test(vendor_of_bundled_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
