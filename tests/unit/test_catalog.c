/* SPDX-License-Identifier: MIT */
/* The feature catalog: its data is consistent and its lookups work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

static const vcpuid_feature *must(const char *name)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(name, NULL);
	if (!f)
		fail_msg("'%s' is not in the catalog", name);
	return f;
}

static void lookup_aliases_and_underscores(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{ "sse3", "pni" },	      { "SSE3", "pni" },
		{ "pclmuldq", "pclmulqdq" }, { "sse4-1", "sse4.1" },
		{ "sse4_1", "sse4.1" },     { "sse4_2", "sse4.2" },
		{ "xd", "nx" },		      { "ffxsr", "fxsr-opt" },
		{ "fxsr_opt", "fxsr-opt" }, { "i64", "lm" },
		{ "lahf_lm", "lahf-lm" },   { "kvm_pv_unhalt", "kvm-pv-unhalt" },
		{ "nrip_save", "nrip-save" }, { "tsc_adjust", "tsc-adjust" },
		{ "kvm_asyncpf_int", "kvm-asyncpf-int" },
		{ "vmx_ept", "vmx-ept" },   { "PNI", "pni" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const vcpuid_feature *a = must(pairs[i][0]);
		if (strcmp(a->name, pairs[i][1]))
			fail_msg("%s resolved to %s, want %s", pairs[i][0],
				 a->name, pairs[i][1]);
	}
	const vcpuid_feature *p = must("pni");
	assert_int_equal(p->word, VCPUID_W_1_ECX);
	assert_int_equal(p->bit, 0);
	assert_null(vcpuid_feature_lookup("no-such-feature", NULL));
	assert_null(vcpuid_feature_lookup("", NULL));
	char longname[200];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	assert_null(vcpuid_feature_lookup(longname, NULL));
	/* sse4.1 keeps its dot; the dash spelling is an alias */
	assert_ptr_equal(must("sse4.1"), must("sse4-1"));
}

static void known_positions(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum vcpuid_word w;
		unsigned bit;
	} k[] = {
		{ "vmx", VCPUID_W_1_ECX, 5 },
		{ "invtsc", VCPUID_W_8000_0007_EDX, 8 },
		{ "arch-capabilities", VCPUID_W_7_0_EDX, 29 },
		{ "lm", VCPUID_W_8000_0001_EDX, 29 },
		{ "rdctl-no", VCPUID_W_ARCH_CAP, 0 },
		{ "its-no", VCPUID_W_ARCH_CAP, 62 },
		{ "vmx-true-ctls", VCPUID_W_VMX_BASIC, 55 },
		{ "vmx-invvpid-all-context", VCPUID_W_VMX_EPT_VPID, 42 },
		{ "sgx-aex-notify", VCPUID_W_SGX_12_1_EAX, 10 },
		{ "msr-imm", VCPUID_W_7_1_ECX, 5 },
		{ "tsa-l1-no", VCPUID_W_8000_0021_ECX, 2 },
		{ "apx-nci-ndd-nf", VCPUID_W_29_0_EBX, 0 },
		{ "amx-movrs", VCPUID_W_1E_1_EAX, 8 },
		{ "avx10-vnni-int", VCPUID_W_24_1_ECX, 2 },
		{ "kvm-hint-dedicated", VCPUID_W_KVM_HINTS, 0 },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		const vcpuid_feature *f = must(k[i].name);
		if (f->word != k[i].w || f->bit != k[i].bit)
			fail_msg("%s at word %d bit %u", k[i].name, f->word,
				 f->bit);
		assert_ptr_equal(vcpuid_feature_at(k[i].w, k[i].bit), f);
	}
	assert_true(must("invtsc")->flags & VCPUID_F_UNMIGRATABLE);
	assert_true(must("topoext")->flags & VCPUID_F_NO_AUTOENABLE);
	assert_true(must("spec-ctrl")->flags & VCPUID_F_LINUX_HIDDEN);
	assert_true(must("fpu")->flags & VCPUID_F_AMD_ALIAS);
	assert_false(must("sse")->flags & VCPUID_F_AMD_ALIAS);
	assert_true(must("fxsr")->flags & VCPUID_F_AMD_ALIAS);
	assert_true(must("ht")->flags & VCPUID_F_COMPUTED);
	assert_false(must("pni")->flags & VCPUID_F_AMD_ALIAS);
	assert_int_equal(must("sse")->qemu_since, 702);
	assert_true(must("msr-imm")->qemu_since >= 800);
	assert_null(vcpuid_feature_at(VCPUID_W_1_EDX, 10));
	assert_null(vcpuid_feature_at(VCPUID_NWORDS, 0));
	assert_null(vcpuid_feature_at(VCPUID_W_1_EDX, 64));
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
	enum vcpuid_word w;
	assert_int_equal(vcpuid_feature_mask("kvmclock", &w), 0x9);
	assert_int_equal(w, VCPUID_W_KVM);
	f = vcpuid_feature_lookup("vmx_invept_single_context", &nbits);
	assert_non_null(f);
	assert_int_equal(nbits, 2);
	assert_int_equal(vcpuid_feature_mask("vmx-invept-single-context", NULL),
			 (1ull << 25) | (1ull << 41));
	assert_int_equal(vcpuid_feature_mask("nope", NULL), 0);
}

