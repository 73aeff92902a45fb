/* SPDX-License-Identifier: MIT */
/* decode: a CPUID table as a person reads it. */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "data/leaves.h"

void vcpuid_signature(uint32_t eax, const char *vendor, uint32_t *family,
		      uint32_t *model, uint32_t *stepping)
{
	uint32_t bf = (eax >> 8) & 0xf, bm = (eax >> 4) & 0xf;
	uint32_t xm = (eax >> 16) & 0xf;
	/* The extended model counts from base family 6 up (Intel SDM: 6 and
	 * 0xF, Zhaoxin also uses 7, as Linux does), except on AMD (and Hygon,
	 * its licensee) where it counts only for base family 0xF (AMD APM). */
	bool amd_rule = vendor && (!strcmp(vendor, "AuthenticAMD") ||
				   !strcmp(vendor, "HygonGenuine"));
	*stepping = eax & 0xf;
	*family = bf == 0xf ? bf + ((eax >> 20) & 0xff) : bf;
	*model = (bf == 0xf || (bf >= 0x6 && !amd_rule)) ? (xm << 4) | bm : bm;
}

static uint32_t reg(const vcpuid_table *t, uint32_t leaf, uint32_t sub,
		    enum vcpuid_reg r)
{
	return vcpuid_table_reg(t, leaf, sub, r);
}

static void regs_str(char *out, const vcpuid_table *t, uint32_t leaf,
		     const enum vcpuid_reg *order, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = reg(t, leaf, 0, order[i]);
		memcpy(out + 4 * i, &v, 4);	/* x86 is little endian; so are we */
	}
	out[4 * n] = 0;
	for (unsigned i = 0; i < 4 * n; i++)
		if (out[i] && ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f))
			out[i] = '?';
}

static void decode_brand(const vcpuid_table *t, vcpuid_decoded *d)
{
	char b[49] = { 0 };
	static const enum vcpuid_reg order[4] = { VCPUID_EAX, VCPUID_EBX,
						  VCPUID_ECX, VCPUID_EDX };
	if (d->max_ext < 0x80000004)
		return;
	for (uint32_t l = 0; l < 3; l++)
		regs_str(b + 16 * l, t, 0x80000002 + l, order, 4);
	b[48] = 0;
	size_t n = strlen(b), s = 0;
	while (s < n && b[s] == ' ')
		s++;
	while (n > s && b[n - 1] == ' ')
		n--;
	memcpy(d->brand, b + s, n - s);
	d->brand[n - s] = 0;
}

static void add_cache(vcpuid_decoded *d, unsigned level, const char *type,
		      uint32_t size_kb, uint32_t ways, uint32_t line,
		      uint32_t sets, uint32_t sharing)
{
	if (d->ncache >= ARRAY_SIZE(d->cache))
		return;
	vcpuid_cache_summary *c = &d->cache[d->ncache++];
	c->level = level;
	snprintf(c->type, sizeof(c->type), "%s", type);
	c->size_kb = size_kb;
	c->ways = ways;
	c->line = line;
	c->sets = sets;
	c->sharing = sharing;
}

static const char *det_type(unsigned t)
{
	return t == 1 ? "data" : t == 2 ? "instruction" : t == 3 ? "unified" : "unknown";
}

/* Intel leaf 4 and AMD 0x8000001D share one layout. */
static void caches_deterministic(const vcpuid_table *t, uint32_t leaf,
				 vcpuid_decoded *d)
{
	for (uint32_t i = 0; i < 16; i++) {
		const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, leaf, i);
		if (!e || !(e->reg[VCPUID_EAX] & 0x1f))
			break;
		uint32_t a = e->reg[VCPUID_EAX], b = e->reg[VCPUID_EBX];
		uint32_t ways = (b >> 22) + 1, parts = ((b >> 12) & 0x3ff) + 1;
		uint32_t line = (b & 0xfff) + 1, sets = e->reg[VCPUID_ECX] + 1;
		uint64_t size = (uint64_t)ways * parts * line * sets;
		add_cache(d, (a >> 5) & 7, det_type(a & 0x1f), (uint32_t)(size / 1024),
			  ways, line, sets, ((a >> 14) & 0xfff) + 1);
	}
}

static void caches_leaf2(const vcpuid_table *t, vcpuid_decoded *d)
{
	for (int r = 0; r < 4; r++) {
		uint32_t v = reg(t, 2, 0, (enum vcpuid_reg)r);
		if (v & 0x80000000u)
			continue;
		for (int k = r == 0 ? 1 : 0; k < 4; k++) {
			const vcpuid_leaf2_desc *ds = vcpuid_leaf2_find((uint8_t)(v >> (8 * k)));
			if (!ds)
				continue;
			uint32_t ways = ds->ways == 0xff ? 0 : ds->ways;
			uint32_t sets = ways && ds->line ?
				ds->size_kb * 1024u / (ways * ds->line) : 1;
			add_cache(d, ds->level, ds->type == 'd' ? "data" :
				  ds->type == 'i' ? "instruction" :
				  ds->type == 't' ? "trace" : "unified",
				  ds->size_kb, ways, ds->line, sets, 0);
		}
	}
}

