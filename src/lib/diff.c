/* SPDX-License-Identifier: MIT */
/* diff: what differs between two decoded CPUs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void vcpuid_diff_free(vcpuid_diff *d)
{
	free(d->feat);
	memset(d, 0, sizeof(*d));
}

static void num(vcpuid_diff *o, const char *field, uint64_t a, uint64_t b)
{
	if (a == b || o->nfield >= ARRAY_SIZE(o->field))
		return;
	vcpuid_diff_field *f = &o->field[o->nfield++];
	memset(f, 0, sizeof(*f));
	f->field = field;
	f->a = a;
	f->b = b;
}

static void str(vcpuid_diff *o, const char *field, const char *a, const char *b)
{
	if (!strcmp(a, b) || o->nfield >= ARRAY_SIZE(o->field))
		return;
	vcpuid_diff_field *f = &o->field[o->nfield++];
	memset(f, 0, sizeof(*f));
	f->field = field;
	f->is_string = true;
	snprintf(f->sa, sizeof(f->sa), "%s", a);
	snprintf(f->sb, sizeof(f->sb), "%s", b);
}

int vcpuid_diff_decoded(const vcpuid_decoded *a, const vcpuid_decoded *b,
			vcpuid_diff *o, vcpuid_error *err)
{
	memset(o, 0, sizeof(*o));
	size_t n = 0;
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		uint64_t x = a->words[w] ^ b->words[w];
		n += (size_t)__builtin_popcountll(x);
	}
	if (n) {
		o->feat = calloc(n, sizeof(*o->feat));
		if (!o->feat)
			return vcpuid_fail(err, VCPUID_E_NOMEM, "diff: out of memory");
	}
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		uint64_t x = a->words[w] ^ b->words[w];
		for (unsigned bit = 0; bit < 64; bit++) {
			if (!(x >> bit & 1))
				continue;
			const vcpuid_feature *f = vcpuid_feature_at((enum vcpuid_word)w, bit);
			vcpuid_diff_feature *df = &o->feat[o->nfeat++];
			df->word = (enum vcpuid_word)w;
			df->bit = bit;
			df->name = f ? f->name : NULL;
			df->in_a = a->words[w] >> bit & 1;
		}
	}
	str(o, "vendor", a->vendor, b->vendor);
	str(o, "brand", a->brand, b->brand);
	num(o, "family", a->family, b->family);
	num(o, "model", a->model, b->model);
	num(o, "stepping", a->stepping, b->stepping);
	num(o, "max_basic", a->max_basic, b->max_basic);
	num(o, "max_ext", a->max_ext, b->max_ext);
	num(o, "max_centaur", a->max_centaur, b->max_centaur);
	str(o, "hypervisor", a->hypervisor, b->hypervisor);
	num(o, "max_hypervisor", a->max_hypervisor, b->max_hypervisor);
	num(o, "phys_bits", a->phys_bits, b->phys_bits);
	num(o, "virt_bits", a->virt_bits, b->virt_bits);
	num(o, "leaf7_max_subleaf", a->max_leaf7_subleaf, b->max_leaf7_subleaf);
	num(o, "xcr0", a->xcr0, b->xcr0);
	num(o, "xss", a->xss, b->xss);
	num(o, "xsave_size_enabled", a->xsave_size_enabled, b->xsave_size_enabled);
	num(o, "xsave_size_max", a->xsave_size_max, b->xsave_size_max);
	num(o, "xsave_size_xss", a->xsave_size_xss, b->xsave_size_xss);
	return 0;
}
