/* SPDX-License-Identifier: MIT */
/* decode and diff on hand-made CPUID tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

#define SI VCPUID_FLAG_SIGNIFICANT_INDEX

static void signature_rules(void **state)
{
	(void)state;
	uint32_t f, m, s;
	/* Intel family 6: extended model counts */
	vcpuid_signature(0x000a0678, "GenuineIntel", &f, &m, &s);
	assert_int_equal(f, 6);
	assert_int_equal(m, 0xa7);
	assert_int_equal(s, 8);
	/* Intel family 0xF: extended family and model */
	vcpuid_signature(0x00000f43, "GenuineIntel", &f, &m, &s);
	assert_int_equal(f, 0xf);
	assert_int_equal(m, 4);
	vcpuid_signature(0x00c50f00, "GenuineIntel", &f, &m, &s);
	assert_int_equal(f, 0x1b);
	assert_int_equal(m, 0x50);
	/* AMD Zen 2: family 0x17 model 0x71 */
	vcpuid_signature(0x00870f10, "AuthenticAMD", &f, &m, &s);
	assert_int_equal(f, 0x17);
	assert_int_equal(m, 0x71);
	assert_int_equal(s, 0);
	/* AMD family 6 (K7): the extended model field is not used */
	vcpuid_signature(0x00010681, "AuthenticAMD", &f, &m, &s);
	assert_int_equal(f, 6);
	assert_int_equal(m, 8);
	/* Zhaoxin family 7 uses the extended model */
	vcpuid_signature(0x000307b0, "CentaurHauls", &f, &m, &s);
	assert_int_equal(f, 7);
	assert_int_equal(m, 0x3b);
	/* Intel family 5: no extension */
	vcpuid_signature(0x00010543, "GenuineIntel", &f, &m, &s);
	assert_int_equal(f, 5);
	assert_int_equal(m, 4);
}

static void add(vcpuid_table *t, uint32_t f, uint32_t i, uint32_t fl, uint32_t a,
		uint32_t b, uint32_t c, uint32_t d)
{
	assert_non_null(vcpuid_table_add(t, f, i, fl, a, b, c, d));
}

static void str4(const char *s, uint32_t out[4])
{
	memcpy(out, s, 16);
}

/* A small Intel-like CPU under KVM. */
static void make_cpu(vcpuid_table *t)
{
	uint32_t b[3][4];
	str4("  Test CPU @ 1.0", b[0]);
	str4("0GHz            ", b[1]);
	memset(b[2], ' ', 16);
	vcpuid_table_init(t);
	add(t, 0, 0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69);
	add(t, 1, 0, 0, 0x000a0678, 0x03020800, 0x80000001, 0x00000001);
	add(t, 4, 0, SI, 0x04000121, 0x02c0003f, 0x3f, 0);	/* L1d 48K 12-way */
	add(t, 4, 1, SI, 0x04000122, 0x01c0003f, 0x3f, 0);	/* L1i 32K 8-way */
	add(t, 4, 2, SI, 0x04000143, 0x03c0003f, 0x7ff, 0);	/* L2 2M 16-way */
	add(t, 4, 3, SI, 0, 0, 0, 0);
	add(t, 7, 0, SI, 1, 0x00000001, 0, 0);
	add(t, 7, 1, SI, 0x10, 0, 0, 0);
	add(t, 7, 2, SI, 0, 0, 0, 0xffffffff);	/* past max subleaf 1: not a feature */
	add(t, 0xb, 0, SI, 1, 2, 0x100, 3);
	add(t, 0xb, 1, SI, 4, 8, 0x201, 3);
	add(t, 0xb, 2, SI, 0, 0, 2, 3);
	add(t, 0xd, 0, SI, 0x7, 0x340, 0x340, 0);
	add(t, 0xd, 1, SI, 0xf, 0x340, 0x800, 0);
	add(t, 0xd, 2, SI, 0x100, 0x240, 0, 0);
	add(t, 0xd, 11, SI, 0x10, 0, 1, 0);
	add(t, 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d);
	add(t, 0x40000001, 0, 0, 0x9, 0, 0, 0);
	add(t, 0x80000000, 0, 0, 0x80000008, 0, 0, 0);
	add(t, 0x80000001, 0, 0, 0, 0, 0x121, 0x2c100800);
	add(t, 0x80000002, 0, 0, b[0][0], b[0][1], b[0][2], b[0][3]);
	add(t, 0x80000003, 0, 0, b[1][0], b[1][1], b[1][2], b[1][3]);
	add(t, 0x80000004, 0, 0, b[2][0], b[2][1], b[2][2], b[2][3]);
	add(t, 0x80000008, 0, 0, 0x3027, 0, 0, 0);
	/* past max extended leaf 0x80000008: ignored */
	add(t, 0x80000021, 0, 0, 0xffffffff, 0, 0, 0);
}