static void amd_legacy_one(vcpuid_decoded *d, unsigned level, const char *type,
			   uint32_t size_kb, uint32_t ways, uint32_t line)
{
	if (!size_kb || !line)
		return;
	uint32_t sets = ways && ways != 0xff ? size_kb * 1024u / (ways * line) : 1;
	add_cache(d, level, type, size_kb, ways == 0xff ? 0 : ways, line, sets, 0);
}

static void caches_amd_legacy(const vcpuid_table *t, vcpuid_decoded *d)
{
	if (d->max_ext >= 0x80000005) {
		uint32_t c = reg(t, 0x80000005, 0, VCPUID_ECX);
		uint32_t e = reg(t, 0x80000005, 0, VCPUID_EDX);
		/* L1 associativity is the way count itself (0xFF = fully) */
		amd_legacy_one(d, 1, "data", c >> 24, (c >> 16) & 0xff, c & 0xff);
		amd_legacy_one(d, 1, "instruction", e >> 24, (e >> 16) & 0xff, e & 0xff);
	}
	if (d->max_ext >= 0x80000006) {
		uint32_t c = reg(t, 0x80000006, 0, VCPUID_ECX);
		uint32_t e = reg(t, 0x80000006, 0, VCPUID_EDX);
		amd_legacy_one(d, 2, "unified", c >> 16,
			       vcpuid_amd_assoc((c >> 12) & 0xf), c & 0xff);
		amd_legacy_one(d, 3, "unified", (e >> 18) * 512,
			       vcpuid_amd_assoc((e >> 12) & 0xf), e & 0xff);
	}
}

static void decode_caches(const vcpuid_table *t, vcpuid_decoded *d)
{
	bool intel = !strcmp(d->vendor, "GenuineIntel");
	if (d->max_basic >= 4 && (reg(t, 4, 0, VCPUID_EAX) & 0x1f)) {
		caches_deterministic(t, 4, d);
		snprintf(d->cache_source, sizeof(d->cache_source), "leaf4");
	} else if (d->max_ext >= 0x8000001D && (reg(t, 0x8000001D, 0, VCPUID_EAX) & 0x1f)) {
		caches_deterministic(t, 0x8000001D, d);
		snprintf(d->cache_source, sizeof(d->cache_source), "8000001d");
	} else if (intel && d->max_basic >= 2) {
		caches_leaf2(t, d);
		snprintf(d->cache_source, sizeof(d->cache_source), "leaf2");
	}
	if (!intel) {
		/* Old dumps may hold only subleaf 0 of 0x8000001D: fill the
		 * levels it did not describe from 0x80000005/6. */
		vcpuid_decoded legacy;
		legacy.ncache = 0;
		legacy.max_ext = d->max_ext;
		caches_amd_legacy(t, &legacy);
		bool had = d->ncache != 0;
		for (unsigned i = 0; i < legacy.ncache; i++) {
			bool have = false;
			for (unsigned j = 0; j < d->ncache && !have; j++)
				have = d->cache[j].level == legacy.cache[i].level &&
				       !strcmp(d->cache[j].type, legacy.cache[i].type);
			if (!have && d->ncache < ARRAY_SIZE(d->cache))
				d->cache[d->ncache++] = legacy.cache[i];
		}
		if (!had && d->ncache)
			snprintf(d->cache_source, sizeof(d->cache_source), "80000005");
	}
	if (!d->ncache)
		d->cache_source[0] = 0;
}

static void decode_topology(const vcpuid_table *t, vcpuid_decoded *d)
{
	uint32_t leaf = 0;
	if (d->max_basic >= 0x1F && reg(t, 0x1F, 0, VCPUID_EBX))
		leaf = 0x1F;
	else if (d->max_basic >= 0xB && reg(t, 0xB, 0, VCPUID_EBX))
		leaf = 0xB;
	d->topo_leaf = leaf;
	if (!leaf)
		return;
	for (uint32_t i = 0; i < ARRAY_SIZE(d->topo); i++) {
		const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, leaf, i);
		if (!e)
			break;
		unsigned type = (e->reg[VCPUID_ECX] >> 8) & 0xff;
		if (!type)
			break;
		d->topo[d->ntopo].level_type = type;
		d->topo[d->ntopo].shift = e->reg[VCPUID_EAX] & 0x1f;
		d->topo[d->ntopo].count = e->reg[VCPUID_EBX] & 0xffff;
		d->ntopo++;
	}
}

