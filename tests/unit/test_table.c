/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "vcpuid.h"

static void lookup_follows_kvm_rules(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_table_init(&t);
	vcpuid_table_add(&t, 4, 0, VCPUID_FLAG_SIGNIFICANT_INDEX, 1, 2, 3, 4);
	vcpuid_table_add(&t, 4, 1, VCPUID_FLAG_SIGNIFICANT_INDEX, 5, 6, 7, 8);
	vcpuid_table_add(&t, 1, 0, 0, 9, 10, 11, 12);
	/* indexed leaf: exact subleaf only */
	assert_int_equal(vcpuid_table_reg(&t, 4, 1, VCPUID_EAX), 5);
	assert_null(vcpuid_table_lookup(&t, 4, 2));
	/* non-indexed leaf answers every subleaf */
	assert_int_equal(vcpuid_table_reg(&t, 1, 7, VCPUID_EDX), 12);
	assert_int_equal(vcpuid_table_reg(&t, 2, 0, VCPUID_EAX), 0);
	vcpuid_table_sort(&t);
	assert_int_equal(t.e[0].function, 1);
	assert_int_equal(t.e[2].index, 1);
	vcpuid_table_free(&t);
}

static void msr_list(void **state)
{
	(void)state;
	vcpuid_msr_list l = { 0 };
	uint64_t v = 0;
	assert_int_equal(vcpuid_msr_list_add(&l, 0x10a, 0x69), 0);
	assert_true(vcpuid_msr_list_get(&l, 0x10a, &v));
	assert_int_equal(v, 0x69);
	assert_false(vcpuid_msr_list_get(&l, 0x345, &v));
	vcpuid_msr_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_follows_kvm_rules),
		cmocka_unit_test(msr_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
