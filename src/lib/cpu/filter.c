/* SPDX-License-Identifier: MIT */
/* filter: what the host can give (QEMU's corrected view of KVM) and
 * x86_cpu_filter_features: requested & ~supported, cleared and reported. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stages.h"
#include "feature_bits.h"
#include "host/query.h"
#include "data/fixed_leaves.h"

enum fix_op { OR, ANDNOT, XCOMP, ALIAS1, HOST };
enum fix_when {
	ALWAYS, IRQCHIP, NO_IRQCHIP, SPLIT_IRQCHIP, TSC_DEADLINE,
	NO_ARCH_CAP_MSR, TSX_BROKEN
};
#define EAX VCPUID_EAX
#define EBX VCPUID_EBX
#define ECX VCPUID_ECX
#define EDX VCPUID_EDX

static const struct fixup {
	uint32_t leaf, sub;
	enum vcpuid_reg reg;
	enum fix_op op;
	uint32_t mask;
	enum fix_when when;
	uint16_t since, until;
} fixups[] = {
#define FIXUP(l, s, r, o, m, w, si, un) { l, s, r, o, m, w, si, un },
#include "data/kvm_fixups.def"
};

static const struct vmx_fix {
	unsigned bit;
	uint32_t leaf, sub;
	enum vcpuid_reg reg;
	uint32_t mask;
} vmx_fixes[] = {
#define VMX_FIX(b, l, s, r, m) { b, l, s, r, m },
#include "data/kvm_fixups.def"
};

static const uint32_t vmx_ctls[] = {
#define VMX_CTLS(m) m,
#include "data/kvm_fixups.def"
};

static const struct xsave_row {
	unsigned comp;
	enum vcpuid_word word;
	unsigned bit;
	bool xss, migratable;
	uint16_t since, until;
} xsave_rows[] = {
#define XCR0 false
#define XSS true
#define XSAVE_AREA(c, w, b, k, m, si, un) \
	{ c, VCPUID_W_##w, b, k, m, si, un },
#include "data/xsave.def"
#undef XCR0
#undef XSS
};

/* ---- QEMU's corrections of what KVM reports, on the host view ---- */
static bool when_holds(const hq_view *h, enum fix_when w)
{
	switch (w) {
	case ALWAYS:
	case IRQCHIP:
		return true;
	case NO_IRQCHIP:
	case SPLIT_IRQCHIP:
		return false;
	case TSC_DEADLINE:
		return h->cap_tsc_deadline;
	case NO_ARCH_CAP_MSR:
		return !h->idx_arch_cap;
	case TSX_BROKEN:
		return h->tsx_broken;
	}
	return false;
}

uint32_t vf_supported_reg(const hq_view *h, uint16_t qemu, uint32_t leaf,
			  uint32_t sub, enum vcpuid_reg reg)
{
	/* cpuid_find_entry, read with the one lookup rule for profile entries
	 * (vcpuid_table_reg: for a table KVM produced, QEMU's exact match) */
	uint32_t v = hq_view_supported(h, leaf, sub, reg);
	for (size_t i = 0; i < ARRAY_SIZE(fixups); i++) {
		const struct fixup *f = &fixups[i];
		if (f->leaf != leaf || f->sub != sub || f->reg != reg ||
		    qemu < f->since || qemu > f->until || !when_holds(h, f->when))
			continue;
		switch (f->op) {
		case OR:
			v |= f->mask;
			break;
		case ANDNOT:
			v &= ~f->mask;
			break;
		case XCOMP:
			if (h->has_xcomp_guest_supp && h->cap_sys_attributes)
				v = (uint32_t)(reg == EAX ? h->xcomp_guest_supp :
					       h->xcomp_guest_supp >> 32);
			break;
		case ALIAS1:
			v |= vf_supported_reg(h, qemu, 1, 0, EDX) & f->mask;
			break;
		case HOST:
			v |= hq_view_insn(h, leaf, sub, reg) & f->mask;
			break;
		}
	}
	return v;
}

