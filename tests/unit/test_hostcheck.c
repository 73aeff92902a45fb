/* SPDX-License-Identifier: MIT */
/* host/hostcheck.c: what every reader holds a host to (vp_host_check) and
 * the limit message (vp_limit_fail), at and just past the limits of
 * include/vcpuid/core.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

/* hostcheck.c's entries (internal.h) */
int vp_host_check(const vcpuid_host *h, const char *file, vcpuid_error *err);
int vp_limit_fail(vcpuid_error *err, const char *file, const char *what,
		  unsigned limit, const char *unit);

static void fill(vcpuid_table *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_non_null(vcpuid_table_add(t, i / 16, i % 16, 0, i, 0, 0, 0));
}

static void limit_fail_message(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	assert_int_equal(vp_limit_fail(&err, "h.json", "raw_cpuid", 4096,
				       "CPUID entries"), VCPUID_E_LIMIT);
	assert_int_equal(err.code, VCPUID_E_LIMIT);
	assert_string_equal(err.msg, "h.json: raw_cpuid: more than 4096 CPUID "
			    "entries (the limit)");
	/* err may be NULL */
	assert_int_equal(vp_limit_fail(NULL, "f", "w", 1, "u"), VCPUID_E_LIMIT);
	assert_int_equal(VCPUID_E_LIMIT, 10);
}

static void empty_and_sound_hosts_pass(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	assert_int_equal(vp_host_check(&h, "e.json", &err), 0);
	/* same function, other index; same index, other function; the same
	 * (function, index) in two different tables: all fine */
	vcpuid_table_add(&h.raw, 7, 0, 1, 0, 0, 0, 0);
	vcpuid_table_add(&h.raw, 7, 1, 1, 0, 0, 0, 0);
	vcpuid_table_add(&h.raw, 0, 7, 0, 0, 0, 0, 0);
	vcpuid_table_add(&h.supported, 7, 0, 1, 0, 0, 0, 0);
	vcpuid_table_add(&h.emulated, 7, 0, 1, 0, 0, 0, 0);
	vcpuid_msr_list_add(&h.feature_msrs, 0x10a, 1);
	vcpuid_msr_list_add(&h.feature_msrs, 0x48d, 2);
	assert_int_equal(vp_host_check(&h, "e.json", &err), 0);
	vcpuid_host_free(&h);
}

static void at_the_limits_passes(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	fill(&h.raw, VCPUID_MAX_RAW_ENTRIES);
	fill(&h.supported, VCPUID_MAX_KVM_ENTRIES);
	fill(&h.emulated, VCPUID_MAX_KVM_ENTRIES);
	for (uint32_t i = 0; i < VCPUID_MAX_MSRS; i++)
		assert_int_equal(vcpuid_msr_list_add(&h.feature_msrs, i, i), 0);
	h.n_msr_index_list = VCPUID_MAX_MSRS;	/* only the count is read */
	h.n_caps = VCPUID_MAX_CAPS;
	assert_int_equal(vp_host_check(&h, "max.json", &err), 0);
	h.n_msr_index_list = 0;
	h.n_caps = 0;
	vcpuid_host_free(&h);
}

static void one_past_each_limit(void **state)
{
	(void)state;
	static const struct {
		int which;
		const char *msg;
	} cases[] = {
		{ 0, "p.json: raw_cpuid: more than 4096 CPUID entries (the limit)" },
		{ 1, "p.json: kvm.supported_cpuid: more than 256 CPUID entries (the limit)" },
		{ 2, "p.json: kvm.emulated_cpuid: more than 256 CPUID entries (the limit)" },
		{ 3, "p.json: kvm.feature_msrs: more than 4096 MSRs (the limit)" },
		{ 4, "p.json: kvm.msr_index_list: more than 4096 MSRs (the limit)" },
		{ 5, "p.json: kvm.capabilities: more than 1024 capabilities (the limit)" },
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		vcpuid_host h;
		vcpuid_error err = { 0 };
		vcpuid_host_init(&h);
		switch (cases[c].which) {
		case 0: fill(&h.raw, VCPUID_MAX_RAW_ENTRIES + 1); break;
		case 1: fill(&h.supported, VCPUID_MAX_KVM_ENTRIES + 1); break;
		case 2: fill(&h.emulated, VCPUID_MAX_KVM_ENTRIES + 1); break;
		case 3:
			for (uint32_t i = 0; i <= VCPUID_MAX_MSRS; i++)
				vcpuid_msr_list_add(&h.feature_msrs, i, 0);
			break;
		case 4: h.n_msr_index_list = VCPUID_MAX_MSRS + 1; break;
		case 5: h.n_caps = VCPUID_MAX_CAPS + 1; break;
		}
		assert_int_equal(vp_host_check(&h, "p.json", &err), VCPUID_E_LIMIT);
		assert_int_equal(err.code, VCPUID_E_LIMIT);
		assert_string_equal(err.msg, cases[c].msg);
		h.n_msr_index_list = 0;
		h.n_caps = 0;
		vcpuid_host_free(&h);
	}
}

