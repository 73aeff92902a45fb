/* SPDX-License-Identifier: MIT */
/* The model catalog and model.c: names resolve, versions stack, aliases and
 * machine types pick the right version, `-cpu help` descriptions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vcpuid.h"

/* QEMU properties a version may set that are not feature flags. */
static const char *const non_feature_props[] = {
	"model-id", "stepping", "family", "model", "level", "xlevel", "xlevel2",
	"vendor", "avx10-version", "x-force-cpuid-0x1f", NULL
};

static bool is_non_feature(const char *name)
{
	for (size_t i = 0; non_feature_props[i]; i++)
		if (!strcmp(name, non_feature_props[i]))
			return true;
	return false;
}

static unsigned unresolved;
static int check_prop(const vcpuid_prop *p, int version, void *ctx)
{
	const vcpuid_model_def *d = ctx;
	if (is_non_feature(p->name))
		return 0;
	if (strcmp(p->value, "on") && strcmp(p->value, "off"))
		fail_msg("%s-v%d: feature %s=%s is neither on nor off", d->name,
			 version, p->name, p->value);
	if (!vcpuid_feature_lookup(p->name, NULL)) {
		print_message("%s-v%d: property %s is no known feature\n", d->name,
			      version, p->name);
		unresolved++;
	}
	return 0;
}

/* The next name of a model's space-separated feature list, into word;
 * false at the end. */
enum { NAME_MAX_LEN = 64 };
static bool next_name(const char **p, char word[NAME_MAX_LEN])
{
	*p += strspn(*p, " ");
	size_t len = strcspn(*p, " ");
	if (!len)
		return false;
	assert_true(len < NAME_MAX_LEN);
	memcpy(word, *p, len);
	word[len] = 0;
	*p += len;
	return true;
}

static void every_feature_name_resolves(void **state)
{
	(void)state;
	size_t nf;
	vcpuid_features(&nf);
	if (nf < 200) /* the feature catalog is still the skeleton's stub */
		skip();
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	unresolved = 0;
	for (size_t i = 0; i < n; i++) {
		char word[NAME_MAX_LEN];
		for (const char *p = m[i].features; next_name(&p, word);) {
			unsigned bit;
			int w = vcpuid_word_bit_parse(word, &bit);
			/* WORD[bit] only for a real word's unnamed bit */
			if (w >= 0 ? vcpuid_feature_at(w, bit) != NULL
				   : !vcpuid_feature_lookup(word, NULL)) {
				print_message("%s: feature %s unknown\n", m[i].name, word);
				unresolved++;
			}
		}
		int last = vcpuid_model_latest_version(&m[i]);
		assert_int_equal(vcpuid_model_version_props(&m[i], last, check_prop,
							    (void *)&m[i]), 0);
	}
	assert_int_equal(unresolved, 0);
}

/* The model words made at build time (model_words.h) are the names of
 * each model's list resolved through the catalog at run time. */
#include "model_words.h"

static void model_words_match_the_names(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	assert_int_equal(n, MODEL_WORDS_N);
	for (size_t i = 0; i < n; i++) {
		vcpuid_words w = { 0 };
		char word[NAME_MAX_LEN];
		for (const char *p = m[i].features; next_name(&p, word);) {
			enum vcpuid_word fw;
			uint64_t mask = vcpuid_feature_mask(word, &fw);
			unsigned bit;
			int bw = vcpuid_word_bit_parse(word, &bit);
			if (mask)
				w[fw] |= mask;
			else if (bw >= 0)
				w[bw] |= 1ull << bit;
			else
				fail_msg("%s: %s", m[i].name, word);
		}
		for (int k = 0; k < VCPUID_NWORDS; k++)
			if (w[k] != model_feature_words[i][k])
				fail_msg("%s word %d: names give 0x%llx, the table "
					 "0x%llx", m[i].name, k,
					 (unsigned long long)w[k],
					 (unsigned long long)model_feature_words[i][k]);
	}
}

static void catalog_is_well_formed(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	assert_true(n >= 38); /* QEMU 7.2 has 38 base models */
	for (size_t i = 0; i < n; i++) {
		assert_non_null(vcpuid_model_find(m[i].name));
		assert_true(strlen(m[i].model_id) <= 48);
		assert_true(m[i].qemu_since >= 702);
		/* versions are 1, 2, 3 ... and never older than their model */
		int want = 1;
		const vcpuid_model_version *v = m[i].versions;
		for (; v && v->version; v++, want++) {
			assert_int_equal(v->version, want);
			assert_true(v->qemu_since >= m[i].qemu_since);
			if (v->alias) {
				vcpuid_model_ref r;
				assert_int_equal(vcpuid_model_resolve(v->alias,
					vcpuid_machine_find(NULL), &r, NULL), 0);
				assert_ptr_equal(r.def, &m[i]);
				assert_int_equal(r.version, v->version);
			}
		}
		/* every cache QEMU's leaf-4 encoder accepts */
		for (int ver = 1; ver <= vcpuid_model_latest_version(&m[i]); ver++) {
			const vcpuid_cache_set *c = vcpuid_model_version_cache(&m[i], ver);
			if (!c)
				continue;
			const vcpuid_cache *all[] = { &c->l1d, &c->l1i, &c->l2, &c->l3 };
			for (size_t k = 0; k < 4; k++)
				assert_int_equal(all[k]->size,
						 (uint32_t)all[k]->line_size *
						 all[k]->associativity *
						 all[k]->partitions * all[k]->sets);
		}
	}
}