static uint64_t supported_msr(const hq_view *h, uint16_t qemu, uint32_t msr)
{
	uint64_t v;
	if (!hq_view_feature_msr(h, msr, &v))
		return 0;
	if (msr == 0x48B && !h->idx_procbased2)
		for (size_t i = 0; i < ARRAY_SIZE(vmx_fixes); i++) {
			const struct vmx_fix *x = &vmx_fixes[i];
			if (vf_supported_reg(h, qemu, x->leaf, x->sub, x->reg) &
			    x->mask)
				v |= 1ull << (32 + x->bit);
		}
	for (size_t i = 0; i < ARRAY_SIZE(vmx_ctls); i++)
		if (vmx_ctls[i] == msr)
			return (v >> 32) & ~(v & 0xffffffffu);
	return v;
}

void vf_supported(const hq_view *h, uint16_t qemu, vcpuid_words out)
{
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		if (!h->present) {
			out[w] = ~0ull; /* no accelerator to ask: everything */
			continue;
		}
		if (!vc_word_known(w, qemu)) {
			out[w] = 0;
			continue;
		}
		if (wi->kind == VCPUID_WORD_CPUID)
			out[w] = vf_supported_reg(h, qemu, wi->leaf, wi->subleaf,
						  wi->reg);
		else
			out[w] = supported_msr(h, qemu, wi->msr);
	}
}

static uint64_t migratable_mask(enum vcpuid_word w, uint16_t qemu)
{
	const vcpuid_word_info *wi = vcpuid_word(w);
	uint64_t r = 0;
	if (w == VCPUID_W_XSAVE_XCR0_LO || w == VCPUID_W_XSAVE_XCR0_HI) {
		if (qemu > 702)
			return wi->migratable;
		for (size_t i = 0; i < ARRAY_SIZE(xsave_rows); i++) {
			const struct xsave_row *x = &xsave_rows[i];
			if (!x->migratable || x->xss || qemu < x->since ||
			    qemu > x->until)
				continue;
			if (w == VCPUID_W_XSAVE_XCR0_LO && x->comp < 32)
				r |= 1ull << x->comp;
			if (w == VCPUID_W_XSAVE_XCR0_HI && x->comp >= 32)
				r |= 1ull << (x->comp - 32);
		}
		return r;
	}
	r = wi->migratable;
	for (unsigned b = 0; b < 64; b++) {
		const vcpuid_feature *f = vcpuid_feature_at(w, b);
		if (f && f->qemu_since <= qemu && !(f->flags & VCPUID_F_UNMIGRATABLE))
			r |= 1ull << b;
	}
	return r;
}

/* The masks depend only on the catalog and the QEMU release: computed once
 * per release (a handful of them) instead of 64 catalog lookups per word on
 * every expansion. A slot is published by storing its release last. */
static struct migratable_slot {
	_Atomic uint16_t qemu;	/* 0 = empty */
	uint64_t mask[VCPUID_NWORDS];
} migratable_cache[16];
static pthread_mutex_t migratable_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t vf_migratable_mask(enum vcpuid_word w, uint16_t qemu)
{
	if ((unsigned)w >= VCPUID_NWORDS || !qemu)
		return migratable_mask(w, qemu);
	for (size_t i = 0; i < ARRAY_SIZE(migratable_cache); i++) {
		uint16_t q = atomic_load_explicit(&migratable_cache[i].qemu,
						  memory_order_acquire);
		if (q == qemu)
			return migratable_cache[i].mask[w];
		if (!q)
			break;
	}
	uint64_t r = migratable_mask(w, qemu);
	pthread_mutex_lock(&migratable_lock);
	for (size_t i = 0; i < ARRAY_SIZE(migratable_cache); i++) {
		struct migratable_slot *s = &migratable_cache[i];
		uint16_t q = atomic_load_explicit(&s->qemu, memory_order_relaxed);
		if (q == qemu)
			break;
		if (q)
			continue;
		for (int k = 0; k < VCPUID_NWORDS; k++)
			s->mask[k] = migratable_mask((enum vcpuid_word)k, qemu);
		atomic_store_explicit(&s->qemu, qemu, memory_order_release);
		break;
	}
	pthread_mutex_unlock(&migratable_lock);
	return r;
}

/* ---- warnings and the filtered list ---- */
/* Lists grow by doubling: capacity is the next power of two >= n. */
static bool needs_ecx(uint32_t leaf)
{
	return leaf == 7 || leaf == 0xD || leaf == 0x12 || leaf == 0x14 ||
	       leaf == 0x1E || leaf == 0x24 || leaf == 0x29;
}

/* feature_word_description: 7.2 "CPUID.07H:EBX" / "MSR(10AH)";
 * current QEMU (10.x) "CPUID[eax=07h,ecx=00h].EBX" / "MSR(10Ah)". */