static void duplicates_are_parse_errors(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };

	vcpuid_host_init(&h);
	vcpuid_table_add(&h.raw, 0, 0, 0, 0, 0, 0, 0);
	vcpuid_table_add(&h.raw, 0xd, 1, 1, 0, 0, 0, 0);
	vcpuid_table_add(&h.raw, 0xd, 1, 1, 9, 0, 0, 0); /* values differ */
	assert_int_equal(vp_host_check(&h, "d.json", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "d.json: raw_cpuid[2]: duplicate entry for "
			    "function 0xd index 0x1");
	vcpuid_host_free(&h);

	/* a duplicate far apart in a full table (the hash, not neighbours) */
	vcpuid_host_init(&h);
	fill(&h.supported, VCPUID_MAX_KVM_ENTRIES - 1);
	vcpuid_table_add(&h.supported, 0, 3, 0, 0, 0, 0, 0);
	assert_int_equal(vp_host_check(&h, "d.json", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "d.json: kvm.supported_cpuid[255]: duplicate "
			    "entry for function 0x0 index 0x3");
	vcpuid_host_free(&h);

	vcpuid_host_init(&h);
	vcpuid_table_add(&h.emulated, 0x80000001, 0, 0, 0, 0, 0, 0);
	vcpuid_table_add(&h.emulated, 0x80000001, 0, 0, 0, 0, 0, 0);
	assert_int_equal(vp_host_check(&h, "d.json", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "d.json: kvm.emulated_cpuid[1]: duplicate "
			    "entry for function 0x80000001 index 0x0");
	vcpuid_host_free(&h);

	vcpuid_host_init(&h);
	vcpuid_msr_list_add(&h.feature_msrs, 0x10a, 1);
	vcpuid_msr_list_add(&h.feature_msrs, 0x345, 2);
	vcpuid_msr_list_add(&h.feature_msrs, 0x10a, 1);
	assert_int_equal(vp_host_check(&h, "d.json", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "d.json: kvm.feature_msrs[2]: duplicate MSR 0x10a");
	vcpuid_host_free(&h);

	/* the index is part of the key: 0x1_00000000 is not (0, 0) */
	vcpuid_host_init(&h);
	vcpuid_table_add(&h.raw, 1, 0, 0, 0, 0, 0, 0);
	vcpuid_table_add(&h.raw, 0, 1, 0, 0, 0, 0, 0);
	vcpuid_table_add(&h.raw, 0, 0, 0, 0, 0, 0, 0);
	assert_int_equal(vp_host_check(&h, "d.json", &err), 0);
	vcpuid_host_free(&h);
}

/* The order: the raw table first, then supported, emulated, MSRs. */
static void first_problem_reported(void **state)
{
	(void)state;
	vcpuid_host h;
	vcpuid_error err = { 0 };
	vcpuid_host_init(&h);
	vcpuid_table_add(&h.emulated, 1, 0, 0, 0, 0, 0, 0);
	vcpuid_table_add(&h.emulated, 1, 0, 0, 0, 0, 0, 0);
	fill(&h.supported, VCPUID_MAX_KVM_ENTRIES + 1);
	assert_int_equal(vp_host_check(&h, "o.json", &err), VCPUID_E_LIMIT);
	assert_non_null(strstr(err.msg, "kvm.supported_cpuid"));
	vcpuid_host_free(&h);
}

/* The readers apply it: a bundled profile with a duplicate leaf is refused. */
static void profile_reader_applies_it(void **state)
{
	(void)state;
	const char *j =
		"{\"format\":\"vcpuid-host-profile\",\"version\":1,"
		"\"raw_cpuid\":[{\"function\":0,\"index\":0,\"eax\":1,\"ebx\":0,"
		"\"ecx\":0,\"edx\":0},{\"function\":0,\"index\":0,\"eax\":2,"
		"\"ebx\":0,\"ecx\":0,\"edx\":0}],\"kvm\":null,\"kvm_absent\":\"t\"}";
	vcpuid_host h;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_profile_parse(j, strlen(j), "dup.json", &h, &err),
			 VCPUID_E_PARSE);
	assert_string_equal(err.msg, "dup.json: raw_cpuid[1]: duplicate entry for "
			    "function 0x0 index 0x0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limit_fail_message),
		cmocka_unit_test(empty_and_sound_hosts_pass),
		cmocka_unit_test(at_the_limits_passes),
		cmocka_unit_test(one_past_each_limit),
		cmocka_unit_test(duplicates_are_parse_errors),
		cmocka_unit_test(first_problem_reported),
		cmocka_unit_test(profile_reader_applies_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