static void decode_xsave(const vcpuid_table *t, vcpuid_decoded *d)
{
	if (d->max_basic < 0xD)
		return;
	d->xcr0 = (uint64_t)reg(t, 0xD, 0, VCPUID_EDX) << 32 | reg(t, 0xD, 0, VCPUID_EAX);
	d->xss = (uint64_t)reg(t, 0xD, 1, VCPUID_EDX) << 32 | reg(t, 0xD, 1, VCPUID_ECX);
	d->xsave_size_enabled = reg(t, 0xD, 0, VCPUID_EBX);
	d->xsave_size_max = reg(t, 0xD, 0, VCPUID_ECX);
	d->xsave_size_xss = reg(t, 0xD, 1, VCPUID_EBX);
	uint64_t all = d->xcr0 | d->xss;
	for (unsigned i = 0; i < 64 && d->nxsave < ARRAY_SIZE(d->xsave); i++) {
		if (!(all >> i & 1))
			continue;
		vcpuid_xsave_comp *c = &d->xsave[d->nxsave++];
		c->index = i;
		if (i < 2) {	/* the legacy region: x87 then SSE */
			c->size = i ? 256 : 160;
			c->offset = i ? 160 : 0;
			continue;
		}
		const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, 0xD, i);
		if (!e)
			continue;
		c->size = e->reg[VCPUID_EAX];
		c->offset = e->reg[VCPUID_EBX];
		c->supervisor = e->reg[VCPUID_ECX] & 1;
		c->aligned = (e->reg[VCPUID_ECX] >> 1) & 1;
	}
}

static uint32_t range_max(const vcpuid_table *t, uint32_t base)
{
	const vcpuid_cpuid_entry *e = vcpuid_table_lookup(t, base, 0);
	if (!e)
		return 0;
	uint32_t v = e->reg[VCPUID_EAX];
	return (v >= base && v <= base + 0xffff) ? v : 0;
}

/* Words outside the leaves the CPU reports read as 0. */
static void mask_words(vcpuid_decoded *d)
{
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word((enum vcpuid_word)w);
		if (wi->kind != VCPUID_WORD_CPUID)
			continue;
		uint32_t l = wi->leaf, max;
		if (l >= 0xC0000000)
			max = d->max_centaur;
		else if (l >= 0x80000000)
			max = d->max_ext;
		else if (l >= 0x40000000)
			max = d->hypervisor[0] ? d->max_hypervisor : 0;
		else
			max = d->max_basic;
		bool ok = max && l <= max;
		if (l == 0x7 && wi->subleaf > d->max_leaf7_subleaf)
			ok = false;
		if (!ok)
			d->words[w] = 0;
	}
}

int vcpuid_decode(const vcpuid_table *t, const vcpuid_msr_list *msrs,
		  vcpuid_decoded *d, vcpuid_error *err)
{
	memset(d, 0, sizeof(*d));
	const vcpuid_cpuid_entry *l0 = vcpuid_table_lookup(t, 0, 0);
	if (!l0)
		return vcpuid_fail(err, VCPUID_E_PARSE,
				   "decode: the CPUID table has no leaf 0");
	static const enum vcpuid_reg vorder[3] = { VCPUID_EBX, VCPUID_EDX, VCPUID_ECX };
	regs_str(d->vendor, t, 0, vorder, 3);
	d->max_basic = l0->reg[VCPUID_EAX];
	if (d->max_basic >= 1) {
		uint32_t a = reg(t, 1, 0, VCPUID_EAX), b = reg(t, 1, 0, VCPUID_EBX);
		d->signature = a;
		d->base_family = (a >> 8) & 0xf;
		d->base_model = (a >> 4) & 0xf;
		d->ext_family = (a >> 20) & 0xff;
		d->ext_model = (a >> 16) & 0xf;
		vcpuid_signature(a, d->vendor, &d->family, &d->model, &d->stepping);
		d->logical_per_package = (b >> 16) & 0xff;
		d->apic_id = b >> 24;
	}
	d->max_ext = range_max(t, 0x80000000);
	d->max_centaur = range_max(t, 0xC0000000);
	if (d->max_basic >= 1 && (reg(t, 1, 0, VCPUID_ECX) >> 31) &&
	    vcpuid_table_lookup(t, 0x40000000, 0)) {
		static const enum vcpuid_reg horder[3] = { VCPUID_EBX, VCPUID_ECX, VCPUID_EDX };
		regs_str(d->hypervisor, t, 0x40000000, horder, 3);
		uint32_t m = reg(t, 0x40000000, 0, VCPUID_EAX);
		/* KVM before 2.6.35 left EAX 0, meaning 0x40000001 */
		d->max_hypervisor = m >= 0x40000000 && m <= 0x400000ff ? m : 0x40000001;
	}
	if (d->max_ext >= 0x80000008) {
		uint32_t a = reg(t, 0x80000008, 0, VCPUID_EAX);
		d->phys_bits = a & 0xff;
		d->virt_bits = (a >> 8) & 0xff;
	}
	if (d->max_basic >= 7)
		d->max_leaf7_subleaf = reg(t, 7, 0, VCPUID_EAX);
	decode_brand(t, d);
	vcpuid_words_from_table(t, msrs, d->words);
	mask_words(d);
	decode_caches(t, d);
	decode_topology(t, d);
	decode_xsave(t, d);
	return 0;
}
