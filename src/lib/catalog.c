/* SPDX-License-Identifier: MIT */
/* The feature catalog: words, names, aliases, dependencies, lookups.
 * All facts come from include/vcpuid/words.def and src/lib/data/features.def. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#include "catalog_tables.h"

static const vcpuid_field fields[] = {
#define FIELD(w, s, n, name, since, desc) \
	{ name, VCPUID_W_##w, s, n, since, desc },
#include "data/features.def"
};

const vcpuid_field *vcpuid_field_at(enum vcpuid_word w, unsigned bit)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].word == w && bit >= fields[i].shift &&
		    bit < (unsigned)fields[i].shift + fields[i].width)
			return &fields[i];
	return NULL;
}

static const vcpuid_dependency deps[] = {
#define DEPEND(fw, fm, tw, tm, since) \
	{ VCPUID_W_##fw, fm, VCPUID_W_##tw, tm, since },
#include "data/features.def"
};

const vcpuid_word_info *vcpuid_word(enum vcpuid_word w)
{
	return (unsigned)w < VCPUID_NWORDS ? &words[w] : NULL;
}

/* Leaves whose words QEMU reads with an explicit subleaf (needs_ecx). */
static const uint32_t subleaf_leaves[] = { 0x7, 0xD, 0x12, 0x14, 0x1E, 0x24, 0x29 };

static bool leaf_has_subleaves(uint32_t leaf)
{
	for (size_t i = 0; i < ARRAY_SIZE(subleaf_leaves); i++)
		if (subleaf_leaves[i] == leaf)
			return true;
	return false;
}

int vcpuid_word_location(enum vcpuid_word w, char *buf, size_t len)
{
	static const char *const regs[] = { "EAX", "EBX", "ECX", "EDX" };
	const vcpuid_word_info *wi = vcpuid_word(w);
	if (!wi)
		return snprintf(buf, len, "?");
	if (wi->kind == MSR)
		return snprintf(buf, len, "MSR(%02XH)", wi->msr);
	if (leaf_has_subleaves(wi->leaf))
		return snprintf(buf, len, "CPUID.%02XH.%u:%s", wi->leaf,
				wi->subleaf, regs[wi->reg]);
	return snprintf(buf, len, "CPUID.%02XH:%s", wi->leaf, regs[wi->reg]);
}

int vcpuid_word_for_reg(uint32_t leaf, uint32_t subleaf, enum vcpuid_reg reg)
{
	for (int w = 0; w < VCPUID_NWORDS; w++)
		if (words[w].kind == CPUID && words[w].leaf == leaf &&
		    words[w].subleaf == subleaf && words[w].reg == reg)
			return w;
	return -1;
}

int vcpuid_word_for_msr(uint32_t msr)
{
	for (int w = 0; w < VCPUID_NWORDS; w++)
		if (words[w].kind == MSR && words[w].msr == msr)
			return w;
	return -1;
}

const vcpuid_feature *vcpuid_features(size_t *count)
{
	*count = ARRAY_SIZE(features);
	return features;
}

const vcpuid_alias *vcpuid_aliases(size_t *count)
{
	*count = ARRAY_SIZE(aliases);
	return aliases;
}

const vcpuid_dependency *vcpuid_dependencies(size_t *count)
{
	*count = ARRAY_SIZE(deps);
	return deps;
}

void vcpuid_feature_normalize(const char *in, char *out, size_t len)
{
	ct_normalize(in, out, len);
}

/* ---- name index: every name and alias ----
 * A hash of every name and alias, made when the library is built
 * (gen_name_index.c writes name_index.h from the same tables), so a VMM's
 * process does no work for it at start-up. */
#include "name_index.h"

const vcpuid_feature *vcpuid_feature_lookup(const char *name, size_t *nbits)
{
	char norm[40];
	if (strlen(name) >= sizeof(norm))
		return NULL;
	ct_normalize(name, norm, sizeof(norm));
	const struct name_ix *r = ct_ix_find(ix, ix_slot, norm);
	if (!r)
		return NULL;
	if (nbits)
		*nbits = r->nbits;
	return &features[r->f];
}

const vcpuid_feature *vcpuid_feature_at(enum vcpuid_word w, unsigned bit)
{
	if ((unsigned)w >= VCPUID_NWORDS || bit >= 64 || !at[w][bit])
		return NULL;
	return &features[at[w][bit] - 1];
}

