/* SPDX-License-Identifier: MIT */
/* qmp.c: QEMU's QMP answers, checked on their shape and on the facts QEMU
 * 7.2 and 11.1 printed (tests/conformance/test_qmp_qemu.py compares them
 * all against a running QEMU). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "vcpuid.h"

static void load(const char *name, vcpuid_host *h)
{
	char path[512];
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	snprintf(path, sizeof(path), "%s/profiles/%s.json", root ? root : ".", name);
	vcpuid_error err = { 0 };
	if (vcpuid_host_load(path, h, &err))
		fail_msg("%s", err.msg);
}

static json_t *parse(char *text)
{
	assert_non_null(text);
	size_t n = strlen(text);
	assert_true(n > 0 && text[n - 1] == '\n');
	json_error_t je;
	/* lbr-fmt (2^64 - 64) is beyond jansson's integers: numbers as reals */
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &je);
	if (!v)
		fail_msg("not JSON: %s", je.text);
	free(text);
	return v;
}

static json_t *find(json_t *defs, const char *name)
{
	size_t i;
	json_t *d;
	json_array_foreach(defs, i, d)
		if (!strcmp(json_string_value(json_object_get(d, "name")), name))
			return d;
	return NULL;
}

static void definitions(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-intel-icelake-6.1", &h);
	vcpuid_error err = { 0 };
	char *text = NULL;
	assert_int_equal(vcpuid_qmp_cpu_definitions(&h, "pc-i440fx-7.2", &text, &err), 0);
	json_t *defs = parse(text);
	json_t *d = find(defs, "Skylake-Client");
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "alias-of")),
			    "Skylake-Client-v1");
	assert_string_equal(json_string_value(json_object_get(d, "typename")),
			    "Skylake-Client-x86_64-cpu");
	json_t *u = json_object_get(d, "unavailable-features");
	assert_int_equal(json_array_size(u), 2); /* hle, rtm */
	/* 7.2 names XSAVE components by their feature: mpx three times */
	u = json_object_get(find(defs, "Denverton"), "unavailable-features");
	assert_int_equal(json_array_size(u), 3);
	assert_string_equal(json_string_value(json_array_get(u, 2)), "mpx");
	assert_true(json_is_true(json_object_get(find(defs, "base"), "static")));
	assert_true(json_is_false(json_object_get(find(defs, "max"), "migration-safe")));
	assert_null(json_object_get(find(defs, "Skylake-Client-v1"), "alias-of"));
	json_decref(defs);
	/* 11.1 lists the filtered bit once; without a host, no member */
	assert_int_equal(vcpuid_qmp_cpu_definitions(&h, "pc-i440fx-11.1", &text, &err), 0);
	defs = parse(text);
	u = json_object_get(find(defs, "Denverton"), "unavailable-features");
	assert_int_equal(json_array_size(u), 1);
	json_decref(defs);
	assert_int_equal(vcpuid_qmp_cpu_definitions(NULL, NULL, &text, &err), 0);
	defs = parse(text);
	assert_null(json_object_get(find(defs, "qemu64"), "unavailable-features"));
	json_decref(defs);
	assert_int_equal(vcpuid_qmp_cpu_definitions(&h, "pc-nope", &text, &err),
			 VCPUID_E_UNKNOWN);
	assert_null(text);
	vcpuid_host_free(&h);
}

static void expansion(void **state)
{
	(void)state;
	vcpuid_host h;
	load("fc-amd-genoa-6.1", &h);
	vcpuid_error err = { 0 };
	char *text = NULL;
	assert_int_equal(vcpuid_qmp_cpu_model_expansion(&h, "Skylake-Client,-hle",
		"pc-i440fx-7.2", VCPUID_QMP_FULL, &text, &err), 0);
	json_t *root = parse(text), *m = json_object_get(root, "model");
	json_t *p = json_object_get(m, "props");
	assert_string_equal(json_string_value(json_object_get(m, "name")), "Skylake-Client");
	assert_string_equal(json_string_value(json_object_get(p, "vendor")), "AuthenticAMD");
	assert_true(json_is_false(json_object_get(p, "hle")));
	assert_true(json_is_true(json_object_get(p, "sse4_1"))); /* an alias */
	assert_true(json_is_true(json_object_get(p, "full-cpuid-auto-level")));
	assert_null(json_object_get(p, "avx10-version")); /* 9.2 on */
	assert_null(json_object_get(p, "migratable"));   /* max/host only */
	assert_true(json_number_value(json_object_get(p, "phys-bits")) == 0);
	assert_true(json_number_value(json_object_get(p, "lbr-fmt")) > 1.8e19);
	json_decref(root);
	assert_int_equal(vcpuid_qmp_cpu_model_expansion(&h, "max", "pc-i440fx-11.1",
		VCPUID_QMP_STATIC, &text, &err), 0);
	assert_null(strstr(text, "lbr-fmt")); /* full only */
	root = parse(text);
	m = json_object_get(root, "model");
	assert_string_equal(json_string_value(json_object_get(m, "name")), "base");
	p = json_object_get(m, "props");
	assert_non_null(json_object_get(p, "lmce"));
	assert_null(json_object_get(p, "sse4_1")); /* static: canonical names */
	json_decref(root);
	assert_int_equal(vcpuid_qmp_cpu_model_expansion(&h, "Skylake-Client",
		"pc-i440fx-11.1", VCPUID_QMP_FULL, &text, &err), 0);
	assert_non_null(strstr(text, "\"lbr-fmt\": 18446744073709551552,"));
	free(text);
	assert_int_equal(vcpuid_qmp_cpu_model_expansion(&h, "Nope", NULL,
		VCPUID_QMP_FULL, &text, &err), VCPUID_E_UNKNOWN);
	assert_null(text);
	vcpuid_host_free(&h);
}

static void comparison_baseline(void **state)
{
	(void)state;
	vcpuid_reason r[3] = {
		{ VCPUID_REASON_FEATURE, true, "hle", "" },
		{ VCPUID_REASON_NOTE, false, "rsba", "" },
		{ VCPUID_REASON_FEATURE, true, "hle", "" },
	};
	vcpuid_comparison c = { .verdict = VCPUID_INCOMPATIBLE, .n = 3, .r = r };
	vcpuid_error err = { 0 };
	char *text = NULL;
	assert_int_equal(vcpuid_qmp_cpu_model_comparison(&c, &text, &err), 0);
	json_t *o = parse(text);
	assert_string_equal(json_string_value(json_object_get(o, "result")), "incompatible");
	assert_int_equal(json_array_size(json_object_get(o, "responsible-properties")), 1);
	json_decref(o);

	vcpuid_baseline b;
	memset(&b, 0, sizeof(b));
	b.model = vcpuid_model_find("Cascadelake-Server");
	b.version = 5;
	enum vcpuid_word w;
	uint64_t mask = vcpuid_feature_mask("pku", &w);
	b.minus[w] |= mask;
	mask = vcpuid_feature_mask("avx512vnni", &w);
	b.plus[w] |= mask;
	assert_int_equal(vcpuid_qmp_cpu_model_baseline(&b, &text, &err), 0);
	o = parse(text);
	json_t *m = json_object_get(o, "model");
	assert_string_equal(json_string_value(json_object_get(m, "name")),
			    "Cascadelake-Server-v5");
	json_t *p = json_object_get(m, "props");
	assert_true(json_is_false(json_object_get(p, "pku")));
	assert_true(json_is_true(json_object_get(p, "avx512vnni")));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(definitions),
		cmocka_unit_test(expansion),
		cmocka_unit_test(comparison_baseline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
