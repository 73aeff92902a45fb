/* SPDX-License-Identifier: MIT */
/* xsave: the XSAVE components of the guest and the sizes of CPUID leaf 0xD.
 * Sizes come from data/xsave_sizes.def, enabling features from
 * data/xsave.def (rows of QEMU 7.2); offsets of the standard format come from the host's CPUID.0xD.n, for components whose enabling
 * feature the host's KVM supports (QEMU 7.2 kvm_cpu_xsave_init), or from
 * QEMU 9.2 on (synth_rules.def XSAVE_AREA_KVM_COMPONENTS) for every
 * component of KVM's XCR0 / XSS, whatever feature enables it. */
#include <string.h>
#include "synth/synth.h"

/* Which feature enables each component (data/xsave.def, shared). */
typedef struct comp {
	uint8_t n;
	enum vcpuid_word word;
	uint32_t mask;
	uint16_t since, until;
} comp;

static const comp comps[] = {
#define XSAVE_AREA(n, w, bit, kind, migr, since, until) \
	{ n, VCPUID_W_##w, 1u << (bit), since, until },
#include "data/xsave.def"
};

static const struct { uint8_t n; uint32_t size; } sizes[] = {
#define XSAVE_SIZE(n, size) { n, size },
#include "data/xsave_sizes.def"
#undef XSAVE_SIZE
};

void vs_xsave_init(vs_xsave *x, const vcpuid_cpu *cpu, const hq_view *hv,
		   uint16_t qemu, const uint64_t *kvm)
{
	memset(x, 0, sizeof(*x));
	x->xcr0 = cpu->features[VCPUID_W_XSAVE_XCR0_LO] |
		  cpu->features[VCPUID_W_XSAVE_XCR0_HI] << 32;
	x->xss = cpu->features[VCPUID_W_XSAVE_XSS_LO] |
		 cpu->features[VCPUID_W_XSAVE_XSS_HI] << 32;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i].n < VS_XSAVE_COMPONENTS)
			x->size[sizes[i].n] = sizes[i].size;
	for (size_t i = 0; i < ARRAY_SIZE(comps); i++) {
		const comp *c = &comps[i];
		if (c->since > qemu || c->until <= qemu)
			continue; /* not a row of the emulated release */
		if (c->n >= VS_XSAVE_COMPONENTS || c->n < 2)
			continue; /* legacy area: offset 0; or unknown to 7.2 */
		if (kvm ? !((*kvm >> c->n) & 1)
			: (cpu->supported[c->word] & c->mask) != c->mask)
			continue;
		uint32_t r[4]; /* the host's CPUID.0xD.n, when recorded */
		hq_view_raw(hv, 0xD, c->n, r);
		if (r[VCPUID_EAX]) {
			x->offset[c->n] = r[VCPUID_EBX];
			x->ecx[c->n] = r[VCPUID_ECX];
		}
	}
}

uint32_t vs_xsave_area_size(const vs_xsave *x, uint64_t mask, bool compacted)
{
	uint32_t ret = x->size[0];
	for (unsigned i = 2; i < VS_XSAVE_COMPONENTS; i++) {
		if (!((mask >> i) & 1))
			continue;
		uint32_t off = compacted ? ret : x->offset[i];
		if (off + x->size[i] > ret)
			ret = off + x->size[i];
	}
	return ret;
}