static void word_description(enum vcpuid_word w, uint16_t qemu, char *buf,
			     size_t len)
{
	static const char *const regs[] = { "EAX", "EBX", "ECX", "EDX" };
	const vcpuid_word_info *wi = vcpuid_word(w);
	if (qemu <= 702) { /* QEMU 7.2 itself; later machine types run on current QEMU */
		if (wi->kind == VCPUID_WORD_MSR)
			snprintf(buf, len, "MSR(%02XH)", wi->msr);
		else
			snprintf(buf, len, "CPUID.%02XH:%s", wi->leaf,
				 regs[wi->reg]);
		return;
	}
	if (wi->kind == VCPUID_WORD_MSR)
		snprintf(buf, len, "MSR(%02Xh)", wi->msr);
	else if (needs_ecx(wi->leaf))
		snprintf(buf, len, "CPUID[eax=%02Xh,ecx=%02Xh].%s", wi->leaf,
			 wi->subleaf, regs[wi->reg]);
	else
		snprintf(buf, len, "CPUID[eax=%02Xh].%s", wi->leaf,
			 regs[wi->reg]);
}

/* The name QEMU prints for a bit: known to the emulated release only. */
static const char *bit_name(enum vcpuid_word w, unsigned bit, uint16_t qemu)
{
	const vcpuid_feature *f = vcpuid_feature_at(w, bit);
	return f && f->qemu_since <= qemu ? f->name : NULL;
}

/* "PREFIX: DESC.NAME [bit N]" without printf: this runs once per
 * filtered bit, often dozens of times per expansion. */
static char *warning_line(const char *prefix, const char *desc,
			  const char *name, unsigned bit)
{
	size_t lp = strlen(prefix), ld = strlen(desc);
	size_t ln = name ? strlen(name) : 0;
	char *s = malloc(lp + ld + ln + 16);
	if (!s)
		return NULL;
	char *o = s;
	memcpy(o, prefix, lp);
	o += lp;
	*o++ = ':';
	*o++ = ' ';
	memcpy(o, desc, ld);
	o += ld;
	if (name) {
		*o++ = '.';
		memcpy(o, name, ln);
		o += ln;
	}
	memcpy(o, " [bit ", 6);
	o += 6;
	if (bit >= 10)
		*o++ = (char)('0' + bit / 10);
	*o++ = (char)('0' + bit % 10);
	*o++ = ']';
	*o = 0;
	return s;
}

int vf_mark_unavailable(vcpuid_cpu *cpu, enum vcpuid_word w, uint64_t mask,
			const char *prefix, const char *reason)
{
	uint16_t qemu = cpu->machine ? cpu->machine->qemu : 702;
	cpu->features[w] &= ~mask;
	cpu->filtered[w] |= mask;
	if (!mask)
		return 0;
	size_t add = (size_t)__builtin_popcountll(mask);
	size_t n = cpu->nfiltered;
	if (vo_cap_for(n + add) != vo_cap_for(n) || n == 0) {
		vcpuid_filtered *nl = realloc(cpu->filtered_list,
					      vo_cap_for(n + add) * sizeof(*nl));
		if (!nl)
			return VCPUID_E_NOMEM;
		cpu->filtered_list = nl;
	}
	char desc[64];
	if (prefix)
		word_description(w, qemu, desc, sizeof(desc));
	size_t lr = strlen(reason);
	if (lr >= sizeof(cpu->filtered_list[0].reason))
		lr = sizeof(cpu->filtered_list[0].reason) - 1;
	for (unsigned i = 0; i < 64; i++) {
		if (!(mask >> i & 1))
			continue;
		const char *name = bit_name(w, i, qemu);
		vcpuid_filtered *f = &cpu->filtered_list[cpu->nfiltered++];
		f->word = w;
		f->bit = (uint8_t)i;
		f->name = name;
		memcpy(f->reason, reason, lr);
		f->reason[lr] = 0;
		if (!prefix)
			continue;
		int rc = vo_warn_line(cpu, warning_line(prefix, desc, name, i));
		if (rc)
			return rc;
	}
	return 0;
}