struct collected {
	char names[16][32];
	int versions[16];
	size_t n;
};

static int collect(const vcpuid_prop *p, int version, void *ctx)
{
	struct collected *c = ctx;
	if (c->n < 16) {
		snprintf(c->names[c->n], sizeof(c->names[0]), "%s=%s", p->name, p->value);
		c->versions[c->n++] = version;
	}
	return 0;
}

static void versions_stack_in_order(void **state)
{
	(void)state;
	const vcpuid_model_def *d = vcpuid_model_find("Cascadelake-Server");
	assert_non_null(d);
	struct collected c = { .n = 0 };
	assert_int_equal(vcpuid_model_version_props(d, 4, collect, &c), 0);
	static const char *const want[] = {
		"arch-capabilities=on", "rdctl-no=on", "ibrs-all=on",
		"skip-l1dfl-vmentry=on", "mds-no=on", "hle=off", "rtm=off",
		"vmx-eptp-switching=on" };
	static const int wantv[] = { 2, 2, 2, 2, 2, 3, 3, 4 };
	assert_int_equal(c.n, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_string_equal(c.names[i], want[i]);
		assert_int_equal(c.versions[i], wantv[i]);
	}
	/* v1 has no props; an absent version is an error */
	c.n = 0;
	assert_int_equal(vcpuid_model_version_props(d, 1, collect, &c), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(vcpuid_model_version_props(d, 99, collect, &c),
			 VCPUID_E_UNKNOWN);
	/* model-id follows the last model-id prop */
	const vcpuid_model_def *s = vcpuid_model_find("Skylake-Client");
	assert_string_equal(vcpuid_model_version_model_id(s, 1),
			    "Intel Core Processor (Skylake)");
	assert_string_equal(vcpuid_model_version_model_id(s, 4),
			    "Intel Core Processor (Skylake, IBRS, no TSX)");
	/* cache overrides are inherited by later versions */
	const vcpuid_model_def *e = vcpuid_model_find("EPYC-Rome");
	assert_non_null(e);
	assert_non_null(e->cache);
	assert_ptr_equal(vcpuid_model_version_cache(e, 1), e->cache);
}

static void resolution_and_aliases(void **state)
{
	(void)state;
	const vcpuid_machine *m72 = vcpuid_machine_find("pc-i440fx-7.2");
	assert_non_null(m72);
	vcpuid_model_ref r;
	vcpuid_error err = { 0 };

	assert_int_equal(vcpuid_model_resolve("Skylake-Client", m72, &r, &err), 0);
	assert_string_equal(r.def->name, "Skylake-Client");
	assert_int_equal(r.kind, VCPUID_TYPE_AUTO);
	assert_int_equal(r.version, m72->default_cpu_version);

	assert_int_equal(vcpuid_model_resolve("Skylake-Client-v4", m72, &r, &err), 0);
	assert_int_equal(r.kind, VCPUID_TYPE_VERSIONED);
	assert_int_equal(r.version, 4);

	assert_int_equal(vcpuid_model_resolve("Skylake-Client-IBRS", m72, &r, &err), 0);
	assert_int_equal(r.kind, VCPUID_TYPE_ALIAS);
	assert_int_equal(r.version, 2);
	assert_string_equal(r.def->name, "Skylake-Client");

	assert_int_equal(vcpuid_model_resolve("Haswell-noTSX", m72, &r, &err), 0);
	assert_int_equal(r.version, 2);

	assert_int_equal(vcpuid_model_resolve("host", m72, &r, &err), 0);
	assert_int_equal(r.kind, VCPUID_TYPE_SPECIAL);
	assert_null(r.def);

	/* names are case-sensitive, as in QEMU; bad versions are unknown */
	assert_int_equal(vcpuid_model_resolve("skylake-client", m72, &r, &err),
			 VCPUID_E_UNKNOWN);
	assert_non_null(strstr(err.msg, "did you mean: Skylake-Client"));
	assert_int_equal(vcpuid_model_resolve("Skylake-Client-v99", m72, &r, &err),
			 VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_model_resolve("Skylake-Client-v01", m72, &r, &err),
			 VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_model_resolve("Skylake-Client-v", m72, &r, &err),
			 VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_model_resolve("", m72, &r, &err), VCPUID_E_UNKNOWN);
	assert_int_equal(vcpuid_model_resolve("Opteron-G5", m72, &r, &err),
			 VCPUID_E_UNKNOWN);
	assert_non_null(strstr(err.msg, "Opteron_G5"));
	assert_int_equal(vcpuid_model_resolve("zzzzzzzzzzzzzzzzzzzzz", m72, &r, &err),
			 VCPUID_E_UNKNOWN);
	assert_null(strstr(err.msg, "did you mean"));
}

static void models_follow_the_machine_release(void **state)
{
	(void)state;
	const vcpuid_machine *m72 = vcpuid_machine_find("pc-q35-7.2");
	const vcpuid_machine *newest = vcpuid_machine_find(NULL);
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	for (size_t i = 0; i < n; i++) {
		vcpuid_model_ref r;
		int rc = vcpuid_model_resolve(m[i].name, m72, &r, NULL);
		assert_int_equal(rc, m[i].qemu_since <= 702 ? 0 : VCPUID_E_UNKNOWN);
		assert_int_equal(vcpuid_model_resolve(m[i].name, newest, &r, NULL), 0);
	}
}

static void machine_types(void **state)
{
	(void)state;
	size_t n;
	const vcpuid_machine *m = vcpuid_machines(&n);
	assert_true(n >= 4);
	assert_ptr_equal(vcpuid_machine_find(NULL), &m[n - 1]);
	const vcpuid_machine *pc = vcpuid_machine_find("pc");
	const vcpuid_machine *q35 = vcpuid_machine_find("q35");
	assert_non_null(pc);
	assert_non_null(q35);
	assert_int_equal(strncmp(pc->name, "pc-i440fx-", 10), 0);
	assert_int_equal(strncmp(q35->name, "pc-q35-", 7), 0);
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(m[i].name, "pc-i440fx-", 10))
			assert_true(m[i].qemu <= pc->qemu);
		if (!strncmp(m[i].name, "pc-q35-", 7))
			assert_true(m[i].qemu <= q35->qemu);
		/* current pc machine types pick v1 */
		assert_int_equal(m[i].default_cpu_version, 1);
		for (const vcpuid_compat *c = m[i].compat; c->driver; c++)
			assert_true(c->prop && c->value);
	}
	assert_null(vcpuid_machine_find("pc-i440fx-1.0"));
	const vcpuid_machine *m72 = vcpuid_machine_find("pc-i440fx-7.2");
	assert_int_equal(m72->qemu, 702);
	/* A machine type stands for its own release, emulated natively: QEMU
	 * applies no compat properties to its newest machine types. */
	assert_null(m72->compat[0].driver);
	assert_null(vcpuid_machine_find(NULL)->compat[0].driver);
}

