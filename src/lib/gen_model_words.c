/* SPDX-License-Identifier: MIT */
/* gen_model_words: a build-time tool. Writes model_words.h: each CPU
 * model's feature list (data/models*.c, version 1, space separated names)
 * as feature words, in the order of vcpuid_models(), so that expanding a
 * model looks no name up at run time. A name the catalog does not know is
 * an error here, when the library is built.
 *   gen_model_words OUTPUT
 * Names resolve as QEMU's properties do (catalog.c, vc_feature_exact): a
 * canonical name or an alias, case sensitive, all bits of that name; or
 * "WORD[bit]" for a bit without a name. */
#include <stdio.h>
#include <string.h>
#include "catalog_tables.h"
#include "gen_output.h"
#include "vcpuid/model.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Set the bits of `name` in w; false when it names nothing. */
static bool set_name(const char *name, vcpuid_words w)
{
	const char *canon = NULL;
	for (size_t i = 0; i < N(features) && !canon; i++)
		if (!strcmp(features[i].name, name))
			canon = name;
	for (size_t i = 0; i < N(aliases) && !canon; i++)
		if (!strcmp(aliases[i].alias, name))
			canon = aliases[i].name;
	bool any = false;
	for (size_t i = 0; canon && i < N(features); i++)
		if (!strcmp(features[i].name, canon)) {
			w[features[i].word] |= 1ull << features[i].bit;
			any = true;
		}
	if (any)
		return true;
	unsigned bit;
	int word = ct_word_bit_parse(name, &bit);
	if (word < 0)
		return false;
	w[word] |= 1ull << bit;
	return true;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_model_words OUTPUT\n");
		return 2;
	}
	size_t n;
	const vcpuid_model_def *m = vcpuid_models(&n);
	struct gen_out g;
	if (!gen_open(&g, argv[1], "gen_model_words", "src/lib/data/models*.c"))
		return 1;
	FILE *o = g.f;
	fprintf(o, "#define MODEL_WORDS_N %zu\n"
		   "static const vcpuid_words model_feature_words[%zu] = {\n",
		n, n);
	for (size_t i = 0; i < n; i++) {
		vcpuid_words w = { 0 };
		const char *p = m[i].features;
		while (p && *p) {
			p += strspn(p, " ");
			size_t len = strcspn(p, " ");
			if (!len)
				break;
			char name[64];
			if (len >= sizeof(name)) {
				fprintf(stderr, "gen_model_words: model %s: name too "
					"long\n", m[i].name);
				goto fail;
			}
			memcpy(name, p, len);
			name[len] = 0;
			p += len;
			if (!set_name(name, w)) {
				fprintf(stderr, "gen_model_words: model %s: unknown "
					"feature '%s'\n", m[i].name, name);
				goto fail;
			}
		}
		fprintf(o, "\t[%zu] = { /* %s */\n", i, m[i].name);
		for (int k = 0; k < VCPUID_NWORDS; k++)
			if (w[k])
				fprintf(o, "\t\t[%d] = 0x%llxull,\n", k,
					(unsigned long long)w[k]);
		fprintf(o, "\t},\n");
	}
	fprintf(o, "};\n");
	return gen_close(&g, true);
fail:
	return gen_close(&g, false);
}