/* A name's lines are consecutive; lookup gives all of them. */
static void names_grouped(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_feature *f = vcpuid_features(&n);
	for (size_t i = 0; i < n; i++) {
		size_t nbits = 0;
		const vcpuid_feature *g = vcpuid_feature_lookup(f[i].name, &nbits);
		if (!g || strcmp(g->name, f[i].name))
			fail_msg("%s does not look itself up", f[i].name);
		if (f + i < g || f + i >= g + nbits)
			fail_msg("%s bit %u is not in its group", f[i].name,
				 f[i].bit);
		for (size_t k = 0; k < nbits; k++)
			if (g[k].word != g->word)
				fail_msg("%s spans two words", f[i].name);
	}
}

static void features_in_range_and_ordered(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_feature *f = vcpuid_features(&n);
	assert_true(n >= 400);
	const vcpuid_feature *group = f;
	static bool seen[VCPUID_NWORDS][64];
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < n; i++) {
		const vcpuid_word_info *wi = vcpuid_word(f[i].word);
		if (!wi)
			fail_msg("%s: bad word %d", f[i].name, f[i].word);
		unsigned width = wi->kind == VCPUID_WORD_CPUID ? 32 : 64;
		if (f[i].bit >= width)
			fail_msg("%s: bit %u out of range", f[i].name, f[i].bit);
		if (seen[f[i].word][f[i].bit])
			fail_msg("%s: word %s bit %u named twice", f[i].name,
				 wi->id, f[i].bit);
		seen[f[i].word][f[i].bit] = true;
		if (f[i].qemu_since != 702 && f[i].qemu_since < 800)
			fail_msg("%s: qemu_since %u", f[i].name, f[i].qemu_since);
		if (f[i].qemu_since < wi->qemu_since)
			fail_msg("%s older than its word %s", f[i].name, wi->id);
		if (!f[i].desc[0] || strchr(f[i].desc, '\n'))
			fail_msg("%s: bad description", f[i].name);
		if (strchr(f[i].name, '_') || strchr(f[i].name, '|'))
			fail_msg("%s: QEMU names use '-'", f[i].name);
		if ((f[i].flags & VCPUID_F_LINUX_HIDDEN) && !f[i].linux_name[0])
			fail_msg("%s: hidden but no Linux name", f[i].name);
		if ((f[i].flags & VCPUID_F_AMD_ALIAS) &&
		    f[i].word != VCPUID_W_1_EDX)
			fail_msg("%s: AMD alias outside 1.EDX", f[i].name);
		/* word order, then by the first bit of each name's group */
		if (i && !strcmp(f[i - 1].name, f[i].name))
			continue;
		if (i && (f[i].word < group->word ||
			  (f[i].word == group->word && f[i].bit <= group->bit)))
			fail_msg("%s is out of order", f[i].name);
		group = &f[i];
	}
}