/* Up to three names closest to `name`, nearest first, ties in
 * alphabetical order. */
void vcpuid_feature_suggest(const char *name, char *buf, size_t len)
{
	enum { MAXS = 3 };
	const char *best[MAXS] = { 0 };
	unsigned bestd[MAXS] = { ~0u, ~0u, ~0u };
	char norm[64];
	ct_normalize(name, norm, sizeof(norm));
	unsigned cap = (unsigned)strlen(norm) / 2 + 2;
	for (size_t i = 0; i < ARRAY_SIZE(ix); i++) {
		unsigned d = vu_edit_distance(norm, ix[i].name, cap);
		if (strstr(ix[i].name, norm) && strlen(norm) >= 3)
			d = d > 1 ? 1 : d;
		if (d >= cap)
			continue;
		for (int k = 0; k < MAXS; k++) {
			if (d < bestd[k] ||
			    (d == bestd[k] && strcmp(ix[i].name, best[k]) < 0)) {
				for (int m = MAXS - 1; m > k; m--) {
					best[m] = best[m - 1];
					bestd[m] = bestd[m - 1];
				}
				best[k] = ix[i].name;
				bestd[k] = d;
				break;
			}
		}
	}
	size_t off = 0;
	if (len)
		buf[0] = 0;
	for (int k = 0; k < MAXS && best[k] && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					k ? ", " : "", best[k]);
}

void vcpuid_words_from_table(const vcpuid_table *t, const vcpuid_msr_list *m,
			     vcpuid_words out)
{
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = &words[w];
		uint64_t v = 0;
		if (wi->kind == CPUID) {
			if (t)
				v = vcpuid_table_reg(t, wi->leaf, wi->subleaf, wi->reg);
		} else if (m) {
			vcpuid_msr_list_get(m, wi->msr, &v);
		}
		out[w] = v;
	}
}

size_t vcpuid_feature_aliases_of(const char *name,
				 void (*fn)(const char *alias, void *ctx),
				 void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
		if (strcmp(aliases[i].name, name))
			continue;
		if (fn)
			fn(aliases[i].alias, ctx);
		n++;
	}
	return n;
}

size_t vcpuid_word_features(enum vcpuid_word w, const vcpuid_feature **out,
			    size_t max)
{
	size_t n = 0;
	if ((unsigned)w >= VCPUID_NWORDS)
		return 0;
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!at[w][bit])
			continue;
		const vcpuid_feature *f = &features[at[w][bit] - 1];
		if (n < max)
			out[n] = f;
		n++;
	}
	return n < max ? n : max;
}

const vcpuid_feature *vc_avx10(uint16_t qemu)
{
	const vcpuid_feature *f = vcpuid_feature_lookup("avx10", NULL);
	return f && f->qemu_since <= qemu ? f : NULL;
}

uint64_t vcpuid_feature_mask(const char *name, enum vcpuid_word *w)
{
	size_t nbits = 0;
	const vcpuid_feature *f = vcpuid_feature_lookup(name, &nbits);
	uint64_t mask = 0;
	if (!f)
		return 0;
	for (size_t i = 0; i < nbits; i++)
		mask |= 1ull << f[i].bit;
	if (w)
		*w = f->word;
	return mask;
}

int vcpuid_word_bit_parse(const char *tok, unsigned *bit)
{
	return ct_word_bit_parse(tok, bit);
}

/* Is this word known to the emulated QEMU release? */
bool vc_word_known(enum vcpuid_word w, uint16_t qemu)
{
	const vcpuid_word_info *wi = vcpuid_word(w);
	return wi && wi->qemu_since <= qemu;
}

/* Look a feature name up exactly as QOM does: case sensitive, canonical
 * names and the aliases QEMU registers. Returns the first bit. */
const vcpuid_feature *vc_feature_exact(const char *name, size_t *nbits)
{
	const vcpuid_feature *f = vcpuid_feature_lookup(name, nbits);
	if (!f)
		return NULL;
	if (!strcmp(f->name, name))
		return f;
	size_t na;
	const vcpuid_alias *a = vcpuid_aliases(&na);
	for (size_t i = 0; i < na; i++)
		if (!strcmp(a[i].alias, name))
			return f;
	return NULL;
}
