/* SPDX-License-Identifier: MIT */
/* cache: encoding cache descriptions into CPUID leaves 2, 4, 0x80000005,
 * 0x80000006 and 0x8000001D, the way QEMU 7.2 does. */
#include "synth/synth.h"

typedef struct desc {
	uint8_t code, level, type;
	uint16_t since;
	uint32_t size_kib;
	uint16_t assoc, line;
} desc;

#define INST VCPUID_CACHE_INST
#define DATA VCPUID_CACHE_DATA
#define UNIFIED VCPUID_CACHE_UNIFIED
static const desc descriptors[] = {
#define DESC(c, l, t, s, a, ls, since) { c, l, t, since, s, a, ls },
#include "data/cache_descriptors.def"
#undef DESC
};

uint8_t vs_cache_descriptor(const vcpuid_cache *c, uint16_t qemu)
{
	for (size_t i = 0; i < ARRAY_SIZE(descriptors); i++) {
		const desc *d = &descriptors[i];
		if (d->since > qemu)
			continue;
		if (d->level == c->level && d->type == c->type &&
		    (uint64_t)d->size_kib * 1024 == c->size &&
		    d->line == c->line_size && d->assoc == c->associativity)
			return d->code;
	}
	return VS_NO_DESCRIPTOR;
}

static uint32_t leaf4_ebx(const vcpuid_cache *c)
{
	return (uint32_t)(c->line_size - 1) |
	       ((uint32_t)(c->partitions - 1) << 12) |
	       ((uint32_t)(c->associativity - 1) << 22);
}

static uint32_t leaf4_edx(const vcpuid_cache *c)
{
	return (c->no_invd_sharing ? 1u : 0) | (c->inclusive ? 2u : 0) |
	       (c->complex_indexing ? 4u : 0);
}

static uint32_t leaf4_eax_base(const vcpuid_cache *c)
{
	return (uint32_t)c->type | ((uint32_t)c->level << 5) |
	       (c->self_init ? 1u << 8 : 0);
}

void vs_cache_leaf4(const vcpuid_cache *c, unsigned num_apic_ids,
		    unsigned num_cores, uint32_t r[4])
{
	r[VCPUID_EAX] = leaf4_eax_base(c) | ((num_cores - 1) << 26) |
			((num_apic_ids - 1) << 14);
	r[VCPUID_EBX] = leaf4_ebx(c);
	r[VCPUID_ECX] = c->sets - 1;
	r[VCPUID_EDX] = leaf4_edx(c);
}

uint32_t vs_cache_80000005(const vcpuid_cache *c)
{
	return ((c->size / 1024) << 24) | ((uint32_t)c->associativity << 16) |
	       ((uint32_t)c->lines_per_tag << 8) | c->line_size;
}

/* AMD's 4-bit associativity code of 0x80000006 (0 = invalid/disabled). */
uint32_t vs_amd_assoc(unsigned a)
{
	static const struct { uint16_t ways; uint8_t code; } enc[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 4, 4 }, { 8, 6 }, { 16, 8 },
		{ 32, 0xA }, { 48, 0xB }, { 64, 0xC }, { 96, 0xD },
		{ 128, 0xE }, { 0xFF, 0xF },
	};
	for (size_t i = 0; i < ARRAY_SIZE(enc); i++)
		if (enc[i].ways == a)
			return enc[i].code;
	return 0;
}

void vs_cache_80000006(const vcpuid_cache *l2, const vcpuid_cache *l3,
		       uint32_t *ecx, uint32_t *edx)
{
	*ecx = ((l2->size / 1024) << 16) | (vs_amd_assoc(l2->associativity) << 12) |
	       ((uint32_t)l2->lines_per_tag << 8) | l2->line_size;
	if (l3)
		*edx = ((l3->size / (512 * 1024)) << 18) |
		       (vs_amd_assoc(l3->associativity) << 12) |
		       ((uint32_t)l3->lines_per_tag << 8) | l3->line_size;
	else
		*edx = 0;
}

void vs_cache_8000001d(const vcpuid_cache *c, const vs_topo *t, uint32_t r[4])
{
	unsigned sharing = c->level == 3 ? t->cores * t->threads : t->threads;
	r[VCPUID_EAX] = leaf4_eax_base(c) | ((sharing - 1) << 14);
	r[VCPUID_EBX] = leaf4_ebx(c);
	r[VCPUID_ECX] = c->sets - 1;
	r[VCPUID_EDX] = leaf4_edx(c);
}

/* The APIC-ID count minus one of the topology level a cache is shared at
 * (QEMU 8.0+'s max_thread_ids_for_cache); the legacy sets carry no level:
 * L1/L2 per core, L3 per die, as QEMU gives them. */
static uint32_t share_ids(const vcpuid_cache *c, const vs_topo *t)
{
	unsigned lvl = c->share_level;
	if (lvl == VCPUID_SHARE_DEFAULT)
		lvl = c->level == 3 ? VCPUID_SHARE_DIE : VCPUID_SHARE_CORE;
	unsigned off;
	switch (lvl) {
	case VCPUID_SHARE_THREAD:
		off = 0;
		break;
	case VCPUID_SHARE_CORE:
		off = vs_core_offset(t);
		break;
	case VCPUID_SHARE_MODULE: /* no modules in -smp: one per die */
	case VCPUID_SHARE_DIE:
		off = vs_die_offset(t);
		break;
	default:
		off = vs_pkg_offset(t);
		break;
	}
	uint32_t n = off >= 32 ? 0xFFFFFFFFu : (1u << off) - 1;
	return n > 4095 ? 4095 : n;
}

void vs_cache_leaf4_v2(const vcpuid_cache *c, const vs_topo *t, bool l1_zero,
		       uint32_t r[4])
{
	unsigned cw = vs_pkg_offset(t) - vs_core_offset(t);
	uint32_t cores = cw >= 32 ? 0xFFFFFFFFu : (1u << cw) - 1;
	if (cores > 63)
		cores = 63;
	uint32_t share = (l1_zero && c->level == 1) ? 0 : share_ids(c, t);
	r[VCPUID_EAX] = leaf4_eax_base(c) | (cores << 26) | (share << 14);
	r[VCPUID_EBX] = leaf4_ebx(c);
	r[VCPUID_ECX] = c->sets - 1;
	r[VCPUID_EDX] = leaf4_edx(c);
}

void vs_cache_8000001d_v2(const vcpuid_cache *c, const vs_topo *t,
			  bool topoext_only, uint32_t r[4])
{
	r[VCPUID_EAX] = leaf4_eax_base(c) | (share_ids(c, t) << 14);
	r[VCPUID_EBX] = leaf4_ebx(c);
	r[VCPUID_ECX] = c->sets - 1;
	r[VCPUID_EDX] = leaf4_edx(c) & (topoext_only ? 3u : 7u);
}
