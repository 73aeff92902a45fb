/* SPDX-License-Identifier: MIT */
/* gen_feature_bits: a build-time tool. Writes feature_bits.h: one constant
 * per named bit of data/features.def, so that logic names a bit the one way
 * the catalog does:
 *   FB_<WORD>_<NAME>        the bit's mask in its word (1_ECX, 7_0_EBX...)
 * NAME is the feature's canonical name upper-cased, '-' and '.' as '_'
 * (xsave -> FB_1_ECX_XSAVE, avx512-bf16 -> FB_7_1_EAX_AVX512_BF16). A mask
 * of a bit below 32 is an unsigned int (a register's width), above it a
 * uint64_t; a name with several bits in one word (kvmclock) has them all. A name logic uses that features.def does not have is an
 * undeclared identifier: the build fails, as model_words.h makes it fail
 * for a model's unknown feature.
 *   gen_feature_bits OUTPUT */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "catalog_tables.h"
#include "gen_output.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const word_ids[VCPUID_NWORDS] = {
#define WORD(id, ...) [VCPUID_W_##id] = #id,
#include "vcpuid/words.def"
#undef WORD
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_feature_bits OUTPUT\n");
		return 2;
	}
	struct gen_out g;
	if (!gen_open(&g, argv[1], "gen_feature_bits", "src/lib/data/features.def"))
		return 1;
	FILE *o = g.f;
	fprintf(o, "#ifndef VCPUID_FEATURE_BITS_H\n#define VCPUID_FEATURE_BITS_H\n"
		   "#include <stdint.h>\n");
	for (size_t i = 0; i < N(features); i++) {
		const vcpuid_feature *f = &features[i];
		char id[96];
		size_t k = 0;
		for (const char *p = f->name; *p && k + 1 < sizeof(id); p++)
			id[k++] = isalnum((unsigned char)*p)
				  ? (char)toupper((unsigned char)*p) : '_';
		id[k] = 0;
		if (f->word < 0 || f->word >= VCPUID_NWORDS || !word_ids[f->word]) {
			fprintf(stderr, "gen_feature_bits: %s: no word\n", f->name);
			return gen_close(&g, false);
		}
		bool seen = false; /* a name with several bits: one constant */
		uint64_t mask = 0;
		for (size_t j = 0; j < N(features); j++)
			if (features[j].word == f->word &&
			    !strcmp(features[j].name, f->name)) {
				seen |= j < i;
				mask |= 1ull << features[j].bit;
			}
		if (seen)
			continue;
		if (mask == 1ull << f->bit && f->bit < 32)
			fprintf(o, "#define FB_%s_%s (1u << %u)\n",
				word_ids[f->word], id, f->bit);
		else if (mask == 1ull << f->bit)
			fprintf(o, "#define FB_%s_%s (UINT64_C(1) << %u)\n",
				word_ids[f->word], id, f->bit);
		else
			fprintf(o, "#define FB_%s_%s UINT64_C(0x%llx)\n",
				word_ids[f->word], id, (unsigned long long)mask);
	}
	fprintf(o, "#endif\n");
	return gen_close(&g, true);
}
