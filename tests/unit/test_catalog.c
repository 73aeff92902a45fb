/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static void lookup_aliases_and_underscores(void **state)
{
	(void)state;
	const vcpuid_feature *a = vcpuid_feature_lookup("pni", NULL);
	assert_non_null(a);
	assert_ptr_equal(vcpuid_feature_lookup("sse3", NULL), a);
	assert_ptr_equal(vcpuid_feature_lookup("PNI", NULL), a);
	assert_int_equal(a->word, VCPUID_W_1_ECX);
	assert_int_equal(a->bit, 0);
	assert_null(vcpuid_feature_lookup("no-such-feature", NULL));
}

static void name_on_two_bits(void **state)
{
	(void)state;
	size_t nbits = 0;
	const vcpuid_feature *f = vcpuid_feature_lookup("kvmclock", &nbits);
	assert_non_null(f);
	assert_int_equal(nbits, 2);
	assert_int_equal(f[0].bit, 0);
	assert_int_equal(f[1].bit, 3);
}

static void every_alias_resolves(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_alias *a = vcpuid_aliases(&n);
	for (size_t i = 0; i < n; i++)
		if (!vcpuid_feature_lookup(a[i].alias, NULL))
			fail_msg("alias %s -> %s does not resolve", a[i].alias,
				 a[i].name);
}

static void suggestions(void **state)
{
	(void)state;
	char buf[128];
	vcpuid_feature_suggest("pnii", buf, sizeof(buf));
	assert_non_null(strstr(buf, "pni"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_aliases_and_underscores),
		cmocka_unit_test(name_on_two_bits),
		cmocka_unit_test(every_alias_resolves),
		cmocka_unit_test(suggestions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
