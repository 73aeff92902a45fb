/* SPDX-License-Identifier: MIT */
/* KVM's CPUID answer rules and the probe request (no /dev/kvm needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "vcpuid.h"

#define IDX VCPUID_FLAG_SIGNIFICANT_INDEX

static void intel_table(vcpuid_table *t, bool amd)
{
	vcpuid_table_init(t);
	if (amd) /* "AuthenticAMD" */
		vcpuid_table_add(t, 0, 0, 0, 0xd, 0x68747541, 0x444d4163, 0x69746e65);
	else	 /* "GenuineIntel" */
		vcpuid_table_add(t, 0, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	vcpuid_table_add(t, 1, 0, 0, 0x906a0, 0x01020800, 0x80202001, 0x0f8bfbff);
	vcpuid_table_add(t, 0xb, 0, IDX, 1, 1, 0x100, 3);
	vcpuid_table_add(t, 0xb, 1, IDX, 4, 2, 0x201, 3);
	vcpuid_table_add(t, 0xd, 0, IDX, 7, 0x340, 0x340, 0);
	vcpuid_table_add(t, 0xd, 1, IDX, 1, 0, 0, 0);
	vcpuid_table_add(t, 0x40000000, 0, 0, 0x40000001, 1, 2, 3);
	vcpuid_table_add(t, 0x40000001, 0, 0, 0x1234, 0, 0, 0);
	vcpuid_table_add(t, 0x80000000, 0, 0, 0x80000008, 0, 0, 0);
	vcpuid_table_add(t, 0x80000008, 0, 0, 0x3030, 0, 0, 0);
}

static void answers(void **state)
{
	(void)state;
	vcpuid_table t;
	uint32_t r[4];
	intel_table(&t, false);
	vcpuid_kvm_cpuid_answer(&t, 1, 5, r); /* unindexed: any subleaf */
	assert_int_equal(r[VCPUID_EBX], 0x01020800);
	vcpuid_kvm_cpuid_answer(&t, 0xd, 2, r); /* in range, no entry: zeros */
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	vcpuid_kvm_cpuid_answer(&t, 0xe, 1, r); /* beyond max basic: leaf 0xd.1 */
	assert_int_equal(r[VCPUID_EAX], 1);
	vcpuid_kvm_cpuid_answer(&t, 0x80000009, 0, r); /* beyond max extended */
	assert_int_equal(r[VCPUID_EAX], 7); /* 0xd.0 */
	vcpuid_kvm_cpuid_answer(&t, 0x40000002, 0, r); /* beyond hypervisor */
	assert_int_equal(r[VCPUID_EAX], 7);
	vcpuid_kvm_cpuid_answer(&t, 0x80000005, 0, r); /* in range, absent */
	assert_int_equal(r[VCPUID_EAX], 0);
	vcpuid_table_free(&t);

	intel_table(&t, true); /* AMD: out of range is zeros */
	vcpuid_kvm_cpuid_answer(&t, 0x80000009, 0, r);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	vcpuid_table_free(&t);

	/* 0xB beyond its subleaves: ECX[7:0] = subleaf, EDX = x2APIC id */
	vcpuid_table_init(&t);
	vcpuid_table_add(&t, 0, 0, 0, 0xb, 0x756e6547, 0x6c65746e, 0x49656e69);
	vcpuid_table_add(&t, 0xb, 0, IDX, 1, 1, 0x100, 3);
	vcpuid_table_add(&t, 0xb, 1, IDX, 4, 2, 0x201, 3);
	vcpuid_kvm_cpuid_answer(&t, 0xb, 5, r);
	assert_int_equal(r[VCPUID_EAX], 0);
	assert_int_equal(r[VCPUID_ECX], 5);
	assert_int_equal(r[VCPUID_EDX], 3);
	vcpuid_table_free(&t);
}

static void request(void **state)
{
	(void)state;
	vcpuid_table t;
	intel_table(&t, false);
	vcpuid_msr_list m = { 0 };
	vcpuid_msr_list_add(&m, 0x10a, 0x69);
	vcpuid_msr_list_add(&m, 0x4b564d00, 1);
	vcpuid_probe_req *req = malloc(sizeof(*req));
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_probe_req_build(&t, &m, req, &err), 0);
	bool has[5] = { 0 };
	for (size_t i = 0; i < req->ncpuid; i++) {
		has[0] |= req->leaf[i] == 0xe && req->subleaf[i] == 0;
		has[1] |= req->leaf[i] == 0x80000009;
		has[2] |= req->leaf[i] == 0x40000002;
		has[3] |= req->leaf[i] == 0xb && req->subleaf[i] == 2;
		has[4] |= req->leaf[i] == 0xd && req->subleaf[i] == 2;
	}
	for (int i = 0; i < 5; i++)
		assert_true(has[i]);
	/* the table's MSRs first, then the gated MSR probes, no duplicates */
	assert_int_equal(req->msr[0], 0x10a);
	assert_int_equal(req->msr[1], 0x4b564d00);
	size_t n;
	vcpuid_msr_probes(&n);
	assert_int_equal(req->nmsrs, 1 + n);
	free(req);
	vcpuid_msr_list_free(&m);
	vcpuid_table_free(&t);
}

static void runtime_masks(void **state)
{
	(void)state;
	assert_int_equal(vcpuid_runtime_mask(1, 0, VCPUID_ECX), 1u << 27);
	assert_int_equal(vcpuid_runtime_mask(0xd, 0, VCPUID_EBX), 0xffffffffu);
	assert_int_equal(vcpuid_runtime_mask(7, 0, VCPUID_EBX), 0);
	size_t n;
	const vcpuid_insn_probe *p = vcpuid_insn_probes(&n);
	assert_true(n <= VCPUID_PROBE_MAX_INSNS);
	assert_string_equal(p[0].name, "xtest"); /* the guest's order */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers),
		cmocka_unit_test(request),
		cmocka_unit_test(runtime_masks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
