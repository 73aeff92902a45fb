/* SPDX-License-Identifier: MIT */
/* util.c: hex and decimal numbers, edit distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

static void parse_hex(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_true(vu_parse_hex("0x1F", 4, &v));
	assert_int_equal(v, 0x1f);
	assert_true(vu_parse_hex("ff", 2, &v));
	assert_int_equal(v, 0xff);
	assert_true(vu_parse_hex("0XaB", 4, &v));
	assert_int_equal(v, 0xab);
	/* len bounds the digits read */
	assert_true(vu_parse_hex("1234", 2, &v));
	assert_int_equal(v, 0x12);
	/* 16 digits fit 64 bits, with or without 0x */
	assert_true(vu_parse_hex("ffffffffffffffff", 16, &v));
	assert_int_equal(v, UINT64_MAX);
	assert_true(vu_parse_hex("0x8000000000000001", 18, &v));
	assert_int_equal(v, 0x8000000000000001ull);
	v = 7;
	assert_false(vu_parse_hex("10000000000000000", 17, &v));
	assert_false(vu_parse_hex("", 0, &v));
	assert_false(vu_parse_hex("0x", 2, &v));
	assert_false(vu_parse_hex("12g", 3, &v));
	assert_false(vu_parse_hex(" 1", 2, &v));
	assert_false(vu_parse_hex("-1", 2, &v));
	assert_int_equal(v, 7); /* untouched on failure */
}

static void parse_num(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_true(vu_parse_num("123", &v));
	assert_int_equal(v, 123);
	assert_true(vu_parse_num("0", &v));
	assert_int_equal(v, 0);
	/* decimal, not octal */
	assert_true(vu_parse_num("010", &v));
	assert_int_equal(v, 10);
	assert_true(vu_parse_num("0x10", &v));
	assert_int_equal(v, 16);
	assert_true(vu_parse_num("18446744073709551615", &v));
	assert_int_equal(v, UINT64_MAX);
	v = 7;
	assert_false(vu_parse_num("18446744073709551616", &v));
	assert_false(vu_parse_num("-1", &v));
	assert_false(vu_parse_num("+1", &v));
	assert_false(vu_parse_num(" 1", &v));
	assert_false(vu_parse_num("1 ", &v));
	assert_false(vu_parse_num("12a", &v));
	assert_false(vu_parse_num("", &v));
	assert_false(vu_parse_num(NULL, &v));
	assert_false(vu_parse_num("0x", &v));
	assert_false(vu_parse_num("0x10000000000000000", &v));
	assert_int_equal(v, 7);
}

static void edit_distance(void **state)
{
	(void)state;
	assert_int_equal(vu_edit_distance("kitten", "sitting", 10), 3);
	assert_int_equal(vu_edit_distance("flaw", "lawn", 10), 2);
	assert_int_equal(vu_edit_distance("avx512f", "avx512bw", 10), 2);
	assert_int_equal(vu_edit_distance("abc", "abc", 5), 0);
	assert_int_equal(vu_edit_distance("", "abc", 10), 3);
	assert_int_equal(vu_edit_distance("abc", "", 10), 3);
	assert_int_equal(vu_edit_distance("", "", 10), 0);
	/* the distance is capped */
	assert_int_equal(vu_edit_distance("kitten", "sitting", 2), 2);
	assert_int_equal(vu_edit_distance("abcdef", "uvwxyz", 3), 3);
	/* symmetrical */
	assert_int_equal(vu_edit_distance("sitting", "kitten", 10), 3);
	/* names past 63 characters are not compared */
	char longname[65];
	memset(longname, 'a', 64);
	longname[64] = 0;
	assert_int_equal(vu_edit_distance(longname, longname, 4), 4);
	assert_int_equal(vu_edit_distance(longname + 1, longname + 1, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_hex),
		cmocka_unit_test(parse_num),
		cmocka_unit_test(edit_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
