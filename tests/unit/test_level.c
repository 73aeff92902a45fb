/* SPDX-License-Identifier: MIT */
/* level.c (x86-64 levels) and hostset.c (a fleet's files, folded). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "vcpuid.h"

static void set(vcpuid_words w, const char *name)
{
	enum vcpuid_word word;
	uint64_t m = vcpuid_feature_mask(name, &word);
	if (!m)
		fail_msg("unknown feature %s", name);
	w[word] |= m;
}

/* The words of a CPU with every condition of levels 1..level. */
static void upto(vcpuid_words w, int level)
{
	memset(w, 0, sizeof(vcpuid_words));
	size_t n;
	const vcpuid_level_need *need = vcpuid_level_needs(&n);
	for (size_t i = 0; i < n; i++)
		if (need[i].level <= level)
			w[need[i].word] |= 1ull << need[i].bit;
}

static void names_and_parse(void **state)
{
	(void)state;
	assert_string_equal(vcpuid_level_name(0), "none");
	assert_string_equal(vcpuid_level_name(3), "x86-64-v3");
	assert_int_equal(vcpuid_level_parse("x86-64-v2"), 2);
	assert_int_equal(vcpuid_level_parse("v4"), 4);
	assert_int_equal(vcpuid_level_parse("1"), 1);
	assert_int_equal(vcpuid_level_parse("x86-64-v5"), -1);
	assert_int_equal(vcpuid_level_parse("x86-64-v"), -1);
	assert_int_equal(vcpuid_level_parse("x86-64-v22"), -1);
	assert_int_equal(vcpuid_level_parse(NULL), -1);
}

static void each_level_and_each_gap(void **state)
{
	(void)state;
	vcpuid_words w;
	for (int l = 0; l <= VCPUID_LEVEL_MAX; l++) {
		upto(w, l);
		assert_int_equal(vcpuid_level_of(w), l);
	}
	/* dropping any one condition of level l leaves l - 1 */
	size_t n;
	const vcpuid_level_need *need = vcpuid_level_needs(&n);
	for (size_t i = 0; i < n; i++) {
		upto(w, VCPUID_LEVEL_MAX);
		w[need[i].word] &= ~(1ull << need[i].bit);
		assert_int_equal(vcpuid_level_of(w), need[i].level - 1);
		const vcpuid_level_need *m[8];
		assert_int_equal(vcpuid_level_missing(w, VCPUID_LEVEL_MAX, m, 8), 1);
		assert_ptr_equal(m[0], &need[i]);
	}
	/* AVX without the YMM state the OS can enable is not v3 */
	upto(w, 3);
	w[VCPUID_W_XSAVE_XCR0_LO] &= ~4ull;
	assert_int_equal(vcpuid_level_of(w), 2);
	/* the feature behind an XCR0 condition */
	for (size_t i = 0; i < n; i++)
		if (need[i].word == VCPUID_W_XSAVE_XCR0_LO && need[i].bit == 2)
			assert_string_equal(vcpuid_level_need_feature(&need[i])->name, "avx");
	set(w, "avx512f"); /* v4 features alone do not make v4 */
	assert_int_equal(vcpuid_level_of(w), 2);
}

static void from_tables(void **state)
{
	(void)state;
	vcpuid_words w;
	upto(w, 3);
	vcpuid_table t;
	vcpuid_table_init(&t);
	vcpuid_table_add(&t, 0, 0, 0, 0xd, 0, 0, 0);
	vcpuid_table_add(&t, 1, 0, 0, 0, 0, (uint32_t)w[VCPUID_W_1_ECX],
			 (uint32_t)w[VCPUID_W_1_EDX]);
	vcpuid_table_add(&t, 7, 0, 1, 0, (uint32_t)w[VCPUID_W_7_0_EBX], 0, 0);
	vcpuid_table_add(&t, 0xd, 0, 1, (uint32_t)w[VCPUID_W_XSAVE_XCR0_LO], 0, 0, 0);
	vcpuid_table_add(&t, 0x80000000u, 0, 0, 0x80000008u, 0, 0, 0);
	vcpuid_table_add(&t, 0x80000001u, 0, 0, 0, 0,
			 (uint32_t)w[VCPUID_W_8000_0001_ECX], 0);
	assert_int_equal(vcpuid_level_of_table(&t), 3);
	/* what XGETBV shows decides, not what CPUID offers */
	assert_int_equal(vcpuid_level_of_observed(&t, 0x7), 3);
	assert_int_equal(vcpuid_level_of_observed(&t, 0x3), 2);
	/* a leaf above the maximum basic leaf is not read */
	t.e[0].reg[VCPUID_EAX] = 6;
	assert_int_equal(vcpuid_level_of_table(&t), 2);
	vcpuid_table_free(&t);
}

