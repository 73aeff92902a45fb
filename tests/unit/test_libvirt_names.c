/* SPDX-License-Identifier: MIT */
/* libvirt_names.c: libvirt's x86 feature and model names
 * (data/libvirt_features.def, data/libvirt_models.def) and where they
 * point in QEMU's feature words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"
#include "vcpuid/libvirt.h"

static void feature_names_differ_from_qemu(void **state)
{
	(void)state;
	/* libvirt says pni (QEMU's canonical name too), never sse3 */
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_feature_find("pni");
	assert_non_null(f);
	assert_string_equal(f->qemu, "pni");
	assert_int_equal(f->word, VCPUID_W_1_ECX);
	assert_int_equal(f->bit, 0);
	assert_int_equal(f->leaf, 1);
	assert_int_equal(f->subleaf, 0);
	assert_int_equal(f->reg, VCPUID_ECX);
	assert_int_equal(f->msr, 0);
	assert_null(vcpuid_libvirt_feature_find("sse3"));	/* QEMU's alias */

	/* pclmuldq / pclmulqdq, tsc_adjust / tsc-adjust, lahf_lm / lahf-lm */
	f = vcpuid_libvirt_feature_find("pclmuldq");
	assert_non_null(f);
	assert_string_equal(f->qemu, "pclmulqdq");
	assert_int_equal(f->word, VCPUID_W_1_ECX);
	assert_int_equal(f->bit, 1);
	assert_null(vcpuid_libvirt_feature_find("pclmulqdq"));
	f = vcpuid_libvirt_feature_find("tsc_adjust");
	assert_non_null(f);
	assert_string_equal(f->qemu, "tsc-adjust");
	assert_int_equal(f->word, VCPUID_W_7_0_EBX);
	assert_int_equal(f->bit, 1);
	assert_int_equal(f->leaf, 7);
	assert_int_equal(f->reg, VCPUID_EBX);
	assert_null(vcpuid_libvirt_feature_find("tsc-adjust"));
	f = vcpuid_libvirt_feature_find("lahf_lm");
	assert_non_null(f);
	assert_string_equal(f->qemu, "lahf-lm");
	assert_int_equal(f->word, VCPUID_W_8000_0001_ECX);
	assert_int_equal(f->bit, 0);
	assert_int_equal(f->leaf, 0x80000001);

	/* exact names only */
	assert_null(vcpuid_libvirt_feature_find("PNI"));
	assert_null(vcpuid_libvirt_feature_find("pn "));
	assert_null(vcpuid_libvirt_feature_find("pnix"));
	assert_null(vcpuid_libvirt_feature_find(""));
	assert_null(vcpuid_libvirt_feature_find(NULL));
}

static void bits_qemu_has_no_name_for(void **state)
{
	(void)state;
	/* in a QEMU word, no QEMU name */
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_feature_find("osxsave");
	assert_non_null(f);
	assert_null(f->qemu);
	assert_int_equal(f->word, VCPUID_W_1_ECX);
	assert_int_equal(f->bit, 27);
	assert_int_equal(f->leaf, 1);
	assert_int_equal(f->reg, VCPUID_ECX);
	f = vcpuid_libvirt_feature_find("cmt");
	assert_non_null(f);
	assert_null(f->qemu);
	assert_int_equal(f->word, VCPUID_W_7_0_EBX);
	assert_int_equal(f->bit, 12);
	/* outside every QEMU word: CPUID.0FH.1:EDX */
	f = vcpuid_libvirt_feature_find("mbm_total");
	assert_non_null(f);
	assert_null(f->qemu);
	assert_int_equal(f->word, -1);
	assert_int_equal(f->leaf, 0xf);
	assert_int_equal(f->subleaf, 1);
	assert_int_equal(f->reg, VCPUID_EDX);
	assert_int_equal(f->bit, 1);
	f = vcpuid_libvirt_feature_find("mbm_local");
	assert_non_null(f);
	assert_int_equal(f->bit, 2);
}

static void msr_words_and_flags(void **state)
{
	(void)state;
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_feature_find("rdctl-no");
	assert_non_null(f);
	assert_int_equal(f->word, VCPUID_W_ARCH_CAP);
	assert_int_equal(f->bit, 0);
	assert_int_equal(f->msr, 0x10a);
	f = vcpuid_libvirt_feature_find("mds-no");
	assert_non_null(f);
	assert_int_equal(f->msr, 0x10a);
	assert_int_equal(f->bit, 5);
	/* migratable='no' */
	f = vcpuid_libvirt_feature_find("invtsc");
	assert_non_null(f);
	assert_int_equal(f->flags, VCPUID_LV_UNMIGRATABLE);
	f = vcpuid_libvirt_feature_find("xsaves");
	assert_non_null(f);
	assert_int_equal(f->flags, VCPUID_LV_UNMIGRATABLE);
	f = vcpuid_libvirt_feature_find("fpu");
	assert_non_null(f);
	assert_int_equal(f->flags, 0);
}