static void words_consistent(void **state)
{
	(void)state;
	assert_int_equal(VCPUID_NWORDS, 48);
	for (int a = 0; a < VCPUID_NWORDS; a++) {
		const vcpuid_word_info *x = vcpuid_word(a);
		if (x->kind == VCPUID_WORD_CPUID)
			assert_int_equal(vcpuid_word_for_reg(x->leaf, x->subleaf,
							     x->reg), a);
		else
			assert_int_equal(vcpuid_word_for_msr(x->msr), a);
		for (int b = a + 1; b < VCPUID_NWORDS; b++)
			assert_string_not_equal(x->id, vcpuid_word(b)->id);
	}
	assert_int_equal(vcpuid_word_for_reg(0x7, 0, VCPUID_EAX), -1);
	char loc[40];
	vcpuid_word_location(VCPUID_W_7_0_EBX, loc, sizeof(loc));
	assert_string_equal(loc, "CPUID.07H.0:EBX");
	vcpuid_word_location(VCPUID_W_ARCH_CAP, loc, sizeof(loc));
	assert_string_equal(loc, "MSR(10AH)");
	vcpuid_word_location(VCPUID_W_1E_1_EAX, loc, sizeof(loc));
	assert_string_equal(loc, "CPUID.1EH.1:EAX");
	vcpuid_word_location(VCPUID_W_8000_0001_EDX, loc, sizeof(loc));
	assert_string_equal(loc, "CPUID.80000001H:EDX");
	/* QEMU's XCR0 migratable components: x87, SSE, AVX, MPX, AVX-512, PKRU */
	assert_int_equal(vcpuid_word(VCPUID_W_XSAVE_XCR0_LO)->migratable & 0x2ff,
			 0x2ff);
}

static void word_features_listing(void **state)
{
	(void)state;
	const vcpuid_feature *fs[64];
	size_t n = vcpuid_word_features(VCPUID_W_KVM, fs, 64);
	assert_int_equal(n, 16);
	assert_string_equal(fs[0]->name, "kvmclock");
	assert_int_equal(fs[1]->bit, 1);
	assert_string_equal(fs[3]->name, "kvmclock");
	assert_int_equal(fs[3]->bit, 3);
	assert_int_equal(vcpuid_word_features(VCPUID_W_XSAVE_XCR0_LO, fs, 64), 0);
	assert_int_equal(vcpuid_word_features(VCPUID_W_1_EDX, fs, 3), 3);
	size_t total = 0, nf;
	vcpuid_features(&nf);
	for (int w = 0; w < VCPUID_NWORDS; w++)
		total += vcpuid_word_features(w, fs, 64);
	assert_int_equal(total, nf);
}

static void every_alias_resolves(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_alias *a = vcpuid_aliases(&n);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		const vcpuid_feature *f = vcpuid_feature_lookup(a[i].alias, NULL);
		if (!f || strcmp(f->name, a[i].name))
			fail_msg("alias %s -> %s does not resolve", a[i].alias,
				 a[i].name);
		if (!vcpuid_feature_aliases_of(a[i].name, NULL, NULL))
			fail_msg("aliases_of(%s) misses %s", a[i].name,
				 a[i].alias);
	}
	assert_int_equal(vcpuid_feature_aliases_of("sse4.1", NULL, NULL), 2);
	assert_int_equal(vcpuid_feature_aliases_of("avx", NULL, NULL), 0);
}

/* The name index (made at build time): every name, in upper case or with
 * '_' for '-' too, finds the first feature of its run and the run's size;
 * every bit finds the first feature there. */
static void every_name_resolves(void **state)
{
	(void)state;
	size_t nf;
	const vcpuid_feature *f = vcpuid_features(&nf);
	for (size_t i = 0; i < nf; i++) {
		size_t first = i, run = 0;
		while (first && !strcmp(f[first - 1].name, f[i].name))
			first--;
		while (first + run < nf && !strcmp(f[first + run].name, f[i].name))
			run++;
		char odd[64];
		size_t k = 0;
		for (; f[i].name[k] && k + 1 < sizeof(odd); k++)
			odd[k] = f[i].name[k] == '-' ? '_'
				 : (char)toupper((unsigned char)f[i].name[k]);
		odd[k] = 0;
		const char *spellings[] = { f[i].name, odd };
		for (size_t s = 0; s < 2; s++) {
			size_t nbits = 0;
			const vcpuid_feature *g =
				vcpuid_feature_lookup(spellings[s], &nbits);
			if (g != &f[first] || nbits != run)
				fail_msg("%s: index gives %s x%zu, not entry %zu x%zu",
					 spellings[s], g ? g->name : "nothing",
					 nbits, first, run);
		}
		const vcpuid_feature *at = vcpuid_feature_at(f[i].word, f[i].bit);
		if (!at || at > &f[i] || at->word != f[i].word || at->bit != f[i].bit)
			fail_msg("%s: not found at its bit", f[i].name);
	}
	assert_null(vcpuid_feature_lookup("no-such-feature", NULL));
	assert_null(vcpuid_feature_lookup("", NULL));
}

