/* SPDX-License-Identifier: MIT */
/* Unit tests of the host query door (src/lib/host/query.c): vendor,
 * family/model/stepping, phys-bits, KVM capabilities, the MSR index list and
 * feature MSRs, and the host view the stages read, on hand-built hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "host/query.h"

/* A host whose CPUID instruction answers leaf 0 with "GenuineIntel" and
 * leaf 1 with signature eax1; max_ext is 0x80000000's EAX (0 = no such
 * leaf). */
static void raw_host(vcpuid_host *h, uint32_t eax1, uint32_t max_ext)
{
	vcpuid_host_init(h);
	h->has_raw = true;
	vcpuid_table *t = &h->raw;
	/* "Genu" in EBX, "ntel" in ECX, "ineI" in EDX */
	assert_non_null(vcpuid_table_add(t, 0, 0, 0, 0xd, 0x756e6547u,
					 0x6c65746eu, 0x49656e69u));
	assert_non_null(vcpuid_table_add(t, 1, 0, 0, eax1, 0, 0, 0));
	if (max_ext) {
		assert_non_null(vcpuid_table_add(t, 0x80000000u, 0, 0, max_ext,
						 0, 0, 0));
		assert_non_null(vcpuid_table_add(t, 0x80000008u, 0, 0, 0x3027,
						 0, 0, 0));
	}
}

static void vendor_and_signature(void **state)
{
	(void)state;
	vcpuid_host h;
	raw_host(&h, 0x50654, 0x80000008u); /* Skylake-SP stepping 4 */
	char v[13];
	hq_vendor(&h, v);
	assert_string_equal(v, "GenuineIntel");
	unsigned fam, model, step;
	hq_fms(&h, &fam, &model, &step);
	assert_int_equal(fam, 6);
	assert_int_equal(model, 0x55);
	assert_int_equal(step, 4);
	vcpuid_host_free(&h);

	/* AMD family 0x19: base family 0xf plus extended family 0xa */
	raw_host(&h, 0xa00f11, 0);
	hq_fms(&h, &fam, &model, &step);
	assert_int_equal(fam, 0x19);
	assert_int_equal(model, 0x01);
	assert_int_equal(step, 1);
	vcpuid_host_free(&h);
}

static void phys_bits(void **state)
{
	(void)state;
	vcpuid_host h;
	raw_host(&h, 0x50654, 0x80000008u);
	assert_int_equal(hq_phys_bits(&h), 0x27);
	vcpuid_host_free(&h);
	/* QEMU's host_cpu_phys_bits: 36 without leaf 0x80000008 */
	raw_host(&h, 0x50654, 0);
	assert_int_equal(hq_phys_bits(&h), 36);
	vcpuid_host_free(&h);
}

static void kvm_caps(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	/* no capabilities recorded: the default (a modern kernel) */
	assert_true(hq_kvm_cap(&h, TSC_CONTROL, true));
	assert_false(hq_kvm_cap(&h, TSC_CONTROL, false));
	static vcpuid_kvm_cap caps[2] = {
		{ "KVM_CAP_TSC_CONTROL", HQ_KVM_CAP_TSC_CONTROL, 1 },
		{ "KVM_CAP_SYS_ATTRIBUTES", HQ_KVM_CAP_SYS_ATTRIBUTES, 0 },
	};
	h.caps = caps;
	h.n_caps = 2;
	assert_true(hq_kvm_cap(&h, TSC_CONTROL, false));
	assert_false(hq_kvm_cap(&h, SYS_ATTRIBUTES, true));
	/* recorded others, not this one: absent */
	assert_false(hq_kvm_cap(&h, TSC_DEADLINE_TIMER, true));
	/* by id alone, whatever the name */
	assert_true(hq_kvm_cap_of(&h, "OTHER", 60, false));
	assert_int_equal(HQ_KVM_CAP_GET_MSR_FEATURES, 153);
	h.caps = NULL;
	h.n_caps = 0;
	vcpuid_host_free(&h);
}

static void msrs(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_host_init(&h);
	assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs, 0x10a, 0xeb), 0);
	/* no index list: the feature MSRs stand for it */
	assert_true(hq_has_msr_index(&h, 0x10a));
	assert_false(hq_has_msr_index(&h, 0x48b));
	hq_view v;
	uint64_t val = 0;
	hq_view_init(&v, &h, 0, NULL);
	assert_true(hq_view_feature_msr(&v, 0x10a, &val));
	assert_int_equal(val, 0xeb);
	assert_false(hq_view_feature_msr(&v, 0x345, &val));
	static uint32_t list[] = { 0x48b };
	h.msr_index_list = list;
	h.n_msr_index_list = 1;
	assert_true(hq_has_msr_index(&h, 0x48b));
	assert_false(hq_has_msr_index(&h, 0x10a));
	h.msr_index_list = NULL;
	h.n_msr_index_list = 0;
	vcpuid_host_free(&h);
}

/* The host view: the facts gathered once, the asked ones only when asked,
 * and no host at all. */
static void view(void **state)
{
	(void)state;
	vcpuid_host h;
	raw_host(&h, 0x306c3, 0x80000008u); /* Haswell (model 60) */
	assert_non_null(vcpuid_table_add(&h.raw, 0x80000002u, 0, 0, 0x65746e49u,
					 0, 0, 0)); /* "Inte" */
	assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs, 0x8b, 0x28), 0);
	hq_view v;
	assert_int_equal(hq_view_init(&v, &h, 0, NULL), 0);
	assert_true(v.present);
	assert_string_equal(v.vendor, "GenuineIntel");
	assert_true(v.intel);
	assert_false(v.amd);
	assert_int_equal(v.family, 6);
	assert_int_equal(v.model, 60);
	assert_int_equal(v.stepping, 3);
	assert_true(v.tsx_broken);
	assert_true(v.cap_tsc_control); /* no capabilities: a modern kernel */
	assert_true(v.idx_ucode_rev);	/* the feature MSRs stand for the list */
	assert_false(v.idx_arch_cap);
	assert_true(v.has_ucode_rev);
	assert_int_equal(v.ucode_rev, 0x28);
	assert_int_equal(v.n_feature_msrs, 1);
	assert_int_equal(v.brand[0], 0); /* not asked */
	assert_int_equal(hq_view_phys_bits(&v), 0x27);
	assert_int_equal(hq_view_insn(&v, 1, 0, VCPUID_EAX), 0x306c3);
	assert_int_equal(hq_view_ask(&v, HQ_ASK_BRAND, NULL), 0);
	assert_memory_equal(v.brand, "Inte", 4);
	assert_int_equal(v.asked, HQ_ASK_BRAND);
	vcpuid_host_free(&h);

	assert_int_equal(hq_view_init(&v, NULL, HQ_ASK_BRAND | HQ_ASK_XSAVE,
				      NULL), 0);
	assert_false(v.present);
	assert_int_equal(v.vendor[0], 0);
	assert_int_equal(hq_view_supported(&v, 0, 0, VCPUID_EAX), 0);
	assert_int_equal(hq_view_phys_bits(&v), 0);
	uint32_t khz = 1;
	assert_int_equal(hq_view_tsc_khz(&v, &khz, NULL), 0);
	assert_int_equal(khz, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vendor_and_signature),
		cmocka_unit_test(phys_bits),
		cmocka_unit_test(kvm_caps),
		cmocka_unit_test(msrs),
		cmocka_unit_test(view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