static void feature_table(void **state)
{
	(void)state;
	size_t n = 0;
	const vcpuid_libvirt_feature *all = vcpuid_libvirt_features(&n);
	assert_int_equal(n, 212);	/* libvirt 9.0's cpu_map */
	assert_non_null(vcpuid_libvirt_features(NULL));
	assert_string_equal(all[0].name, "fpu");
	assert_string_equal(all[n - 1].name, "split-lock-detect");
	for (size_t i = 0; i < n; i++) {
		/* every QEMU name resolved to a word */
		if (all[i].qemu && all[i].word < 0)
			fail_msg("%s: QEMU name %s not in the catalog", all[i].name,
				 all[i].qemu);
		/* find gives the first of a name */
		const vcpuid_libvirt_feature *f =
			vcpuid_libvirt_feature_find(all[i].name);
		assert_non_null(f);
		assert_true(f <= &all[i]);
		/* at() gives the first naming a word's bit */
		if (all[i].word >= 0) {
			const vcpuid_libvirt_feature *a =
				vcpuid_libvirt_feature_at(all[i].word, all[i].bit);
			assert_non_null(a);
			assert_int_equal(a->word, all[i].word);
			assert_int_equal(a->bit, all[i].bit);
			assert_true(a <= &all[i]);
		}
	}
}

static void feature_at(void **state)
{
	(void)state;
	const vcpuid_libvirt_feature *f = vcpuid_libvirt_feature_at(VCPUID_W_1_ECX, 0);
	assert_non_null(f);
	assert_string_equal(f->name, "pni");
	f = vcpuid_libvirt_feature_at(VCPUID_W_1_ECX, 1);
	assert_non_null(f);
	assert_string_equal(f->name, "pclmuldq");
	f = vcpuid_libvirt_feature_at(VCPUID_W_1_ECX, 27);
	assert_non_null(f);
	assert_string_equal(f->name, "osxsave");
	f = vcpuid_libvirt_feature_at(VCPUID_W_ARCH_CAP, 0);
	assert_non_null(f);
	assert_string_equal(f->name, "rdctl-no");
	/* out of range and unnamed */
	assert_null(vcpuid_libvirt_feature_at((enum vcpuid_word)-1, 0));
	assert_null(vcpuid_libvirt_feature_at(VCPUID_NWORDS, 0));
	assert_null(vcpuid_libvirt_feature_at(VCPUID_W_1_ECX, 64));
	assert_null(vcpuid_libvirt_feature_at(VCPUID_W_1_EDX, 10)); /* reserved */
}

static void models(void **state)
{
	(void)state;
	size_t n = 0;
	const vcpuid_libvirt_model *all = vcpuid_libvirt_models(&n);
	assert_int_equal(n, 58);
	assert_string_equal(all[0].name, "486");
	assert_string_equal(all[n - 1].name, "Dhyana");
	const vcpuid_libvirt_model *m = vcpuid_libvirt_model_find("Skylake-Client-IBRS");
	assert_non_null(m);
	assert_string_equal(m->vendor, "Intel");
	assert_int_equal(m->decode, VCPUID_LV_DECODE_HOST | VCPUID_LV_DECODE_GUEST);
	assert_string_equal(m->signatures, "6:94 6:78 6:142 6:158");
	assert_non_null(strstr(m->features, " spec-ctrl "));
	m = vcpuid_libvirt_model_find("Skylake-Server-noTSX-IBRS");
	assert_non_null(m);
	assert_int_equal(m->decode, VCPUID_LV_DECODE_HOST);
	m = vcpuid_libvirt_model_find("qemu64");
	assert_non_null(m);
	assert_string_equal(m->vendor, "");
	assert_string_equal(m->signatures, "");
	/* QEMU's versioned names and libvirt-only spellings */
	assert_null(vcpuid_libvirt_model_find("Skylake-Client-v2"));
	assert_null(vcpuid_libvirt_model_find("host"));
	assert_null(vcpuid_libvirt_model_find("skylake-client"));
	assert_null(vcpuid_libvirt_model_find(NULL));
	assert_non_null(vcpuid_libvirt_model_find("Dhyana"));
	assert_string_equal(vcpuid_libvirt_model_find("Dhyana")->vendor, "Hygon");
}