/* AVX10 (QEMU 9.2 on, where the catalog knows "avx10"): avx10-version may
 * not exceed the version KVM offers (CPUID.0x24.0.EBX[7:0]); a version
 * without avx10 (filtered, or never on) is reported too. Either counts as
 * a filtered feature for enforce. Without a host (no accelerator) vcpuid
 * assumes everything is supported, so there is nothing to check. */
static int filter_avx10(vcpuid_cpu *cpu, const hq_view *h,
			const char *prefix)
{
	uint16_t q = cpu->machine->qemu;
	const vcpuid_feature *ax = vc_avx10(q);
	cpu->avx10_asked = cpu->avx10_version;
	if (!h->present || !ax)
		return 0;
	if (cpu->features[ax->word] >> ax->bit & 1) {
		unsigned hv = vf_supported_reg(h, q, 0x24, 0, EBX) & 0xff;
		if (hv >= cpu->avx10_version)
			return 0;
		int rc = prefix ? vo_warn(cpu, "%s: avx10.%u. Adjust to avx10.%u",
					  prefix, cpu->avx10_version, hv) : 0;
		cpu->avx10_version = (uint8_t)hv;
		cpu->avx10_filtered = true;
		return rc;
	}
	if (!cpu->avx10_version)
		return 0;
	cpu->avx10_filtered = true;
	return prefix ? vo_warn(cpu, "%s: avx10.%u.", prefix,
				cpu->avx10_version) : 0;
}

int vf_filter(vcpuid_cpu *cpu, const hq_view *h)
{
	const char *prefix = cpu->check || cpu->enforce
				     ? "host doesn't support requested feature"
				     : NULL;
	uint16_t qemu = cpu->machine ? cpu->machine->qemu : 702;
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		uint64_t un = cpu->features[w] & ~cpu->supported[w];
		if (!un)
			continue;
		/* QEMU 11 prints no warning for XSAVE components (XCR0/XSS
		 * words), only for the features that enable them: observed
		 * with 11.1, attributed to 11.0's rework of the component
		 * dependencies. */
		bool quiet = qemu >= 1100 &&
			     (w == VCPUID_W_XSAVE_XCR0_LO ||
			      w == VCPUID_W_XSAVE_XCR0_HI ||
			      w == VCPUID_W_XSAVE_XSS_LO ||
			      w == VCPUID_W_XSAVE_XSS_HI);
		int rc = vf_mark_unavailable(cpu, w, un, quiet ? NULL : prefix,
					     h->present ? "not supported by the host's KVM"
					       : "not supported");
		if (rc)
			return rc;
	}
	/* intel-pt: QEMU also wants the host's leaf 0x14 capabilities, which
	 * must cover what it reports (minimal EBX/ECX, MTC/PSB/cycle bitmaps,
	 * two address ranges, and LIP equal to the guest's). */
	const vcpuid_feature *pt = vc_feature_exact("intel-pt", NULL);
	if (pt && h->present && (cpu->features[pt->word] >> pt->bit & 1)) {
		uint16_t q = cpu->machine->qemu;
		uint32_t eax0 = vf_supported_reg(h, q, 0x14, 0, EAX);
		uint32_t ebx0 = vf_supported_reg(h, q, 0x14, 0, EBX);
		uint32_t ecx0 = vf_supported_reg(h, q, 0x14, 0, ECX);
		uint32_t eax1 = vf_supported_reg(h, q, 0x14, 1, EAX);
		uint32_t ebx1 = vf_supported_reg(h, q, 0x14, 1, EBX);
		uint64_t lip = cpu->features[VCPUID_W_14_0_ECX] &
			       FB_14_0_ECX_INTEL_PT_LIP;
		if (!eax0 || (ebx0 & PT_0_EBX) != PT_0_EBX ||
		    (ecx0 & PT_0_ECX) != PT_0_ECX ||
		    (eax1 & PT_1_EAX_MTC_BITMAP) != PT_1_EAX_MTC_BITMAP ||
		    (eax1 & PT_1_EAX_ADDR_RANGES_MASK) < PT_1_EAX_ADDR_RANGES ||
		    (ebx1 & PT_1_EBX) != PT_1_EBX ||
		    (ecx0 & FB_14_0_ECX_INTEL_PT_LIP) != lip) {
			int rc = vf_mark_unavailable(cpu, pt->word,
						     1ull << pt->bit, prefix,
						     "host's Processor Trace "
						     "capabilities are too small");
			if (rc)
				return rc;
		}
	}
	return filter_avx10(cpu, h, prefix);
}