static void decode_table(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_decoded d;
	vcpuid_error err = { 0 };
	make_cpu(&t);
	assert_int_equal(vcpuid_decode(&t, NULL, &d, &err), 0);
	assert_string_equal(d.vendor, "GenuineIntel");
	assert_string_equal(d.brand, "Test CPU @ 1.00GHz");
	assert_int_equal(d.family, 6);
	assert_int_equal(d.model, 0xa7);
	assert_int_equal(d.stepping, 8);
	assert_int_equal(d.max_basic, 0x1f);
	assert_int_equal(d.max_ext, 0x80000008);
	assert_int_equal(d.max_centaur, 0);
	assert_string_equal(d.hypervisor, "KVMKVMKVM");
	assert_int_equal(d.max_hypervisor, 0x40000001);
	assert_int_equal(d.phys_bits, 0x27);
	assert_int_equal(d.virt_bits, 0x30);
	assert_int_equal(d.max_leaf7_subleaf, 1);
	assert_int_equal(d.apic_id, 3);
	assert_int_equal(d.logical_per_package, 2);
	assert_int_equal(d.words[VCPUID_W_1_EDX], 1);
	assert_int_equal(d.words[VCPUID_W_7_1_EAX], 0x10);
	assert_int_equal(d.words[VCPUID_W_7_2_EDX], 0);
	assert_int_equal(d.words[VCPUID_W_8000_0021_EAX], 0);
	assert_int_equal(d.words[VCPUID_W_KVM], 9);
	/* caches */
	assert_string_equal(d.cache_source, "leaf4");
	assert_int_equal(d.ncache, 3);
	assert_int_equal(d.cache[0].level, 1);
	assert_string_equal(d.cache[0].type, "data");
	assert_int_equal(d.cache[0].size_kb, 48);
	assert_int_equal(d.cache[0].ways, 12);
	assert_int_equal(d.cache[0].sets, 64);
	assert_int_equal(d.cache[2].size_kb, 2048);
	assert_int_equal(d.cache[2].sharing, 1);
	/* topology from 0xB (0x1F absent) */
	assert_int_equal(d.topo_leaf, 0xb);
	assert_int_equal(d.ntopo, 2);
	assert_int_equal(d.topo[1].level_type, 2);
	assert_int_equal(d.topo[1].shift, 4);
	assert_int_equal(d.topo[1].count, 8);
	/* XSAVE */
	assert_int_equal(d.xcr0, 7);
	assert_int_equal(d.xss, 0x800);
	assert_int_equal(d.xsave_size_max, 0x340);
	assert_int_equal(d.nxsave, 4);
	assert_int_equal(d.xsave[2].index, 2);
	assert_int_equal(d.xsave[2].size, 256);
	assert_int_equal(d.xsave[2].offset, 576);
	assert_int_equal(d.xsave[3].index, 11);
	assert_true(d.xsave[3].supervisor);
	assert_string_equal(vcpuid_xsave_name(2), "avx");
	vcpuid_table_free(&t);
}

static void no_hypervisor_bit(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_decoded d;
	vcpuid_error err = { 0 };
	make_cpu(&t);
	/* bare metal: leaf 0x40000000 is noise when 1.ECX[31] is clear */
	vcpuid_table_find_mut(&t, 1, 0)->reg[VCPUID_ECX] = 1;
	assert_int_equal(vcpuid_decode(&t, NULL, &d, &err), 0);
	assert_string_equal(d.hypervisor, "");
	assert_int_equal(d.max_hypervisor, 0);
	assert_int_equal(d.words[VCPUID_W_KVM], 0);
	vcpuid_table_free(&t);
	/* no leaf 0 */
	vcpuid_table_init(&t);
	add(&t, 1, 0, 0, 1, 2, 3, 4);
	assert_int_equal(vcpuid_decode(&t, NULL, &d, &err), VCPUID_E_PARSE);
	vcpuid_table_free(&t);
}

static void diff(void **state)
{
	(void)state;
	vcpuid_table t;
	vcpuid_decoded a, b;
	vcpuid_diff df;
	vcpuid_error err = { 0 };
	make_cpu(&t);
	assert_int_equal(vcpuid_decode(&t, NULL, &a, &err), 0);
	assert_int_equal(vcpuid_decode(&t, NULL, &b, &err), 0);
	assert_int_equal(vcpuid_diff_decoded(&a, &b, &df, &err), 0);
	assert_int_equal(df.nfeat + df.nfield, 0);
	vcpuid_diff_free(&df);
	/* B: one more feature bit in 1.ECX, one less in 1.EDX, other stepping,
	 * 40 physical bits */
	vcpuid_table_find_mut(&t, 1, 0)->reg[VCPUID_ECX] |= 2;
	vcpuid_table_find_mut(&t, 1, 0)->reg[VCPUID_EDX] = 0;
	vcpuid_table_find_mut(&t, 1, 0)->reg[VCPUID_EAX] = 0x000a0679;
	vcpuid_table_find_mut(&t, 0x80000008, 0)->reg[VCPUID_EAX] = 0x3028;
	assert_int_equal(vcpuid_decode(&t, NULL, &b, &err), 0);
	assert_int_equal(vcpuid_diff_decoded(&a, &b, &df, &err), 0);
	for (size_t i = 0; i < df.nfeat; i++)
		print_message("feat %d bit %u in_a %d\n", df.feat[i].word, df.feat[i].bit,
			      df.feat[i].in_a);
	for (size_t i = 0; i < df.nfield; i++)
		print_message("field %s\n", df.field[i].field);
	assert_int_equal(df.nfeat, 2);
	assert_int_equal(df.feat[0].word, VCPUID_W_1_EDX);
	assert_true(df.feat[0].in_a);
	assert_int_equal(df.feat[1].word, VCPUID_W_1_ECX);
	assert_false(df.feat[1].in_a);
	assert_int_equal(df.feat[1].bit, 1);
	assert_int_equal(df.nfield, 2);
	assert_string_equal(df.field[0].field, "stepping");
	assert_int_equal(df.field[0].a, 8);
	assert_int_equal(df.field[0].b, 9);
	assert_string_equal(df.field[1].field, "phys_bits");
	vcpuid_diff_free(&df);
	vcpuid_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signature_rules),
		cmocka_unit_test(decode_table),
		cmocka_unit_test(no_hypervisor_bit),
		cmocka_unit_test(diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
