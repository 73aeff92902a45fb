/* SPDX-License-Identifier: MIT */
/* The feature and alias tables of the catalog, and the name hash, shared by
 * catalog.c and gen_name_index.c (the build-time tool that writes the name
 * index from them). Data and two tiny helpers only; include once per
 * program. */
#ifndef VCPUID_CATALOG_TABLES_H
#define VCPUID_CATALOG_TABLES_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include "vcpuid/catalog.h"

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

#endif
