/* SPDX-License-Identifier: MIT */
/* xsave: the XSAVE components of the guest and the sizes of CPUID leaf 0xD.
 * Sizes come from data/xsave.def; offsets of the standard (non-compacted)
 * format come from the host's CPUID.0xD.n, for components whose enabling
 * feature the host's KVM supports (QEMU 7.2 kvm_cpu_xsave_init). */
#include <string.h>
#include "synth.h"

typedef struct comp {
	uint8_t n;
	const char *name;
	enum vcpuid_word word;
	uint32_t mask, size;
} comp;

static const comp comps[] = {
#define XSAVE(n, name, w, mask, size) { n, name, VCPUID_W_##w, mask, size },
#include "data/xsave.def"
#undef XSAVE
};

void vs_xsave_init(vs_xsave *x, const vcpuid_cpu *cpu, const vcpuid_host *host)
{
	memset(x, 0, sizeof(*x));
	x->xcr0 = cpu->features[VCPUID_W_XSAVE_XCR0_LO] |
		  cpu->features[VCPUID_W_XSAVE_XCR0_HI] << 32;
	x->xss = cpu->features[VCPUID_W_XSAVE_XSS_LO] |
		 cpu->features[VCPUID_W_XSAVE_XSS_HI] << 32;
	for (size_t i = 0; i < ARRAY_SIZE(comps); i++) {
		const comp *c = &comps[i];
		x->size[c->n] = c->size;
		if (c->n < 2)
			continue; /* legacy area: offset 0 */
		if ((cpu->supported[c->word] & c->mask) != c->mask)
			continue;
		if (!host || !host->has_raw)
			continue;
		const vcpuid_cpuid_entry *e =
			vcpuid_table_find(&host->raw, 0xD, c->n);
		if (e && e->reg[VCPUID_EAX]) {
			x->offset[c->n] = e->reg[VCPUID_EBX];
			x->ecx[c->n] = e->reg[VCPUID_ECX];
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
