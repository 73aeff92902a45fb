/* SPDX-License-Identifier: MIT */
/* gen_name_index: a build-time tool. Writes name_index.h, the catalog's
 * hash of every feature name and alias (normalised), from the tables in
 * catalog_tables.h, so that no process builds it at start-up.
 *   gen_name_index OUTPUT
 * The index: ix[] holds each canonical name once (the first feature of a
 * run of equal names, and how many bits the run has), then each alias whose
 * normalised spelling is not already a name; ix_slot[] is an open-addressing
 * table over ct_name_hash(); at[word][bit] is features[] index + 1 of the
 * first feature at that bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "catalog_tables.h"
#include "gen_output.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(IX_SLOTS >= 2 * (N(features) + N(aliases)),
	       "name index: too few hash slots");

static struct name_ix ix[N(features) + N(aliases)];
static size_t nix;
static uint16_t slot[IX_SLOTS];
static uint16_t at[VCPUID_NWORDS][64];
static char alias_norm[N(aliases)][40];

static const struct name_ix *find(const char *norm)
{
	return ct_ix_find(ix, slot, norm);
}

static void insert(size_t e)
{
	uint32_t i = ct_name_hash(ix[e].name);
	while (slot[i % IX_SLOTS])
		i++;
	slot[i % IX_SLOTS] = (uint16_t)(e + 1);
}

/* Names are C string literals in the output. */
static int check_name(const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_name_index OUTPUT\n");
		return 2;
	}
	for (size_t i = 0; i < N(features); i++) {
		const vcpuid_feature *f = &features[i];
		if (!at[f->word][f->bit])
			at[f->word][f->bit] = (uint16_t)(i + 1);
		if (i && !strcmp(features[i - 1].name, f->name)) {
			ix[nix - 1].nbits++;
			continue;
		}
		if (find(f->name)) {
			fprintf(stderr, "gen_name_index: %s named twice apart\n",
				f->name);
			return 1;
		}
		ix[nix].name = f->name;
		ix[nix].f = (uint16_t)i;
		ix[nix].nbits = 1;
		insert(nix++);
	}
	for (size_t i = 0; i < N(aliases); i++) {
		const struct name_ix *t = find(aliases[i].name);
		if (!t) {
			fprintf(stderr, "gen_name_index: alias %s of unknown %s\n",
				aliases[i].alias, aliases[i].name);
			return 1;
		}
		ct_normalize(aliases[i].alias, alias_norm[i], sizeof(alias_norm[i]));
		/* "lahf_lm" normalises to the canonical "lahf-lm": keep one */
		if (find(alias_norm[i]))
			continue;
		ix[nix].name = alias_norm[i];
		ix[nix].f = t->f;
		ix[nix].nbits = t->nbits;
		insert(nix++);
	}

	struct gen_out g;
	if (!gen_open(&g, argv[1], "gen_name_index", "src/lib/data/features.def"))
		return 1;
	FILE *o = g.f;
	fprintf(o, "static const struct name_ix ix[%zu] = {\n", nix);
	for (size_t i = 0; i < nix; i++) {
		if (check_name(ix[i].name)) {
			fprintf(stderr, "gen_name_index: bad name %s\n", ix[i].name);
			return gen_close(&g, false);
		}
		fprintf(o, "\t{ \"%s\", %u, %u },\n", ix[i].name, ix[i].f,
			ix[i].nbits);
	}
	fprintf(o, "};\nstatic const uint16_t ix_slot[IX_SLOTS] = {\n");
	for (size_t i = 0; i < IX_SLOTS; i++)
		if (slot[i])
			fprintf(o, "\t[%zu] = %u,\n", i, slot[i]);
	fprintf(o, "};\nstatic const uint16_t at[VCPUID_NWORDS][64] = {\n");
	for (size_t w = 0; w < VCPUID_NWORDS; w++)
		for (size_t b = 0; b < 64; b++)
			if (at[w][b])
				fprintf(o, "\t[%zu][%zu] = %u,\n", w, b, at[w][b]);
	fprintf(o, "};\n");
	return gen_close(&g, true);
}