static uint64_t named_mask(enum vcpuid_word w)
{
	const vcpuid_feature *fs[64];
	size_t n = vcpuid_word_features(w, fs, 64);
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		m |= 1ull << fs[i]->bit;
	return m;
}

static void dependencies_name_real_bits(void **state)
{
	(void)state;
	size_t n, n72 = 0;
	const vcpuid_dependency *d = vcpuid_dependencies(&n);
	assert_true(n >= 38);
	for (size_t i = 0; i < n; i++) {
		if ((unsigned)d[i].from_word >= VCPUID_NWORDS ||
		    (unsigned)d[i].to_word >= VCPUID_NWORDS)
			fail_msg("dependency %zu: bad word", i);
		if (!d[i].from_mask || (d[i].from_mask & ~named_mask(d[i].from_word)))
			fail_msg("dependency %zu: from 0x%llx names unnamed bits", i,
				 (unsigned long long)d[i].from_mask);
		uint64_t t = d[i].to_mask;
		bool whole = t == ~0ull || t == 0xffffffffull ||
			     t == 0xffffffff00000000ull;
		if (!t || (!whole && (t & ~named_mask(d[i].to_word))))
			fail_msg("dependency %zu: to 0x%llx names unnamed bits", i,
				 (unsigned long long)t);
		if (d[i].qemu_since != 702 && d[i].qemu_since < 800)
			fail_msg("dependency %zu: qemu_since %u", i, d[i].qemu_since);
		n72 += d[i].qemu_since == 702;
	}
	/* QEMU 7.2 has 24 entries; the first is arch-capabilities -> MSR word */
	assert_int_equal(n72, 24);
	assert_int_equal(d[0].from_word, VCPUID_W_7_0_EDX);
	assert_int_equal(d[0].from_mask, 1u << 29);
	assert_int_equal(d[0].to_word, VCPUID_W_ARCH_CAP);
}

static void suggestions(void **state)
{
	(void)state;
	char buf[128];
	vcpuid_feature_suggest("pnii", buf, sizeof(buf));
	assert_non_null(strstr(buf, "pni"));
	vcpuid_feature_suggest("avx512_vbmi", buf, sizeof(buf));
	assert_non_null(strstr(buf, "avx512vbmi"));
	vcpuid_feature_suggest("kvm_pv_unhalted", buf, sizeof(buf));
	assert_non_null(strstr(buf, "kvm-pv-unhalt"));
	vcpuid_feature_suggest("qqqqqqqqqqqqqqqqqqqq", buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* at most three, comma separated */
	vcpuid_feature_suggest("vmx-exit", buf, sizeof(buf));
	size_t commas = 0;
	for (const char *p = buf; *p; p++)
		commas += *p == ',';
	assert_true(commas <= 2);
	/* a tiny buffer is not overrun */
	char small[4];
	vcpuid_feature_suggest("pnii", small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookup_aliases_and_underscores),
		cmocka_unit_test(known_positions),
		cmocka_unit_test(name_on_two_bits),
		cmocka_unit_test(names_grouped),
		cmocka_unit_test(features_in_range_and_ordered),
		cmocka_unit_test(words_consistent),
		cmocka_unit_test(word_features_listing),
		cmocka_unit_test(every_alias_resolves),
		cmocka_unit_test(every_name_resolves),
		cmocka_unit_test(dependencies_name_real_bits),
		cmocka_unit_test(suggestions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
