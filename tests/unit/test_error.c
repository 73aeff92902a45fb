/* SPDX-License-Identifier: MIT */
/* error.c: vcpuid_fail fills the error, vcpuid_status_name names codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

static void fail_fills(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_fail(&err, VCPUID_E_PARSE, "%s:%d: %s", "f.json",
				     12, "bad"), VCPUID_E_PARSE);
	assert_int_equal(err.code, VCPUID_E_PARSE);
	assert_string_equal(err.msg, "f.json:12: bad");
	/* a second failure replaces the first */
	assert_int_equal(vcpuid_fail(&err, VCPUID_E_IO, "x"), VCPUID_E_IO);
	assert_int_equal(err.code, VCPUID_E_IO);
	assert_string_equal(err.msg, "x");
	/* NULL err: the code alone */
	assert_int_equal(vcpuid_fail(NULL, VCPUID_E_LIMIT, "%s", "y"), VCPUID_E_LIMIT);
}

static void fail_truncates(void **state)
{
	(void)state;
	vcpuid_error err;
	memset(&err, 0x55, sizeof(err));
	char big[1000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	vcpuid_fail(&err, VCPUID_E_USAGE, "%s", big);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	assert_int_equal(err.msg[0], 'z');
}

static void status_names(void **state)
{
	(void)state;
	assert_string_equal(vcpuid_status_name(VCPUID_OK), "ok");
	assert_string_equal(vcpuid_status_name(1), "negative");
	assert_string_equal(vcpuid_status_name(2), "usage");
	assert_string_equal(vcpuid_status_name(3), "io");
	assert_string_equal(vcpuid_status_name(4), "parse");
	assert_string_equal(vcpuid_status_name(5), "unknown");
	assert_string_equal(vcpuid_status_name(6), "no-kvm");
	assert_string_equal(vcpuid_status_name(7), "kvm");
	assert_string_equal(vcpuid_status_name(8), "guest");
	assert_string_equal(vcpuid_status_name(9), "enforce");
	assert_string_equal(vcpuid_status_name(10), "limit");
	assert_string_equal(vcpuid_status_name(11), "nomem");
	assert_string_equal(vcpuid_status_name(12), "unsupported");
	assert_string_equal(vcpuid_status_name(13), "error");
	assert_string_equal(vcpuid_status_name(-1), "error");
	assert_string_equal(vcpuid_status_name(1000), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fail_fills),
		cmocka_unit_test(fail_truncates),
		cmocka_unit_test(status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