static char dir[64];

static void put(const char *name, const char *path)
{
	char to[128];
	snprintf(to, sizeof(to), "%s/%s", dir, name);
	if (!path) {
		FILE *f = fopen(to, "w");
		fputs("{\"format\": \"vcpuid-host-profile\", \"version\": 1, \"kvm\": [", f);
		fclose(f);
		return;
	}
	char *buf;
	size_t len;
	assert_int_equal(vcpuid_read_file(path, &buf, &len, NULL), 0);
	assert_int_equal(vcpuid_write_file(to, buf, len, NULL), 0);
	free(buf);
}

static void hostset_folds(void **state)
{
	(void)state;
	const char *root = getenv("VCPUID_SOURCE_ROOT");
	char a[512], b[512], readme[128];
	snprintf(a, sizeof(a), "%s/profiles/fc-intel-icelake-6.1.json", root ? root : ".");
	snprintf(b, sizeof(b), "%s/profiles/fc-amd-milan-6.1.json", root ? root : ".");
	snprintf(dir, sizeof(dir), "/tmp/vcpuid-hostset-XXXXXX");
	assert_non_null(mkdtemp(dir));
	const char *names[] = { "0", "1", "2", "3", "4", "5", "6" };
	const char *src[] = { a, b, a, a, b, a, NULL };
	for (int i = 0; i < 6; i++)
		put(names[i], src[i]);
	snprintf(readme, sizeof(readme), "%s/6", dir);
	FILE *f = fopen(readme, "w");
	fputs("not a host\n", f);
	fclose(f);
	char paths[7][128];
	const char *files[7];
	bool skippable[7];
	for (int i = 0; i < 7; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, names[i]);
		files[i] = paths[i];
		skippable[i] = true;
	}
	for (unsigned jobs = 1; jobs <= 3; jobs++) {
		vcpuid_hostset s;
		vcpuid_hostset_opts o = { .jobs = jobs, .skippable = skippable };
		vcpuid_error err = { 0 };
		assert_int_equal(vcpuid_hostset_load(files, 7, &o, &s, &err), 0);
		assert_int_equal(s.nfiles, 7);
		assert_int_equal(s.n, 2);
		assert_int_equal(s.nskipped, 1);
		assert_int_equal(s.covers[0], 4);
		assert_int_equal(s.covers[1], 2);
		size_t want[] = { 0, 1, 0, 0, 1, 0, VCPUID_HOSTSET_SKIPPED };
		for (int i = 0; i < 7; i++)
			assert_int_equal(s.of[i], want[i]);
		vcpuid_hostset_free(&s);
	}
	/* not skippable: the file that is no host is the error */
	vcpuid_hostset s;
	vcpuid_error err = { 0 };
	assert_int_equal(vcpuid_hostset_load(files, 7, NULL, &s, &err), VCPUID_E_UNKNOWN);
	assert_non_null(strstr(err.msg, paths[6]));
	/* a broken copy of a format is an error even when skippable */
	put("6", NULL);
	vcpuid_hostset_opts o = { .jobs = 2, .skippable = skippable };
	int rc = vcpuid_hostset_load(files, 7, &o, &s, &err);
	assert_true(rc != 0 && rc != VCPUID_E_UNKNOWN);
	assert_non_null(strstr(err.msg, paths[6]));
	for (int i = 0; i < 7; i++)
		unlink(paths[i]);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_parse),
		cmocka_unit_test(each_level_and_each_gap),
		cmocka_unit_test(from_tables),
		cmocka_unit_test(hostset_folds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
