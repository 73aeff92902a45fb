/* SPDX-License-Identifier: MIT */
/* The word, feature and alias tables of the catalog and three small
 * helpers over them, shared by catalog.c and the build-time tools that
 * write tables from them (gen_name_index.c, gen_model_words.c). Include
 * once per program. */
#ifndef VCPUID_CATALOG_TABLES_H
#define VCPUID_CATALOG_TABLES_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vcpuid/catalog.h"

#define CPUID VCPUID_WORD_CPUID
#define MSR VCPUID_WORD_MSR
#define EAX VCPUID_EAX
#define EBX VCPUID_EBX
#define ECX VCPUID_ECX
#define EDX VCPUID_EDX

static const vcpuid_word_info words[VCPUID_NWORDS] = {
#define WORD(id, kind, leaf, sub, reg, msr, migr, since) \
	[VCPUID_W_##id] = { #id, kind, leaf, sub, reg, msr, migr, since },
#include "vcpuid/words.def"
#undef WORD
};

#define UNMIG VCPUID_F_UNMIGRATABLE
#define NOAUTO VCPUID_F_NO_AUTOENABLE
#define HIDDEN VCPUID_F_LINUX_HIDDEN
#define AMDALIAS VCPUID_F_AMD_ALIAS
#define COMPUTED VCPUID_F_COMPUTED

static const vcpuid_feature features[] = {
#define FEATURE(w, bit, name, flags, since, lnx, desc) \
	{ name, VCPUID_W_##w, bit, flags, since, lnx, desc },
#include "data/features.def"
};

static const vcpuid_alias aliases[] = {
#define ALIAS(a, n) { a, n },
#include "data/features.def"
};

/* One entry of the name index: a canonical name or an alias, normalised,
 * and the features[] run it names. */
struct name_ix {
	const char *name;
	uint16_t f;	/* features[] index of the first feature with that name */
	uint16_t nbits;
};
enum { IX_SLOTS = 2048 }; /* open addressing: slot = ix index + 1, 0 = empty */

/* Lower case, '_' as '-': how QEMU compares property names. */
static inline void ct_normalize(const char *in, char *out, size_t len)
{
	size_t i = 0;
	for (; in[i] && i + 1 < len; i++)
		out[i] = in[i] == '_' ? '-' : (char)tolower((unsigned char)in[i]);
	if (len)
		out[i] = 0;
}

static inline uint32_t ct_name_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* The entry named norm in an index (ix[], and slot[IX_SLOTS] holding ix
 * index + 1, 0 = empty), or NULL. */
static inline const struct name_ix *ct_ix_find(const struct name_ix *ix,
					       const uint16_t *slot,
					       const char *norm)
{
	for (uint32_t i = ct_name_hash(norm);; i++) {
		uint16_t e = slot[i % IX_SLOTS];
		if (!e)
			return NULL;
		if (!strcmp(ix[e - 1].name, norm))
			return &ix[e - 1];
	}
}

/* "WORD[bit]" (a word's id from words.def and a bit number): the word,
 * with *bit set; -1 when tok is not that. */
static inline int ct_word_bit_parse(const char *tok, unsigned *bit)
{
	const char *br = strchr(tok, '[');
	if (!br || br == tok)
		return -1;
	char *end;
	unsigned long b = strtoul(br + 1, &end, 10);
	if (end == br + 1 || strcmp(end, "]") || b > 63)
		return -1;
	for (int w = 0; w < VCPUID_NWORDS; w++)
		if (strlen(words[w].id) == (size_t)(br - tok) &&
		    !strncmp(words[w].id, tok, (size_t)(br - tok))) {
			*bit = (unsigned)b;
			return w;
		}
	return -1;
}

#endif