static void cpu_help_lines(void **state)
{
	(void)state;
	vcpuid_cpu_type *t;
	size_t n;
	assert_int_equal(vcpuid_cpu_types(vcpuid_machine_find("pc-i440fx-7.2"), true,
					  &t, &n, NULL), 0);
	assert_int_equal(n, 132); /* QEMU 7.2's -cpu help */
	bool seen_v4 = false, seen_alias = false, seen_auto = false;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && t[i].ref.kind != VCPUID_TYPE_SPECIAL &&
		    t[i - 1].ref.kind != VCPUID_TYPE_SPECIAL)
			assert_true(strcmp(t[i - 1].ref.name, t[i].ref.name) < 0);
		if (!strcmp(t[i].ref.name, "Skylake-Client-v4")) {
			assert_string_equal(t[i].description,
				"Intel Core Processor (Skylake, IBRS, no TSX) "
				"[IBRS, XSAVES, no TSX]");
			seen_v4 = true;
		}
		if (!strcmp(t[i].ref.name, "Skylake-Client-IBRS")) {
			assert_string_equal(t[i].description,
					    "(alias of Skylake-Client-v2)");
			seen_alias = true;
		}
		if (!strcmp(t[i].ref.name, "Skylake-Client")) {
			assert_string_equal(t[i].description,
					    "(alias configured by machine type)");
			seen_auto = true;
		}
	}
	assert_true(seen_v4 && seen_alias && seen_auto);
	/* base, host and max come last, in that order */
	assert_string_equal(t[n - 3].ref.name, "base");
	assert_string_equal(t[n - 2].ref.name, "host");
	assert_string_equal(t[n - 1].ref.name, "max");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_feature_name_resolves),
		cmocka_unit_test(model_words_match_the_names),
		cmocka_unit_test(catalog_is_well_formed),
		cmocka_unit_test(versions_stack_in_order),
		cmocka_unit_test(resolution_and_aliases),
		cmocka_unit_test(models_follow_the_machine_release),
		cmocka_unit_test(machine_types),
		cmocka_unit_test(cpu_help_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