static void model_words(void **state)
{
	(void)state;
	vcpuid_words w;
	memset(w, 0xff, sizeof(w));
	vcpuid_libvirt_model_words(vcpuid_libvirt_model_find("qemu64"), w);
	/* fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36
	 * clflush mmx fxsr sse sse2 */
	assert_true(w[VCPUID_W_1_EDX] == 0x078bfbfd);
	assert_true(w[VCPUID_W_1_ECX] == 0x2001);		/* pni cx16 */
	assert_true(w[VCPUID_W_8000_0001_EDX] == 0x20100800);	/* syscall nx lm */
	assert_true(w[VCPUID_W_8000_0001_ECX] == 0x4);		/* svm */
	assert_true(w[VCPUID_W_7_0_EBX] == 0);
	/* 486: fpu vme pse */
	vcpuid_libvirt_model_words(vcpuid_libvirt_model_find("486"), w);
	unsigned long long sum = 0;
	for (int i = 0; i < VCPUID_NWORDS; i++)
		if (i != VCPUID_W_1_EDX)
			sum |= w[i];
	assert_true(sum == 0);
	assert_true(w[VCPUID_W_1_EDX] == 0xb);
}

static void model_signatures(void **state)
{
	(void)state;
	const vcpuid_libvirt_model *m = vcpuid_libvirt_model_find("Skylake-Client-IBRS");
	/* family:model, any stepping */
	assert_true(vcpuid_libvirt_model_signature(m, 6, 94, 3));
	assert_true(vcpuid_libvirt_model_signature(m, 6, 158, 0));
	assert_true(vcpuid_libvirt_model_signature(m, 6, 158, 15));
	assert_false(vcpuid_libvirt_model_signature(m, 6, 85, 4));
	assert_false(vcpuid_libvirt_model_signature(m, 15, 94, 3));
	/* family:model:first-last */
	m = vcpuid_libvirt_model_find("Cascadelake-Server");
	assert_false(vcpuid_libvirt_model_signature(m, 6, 85, 4));
	assert_true(vcpuid_libvirt_model_signature(m, 6, 85, 5));
	assert_true(vcpuid_libvirt_model_signature(m, 6, 85, 7));
	assert_false(vcpuid_libvirt_model_signature(m, 6, 85, 8));
	m = vcpuid_libvirt_model_find("Skylake-Server");
	assert_true(vcpuid_libvirt_model_signature(m, 6, 85, 0));
	assert_true(vcpuid_libvirt_model_signature(m, 6, 85, 4));
	assert_false(vcpuid_libvirt_model_signature(m, 6, 85, 5));
	m = vcpuid_libvirt_model_find("EPYC");
	assert_true(vcpuid_libvirt_model_signature(m, 23, 1, 2));
	assert_false(vcpuid_libvirt_model_signature(m, 23, 49, 0));
	/* none */
	m = vcpuid_libvirt_model_find("qemu64");
	assert_false(vcpuid_libvirt_model_signature(m, 0, 0, 0));
	assert_false(vcpuid_libvirt_model_signature(m, 15, 6, 1));
}

static void vendors(void **state)
{
	(void)state;
	assert_string_equal(vcpuid_libvirt_vendor("GenuineIntel"), "Intel");
	assert_string_equal(vcpuid_libvirt_vendor("AuthenticAMD"), "AMD");
	assert_string_equal(vcpuid_libvirt_vendor("HygonGenuine"), "Hygon");
	assert_null(vcpuid_libvirt_vendor("CentaurHauls"));
	assert_null(vcpuid_libvirt_vendor("Intel"));
	assert_null(vcpuid_libvirt_vendor(NULL));
	assert_string_equal(vcpuid_libvirt_vendor_string("Intel"), "GenuineIntel");
	assert_string_equal(vcpuid_libvirt_vendor_string("AMD"), "AuthenticAMD");
	assert_string_equal(vcpuid_libvirt_vendor_string("Hygon"), "HygonGenuine");
	assert_null(vcpuid_libvirt_vendor_string("intel"));
	assert_null(vcpuid_libvirt_vendor_string("GenuineIntel"));
	assert_null(vcpuid_libvirt_vendor_string(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(feature_names_differ_from_qemu),
		cmocka_unit_test(bits_qemu_has_no_name_for),
		cmocka_unit_test(msr_words_and_flags),
		cmocka_unit_test(feature_table),
		cmocka_unit_test(feature_at),
		cmocka_unit_test(models),
		cmocka_unit_test(model_words),
		cmocka_unit_test(model_signatures),
		cmocka_unit_test(vendors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
