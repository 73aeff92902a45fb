/* SPDX-License-Identifier: MIT */
/* synthesize: the KVM_SET_CPUID2 table and the feature-MSR list QEMU 7.2
 * gives one vCPU (kvm_arch_init_vcpu): KVM leaves first, then the basic,
 * extended and Centaur ranges with QEMU's subleaf loops, flags and
 * all-zero-entry rules, at most VCPUID_MAX_CPUID_ENTRIES entries. */
#include <stdlib.h>
#include <string.h>
#include "synth/synth.h"
#include "stages.h"
#include "feature_bits.h"

#define KVM_SIG_LEAF 0x40000000u
#define KVM_FEAT_LEAF 0x40000001u
/* The highest leaves cpu_x86_cpuid() of QEMU 7.2 answers non-zero (later
 * releases: the highest leaf of a feature word they know, see
 * last_basic_leaf). */
#define VS_LAST_BASIC_LEAF 0x1Fu
#define VS_LAST_EXT_LEAF 0x8000001Fu
#define VS_LAST_EXT_LEAF_V2 0x80000022u /* rule LEAVES_80000021 */
#define KVM_APIC_BUS_KHZ 1000000u /* KVM's 1 GHz APIC bus */

static const struct { uint16_t since, until; } rules[VS_RULES] = {
#define SYNTH_RULE(name, since, until) [VS_R_##name] = { since, until },
#include "data/synth_rules.def"
};
static const struct { enum vs_rule r; const char *knob; } rule_knobs[] = {
#define SYNTH_KNOB(name, prop) { VS_R_##name, prop },
#include "data/synth_rules.def"
};

static uint32_t le32(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t cpuid_version(uint32_t family, uint32_t model, uint32_t stepping)
{
	uint32_t v = family > 0x0f ? 0xf00u | ((family - 0x0f) << 20)
				   : family << 8;
	v |= ((model & 0xf) << 4) | (((model >> 4) & 0xf) << 16);
	return v | (stepping & 0xf);
}

int vs_ctx_init(vs_ctx *c, const vcpuid_cpu *cpu, const hq_view *hv,
		vcpuid_error *err)
{
	(void)err; /* every expanded CPU can be synthesized */
	memset(c, 0, sizeof(*c));
	c->cpu = cpu;
	c->hv = hv;
	/* "base" has no vendor: leaf 0 then reads zeros, as in QEMU. */
	char vendor[13] = { 0 };
	memcpy(vendor, cpu->vendor, strnlen(cpu->vendor, 12));
	c->vendor[0] = le32(vendor);
	c->vendor[1] = le32(vendor + 4);
	c->vendor[2] = le32(vendor + 8);
	c->intel = !strcmp(vendor, "GenuineIntel");
	c->amd = !strcmp(vendor, "AuthenticAMD"); /* QEMU's IS_AMD_CPU */
	c->zhaoxin = !strcmp(vendor, "CentaurHauls") ||
		     !strcmp(vendor, "  Shanghai  ");
	uint16_t qemu = c->qemu = cpu->machine ? cpu->machine->qemu : 702;
	for (unsigned i = 0; i < VS_RULES; i++)
		c->rule[i] = rules[i].since <= qemu && qemu < rules[i].until;
	for (size_t i = 0; i < ARRAY_SIZE(rule_knobs); i++) {
		/* legacy-multi-node is the one knob whose "on" is the old way */
		bool inverted = !strcmp(rule_knobs[i].knob, "legacy-multi-node");
		int k = vc_knob_index(rule_knobs[i].knob);
		bool on = k >= 0 && (cpu->compat_knobs >> k & 1);
		if (on == inverted)
			c->rule[rule_knobs[i].r] = false;
	}
	c->version = cpuid_version(cpu->family, cpu->model_num, cpu->stepping);

	unsigned char brand[48] = { 0 };
	memcpy(brand, cpu->model_id, strnlen(cpu->model_id, 48));
	for (unsigned i = 0; i < 12; i++)
		c->brand[i] = le32((const char *)brand + 4 * i);

	vs_topo_from(&cpu->topo, &c->topo);
	c->level = cpu->level;
	c->xlevel = cpu->xlevel;
	c->xlevel2 = cpu->xlevel2;
	c->level_func7 = cpu->level_func7; /* expansion's final value */

	c->phys_bits = cpu->phys_bits;
	c->guest_phys_bits = cpu->guest_phys_bits;
	if (!c->phys_bits) {
		if (cpu->features[VCPUID_W_8000_0001_EDX] & FB_8000_0001_EDX_LM)
			c->phys_bits = 40; /* QEMU's TCG_PHYS_ADDR_BITS default */
		else
			c->phys_bits = (cpu->features[VCPUID_W_1_EDX] & FB_1_EDX_PSE36)
					       ? 36 : 32;
	}
	if (cpu->cache) {
		c->c2 = c->c4 = c->camd = cpu->cache;
	} else if (c->rule[VS_R_CONSISTENT_CACHE] &&
		   c->rule[VS_R_VENDOR_CPUID_ONLY_V2]) {
		/* one set for every leaf: the vendor's */
		c->c2 = c->c4 = c->camd =
			c->amd ? &vs_legacy_amd : &vs_legacy_cpuid4;
	} else {
		c->c2 = &vs_legacy_cpuid2;
		c->c4 = &vs_legacy_cpuid4;
		c->camd = &vs_legacy_amd;
	}
	c->kvm_xcr0 = hv->kvm_xcr0;
	c->kvm_xss = hv->kvm_xss;
	/* x86_cpu_init_xsave keeps the areas of KVM's XCR0, from 11.0 (the
	 * release of XSAVE_SUBLEAF_FROM_AREA) also of its XSS */
	uint64_t kvm_comps = c->kvm_xcr0 |
		(c->rule[VS_R_XSAVE_SUBLEAF_FROM_AREA] ? c->kvm_xss : 0);
	vs_xsave_init(&c->xsave, cpu, hv, qemu,
		      c->rule[VS_R_XSAVE_AREA_KVM_COMPONENTS] ? &kvm_comps : NULL);
	return 0;
}

/* The entry buffer with QEMU's capacity rule: a new slot is refused when
 * the table already holds VCPUID_MAX_CPUID_ENTRIES entries. */
typedef struct walk {
	vcpuid_table *t;
	vcpuid_error *err;
	uint32_t leaf, sub;
	/* QEMU fills a fixed array and leaves the index of entries it writes
	 * without one as the slot held before (0 unless an entry was taken
	 * back there): base = entries before the walk, mem[] per slot. */
	size_t base;
	uint32_t mem[VCPUID_MAX_CPUID_ENTRIES];
	bool stale_index; /* rule XSAVE_DROP_SUBLEAF63 */
} walk;

static vcpuid_cpuid_entry *slot_of(walk *w, uint32_t fn, uint32_t idx,
				   bool plain)
{
	if (w->t->n >= VCPUID_MAX_CPUID_ENTRIES) {
		vcpuid_fail(w->err, VCPUID_E_LIMIT,
			    "synthesize.c: more than %d CPUID entries at leaf "
			    "0x%x subleaf 0x%x (QEMU aborts here)",
			    VCPUID_MAX_CPUID_ENTRIES, fn, idx);
		return NULL;
	}
	size_t k = w->t->n - w->base;
	if (plain && w->stale_index && k < VCPUID_MAX_CPUID_ENTRIES)
		idx = w->mem[k];
	vcpuid_cpuid_entry *e = vcpuid_table_add(w->t, fn, idx, 0, 0, 0, 0, 0);
	if (!e)
		vcpuid_fail(w->err, VCPUID_E_NOMEM, "synthesize.c: out of memory");
	else if (k < VCPUID_MAX_CPUID_ENTRIES)
		w->mem[k] = idx;
	return e;
}

/* An entry whose subleaf QEMU sets (recorded for the slot). */
static vcpuid_cpuid_entry *slot(walk *w, uint32_t fn, uint32_t idx)
{
	return slot_of(w, fn, idx, false);
}

/* An entry QEMU writes without setting its index. */
static vcpuid_cpuid_entry *plain_slot(walk *w, uint32_t fn)
{
	return slot_of(w, fn, 0, true);
}

static bool all_zero(const vcpuid_cpuid_entry *e)
{
	return !(e->reg[0] | e->reg[1] | e->reg[2] | e->reg[3]);
}

#define SIG VCPUID_FLAG_SIGNIFICANT_INDEX

/* One leaf of the basic range, following kvm_arch_init_vcpu's switch. */
static int basic_leaf(const vs_ctx *c, uint32_t apic, uint32_t i, walk *w)
{
	vcpuid_cpuid_entry *e;
	switch (i) {
	case 2: {
		if (!(e = plain_slot(w, i)))
			return -1;
		vs_leaf(c, apic, i, 0, e->reg);
		uint32_t times = e->reg[VCPUID_EAX] & 0xff;
		if (times > 1 || !c->rule[VS_R_LEAF2_FLAGS_IF_REPEATED])
			e->flags = VCPUID_FLAG_STATEFUL_FUNC |
				   VCPUID_FLAG_STATE_READ_NEXT;
		for (uint32_t j = 1; j < times; j++) {
			if (!(e = plain_slot(w, i)))
				return -1;
			e->flags = VCPUID_FLAG_STATEFUL_FUNC;
			vs_leaf(c, apic, i, 0, e->reg);
		}
		return 0;
	}
	case 0x1f:
		if (c->topo.dies < 2 &&
		    !(c->cpu->force_cpuid_0x1f && c->rule[VS_R_FORCE_CPUID_0X1F]))
			return 0;
		/* fall through */
	case 4:
	case 0xb:
	case 0xd:
		if (!(e = slot(w, i, 0)))
			return -1;
		for (uint32_t j = 0;; j++) {
			/* QEMU stops at 64 keeping the slot it last filled:
			 * 0xD always ends with an all-zero subleaf 63 entry. */
			if ((i == 0xd || i == 0x1f) && j == 64)
				return 0;
			e->function = i;
			e->flags = SIG;
			e->index = j;
			vs_leaf(c, apic, i, j, e->reg);
			/* QEMU 8.0+: the zero subleaf 63 is taken back */
			if (i == 0xd && j >= 63 && e->reg[VCPUID_EAX] == 0 &&
			    c->rule[VS_R_XSAVE_DROP_SUBLEAF63]) {
				w->mem[w->t->n - 1 - w->base] = j;
				w->t->n--;
				return 0;
			}
			if (i == 4 && e->reg[VCPUID_EAX] == 0)
				return 0;
			if ((i == 0xb || i == 0x1f) && !(e->reg[VCPUID_ECX] & 0xff00))
				return 0;
			if (i == 0xd && e->reg[VCPUID_EAX] == 0)
				continue;
			if (!(e = slot(w, i, j + 1)))
				return -1;
		}
	case 0x12:
		if (!(e = slot(w, i, 0)))
			return -1;
		for (uint32_t j = 0;; j++) {
			e->function = i;
			e->flags = SIG;
			e->index = j;
			vs_leaf(c, apic, i, j, e->reg);
			if (j > 1 && (e->reg[VCPUID_EAX] & 0xf) != 1)
				return 0;
			if (!(e = slot(w, i, j + 1)))
				return -1;
		}
	case 0x24: /* an indexed leaf from QEMU 9.2 on, a plain one before */
		if (!vc_avx10(c->qemu))
			goto plain;
		/* fall through */
	case 0x7:
	case 0x14:
	case 0x1d:
	case 0x1e: {
		if (!(e = slot(w, i, 0)))
			return -1;
		e->flags = SIG;
		vs_leaf(c, apic, i, 0, e->reg);
		uint32_t times = e->reg[VCPUID_EAX];
		for (uint32_t j = 1; j <= times; j++) {
			if (!(e = slot(w, i, j)))
				return -1;
			e->flags = SIG;
			vs_leaf(c, apic, i, j, e->reg);
		}
		return 0;
	}
	default:
	plain:
		if (!(e = plain_slot(w, i)))
			return -1;
		vs_leaf(c, apic, i, 0, e->reg);
		if (all_zero(e))
			w->t->n--;
		return 0;
	}
}

static int extended_leaf(const vs_ctx *c, uint32_t apic, uint32_t i, walk *w)
{
	vcpuid_cpuid_entry *e = i == 0x8000001Du ? slot(w, i, 0)
						  : plain_slot(w, i);
	if (!e)
		return -1;
	if (i == 0x8000001Du) {
		for (uint32_t j = 0;; j++) {
			e->function = i;
			e->flags = SIG;
			e->index = j;
			vs_leaf(c, apic, i, j, e->reg);
			if (e->reg[VCPUID_EAX] == 0)
				return 0;
			if (!(e = slot(w, i, j + 1)))
				return -1;
		}
	}
	vs_leaf(c, apic, i, 0, e->reg);
	if (all_zero(e))
		w->t->n--;
	return 0;
}

/* The last basic leaf the release answers non-zero: 0x1F, or the highest
 * basic leaf of a CPUID feature word it has (0x24 for AVX10 from 9.2, 0x29
 * for APX from 11.0: include/vcpuid/words.def). Leaves between are zero and
 * left out; past it the walk can only hit the entry limit. */
static uint32_t last_basic_leaf(uint16_t qemu)
{
	uint32_t last = VS_LAST_BASIC_LEAF;
	for (int w = 0; w < VCPUID_NWORDS; w++) {
		const vcpuid_word_info *wi = vcpuid_word(w);
		if (wi && wi->kind == VCPUID_WORD_CPUID && wi->qemu_since <= qemu &&
		    wi->leaf < 0x40000000u && wi->leaf > last)
			last = wi->leaf;
	}
	return last;
}

static int build_table(const vs_ctx *c, uint32_t apic, vcpuid_table *t,
		       vcpuid_error *err)
{
	walk w = { .t = t, .err = err,
		   .stale_index = c->rule[VS_R_XSAVE_DROP_SUBLEAF63] };
	vcpuid_cpuid_entry *e;
	uint32_t r[4];
	int rc;

	if (c->cpu->kvm) {
		e = vcpuid_table_add(t, KVM_SIG_LEAF, 0, 0, KVM_FEAT_LEAF,
				     le32("KVMK"), le32("VMKV"), le32("M\0\0\0"));
		if (!e || !vcpuid_table_add(t, KVM_FEAT_LEAF, 0, 0,
				(uint32_t)c->cpu->features[VCPUID_W_KVM], 0, 0,
				(uint32_t)c->cpu->features[VCPUID_W_KVM_HINTS]))
			return vcpuid_fail(err, VCPUID_E_NOMEM,
					   "synthesize.c: out of memory");
	}
	w.base = t->n;
	vs_leaf(c, apic, 0, 0, r);
	uint32_t last = last_basic_leaf(c->qemu);
	for (uint32_t i = 0, lim = r[VCPUID_EAX]; i <= lim; i++) {
		if (t->n >= VCPUID_MAX_CPUID_ENTRIES)
			return vcpuid_fail(err, VCPUID_E_LIMIT,
					   "synthesize.c: level 0x%x needs more "
					   "than %d CPUID entries (QEMU aborts)",
					   lim, VCPUID_MAX_CPUID_ENTRIES);
		/* Past the last leaf QEMU computes every leaf is zero and left
		 * out: the rest of the walk can only hit the limit check. */
		if (i > last)
			break;
		if (basic_leaf(c, apic, i, &w))
			return err ? err->code : VCPUID_E_LIMIT;
		if (i == UINT32_MAX)
			break;
	}
	vs_leaf(c, apic, 0x80000000u, 0, r);
	for (uint32_t i = 0x80000000u, lim = r[VCPUID_EAX]; i <= lim; i++) {
		if (t->n >= VCPUID_MAX_CPUID_ENTRIES)
			return vcpuid_fail(err, VCPUID_E_LIMIT,
					   "synthesize.c: xlevel 0x%x needs more "
					   "than %d CPUID entries (QEMU aborts)",
					   lim, VCPUID_MAX_CPUID_ENTRIES);
		if (i > (c->rule[VS_R_LEAVES_80000021] ? VS_LAST_EXT_LEAF_V2
						       : VS_LAST_EXT_LEAF))
			break;
		if (extended_leaf(c, apic, i, &w))
			return err ? err->code : VCPUID_E_LIMIT;
		if (i == UINT32_MAX)
			break;
	}
	if (c->xlevel2 > 0) {
		vs_leaf(c, apic, 0xC0000000u, 0, r);
		for (uint32_t i = 0xC0000000u, lim = r[VCPUID_EAX]; i <= lim; i++) {
			if (!(e = plain_slot(&w, i)))
				return err ? err->code : VCPUID_E_LIMIT;
			vs_leaf(c, apic, i, 0, e->reg);
			if (i == UINT32_MAX)
				break;
		}
	}
	/* vmware-cpuid-freq (on by default): a known, stable TSC rate: the
	 * one set with tsc-frequency, else, with invtsc, the rate KVM gives a
	 * new vCPU (the profile's kvm.tsc_khz; unknown: no leaf). */
	uint64_t khz = c->cpu->tsc_khz;
	uint32_t host_khz = 0;
	if (!khz && c->hv->present &&
	    (c->cpu->features[VCPUID_W_8000_0007_EDX] >> 8 & 1) && /* invtsc */
	    (rc = hq_view_tsc_khz(c->hv, &host_khz, err)))
		return rc;
	if (!khz)
		khz = host_khz;
	if (c->cpu->kvm && khz && !c->cpu->vmware_cpuid_freq_off) {
		if (!(e = vcpuid_table_add(t, KVM_SIG_LEAF | 0x10, 0, 0,
					   (uint32_t)khz,
					   KVM_APIC_BUS_KHZ, 0, 0)))
			return vcpuid_fail(err, VCPUID_E_NOMEM,
					   "synthesize.c: out of memory");
		vcpuid_cpuid_entry *sig = vcpuid_table_find_mut(t, KVM_SIG_LEAF, 0);
		if (sig && sig->reg[VCPUID_EAX] < (KVM_SIG_LEAF | 0x10))
			sig->reg[VCPUID_EAX] = KVM_SIG_LEAF | 0x10;
	}
	return 0;
}

void vcpuid_vcpu_free(vcpuid_vcpu *v)
{
	if (!v)
		return;
	vcpuid_table_free(&v->cpuid);
	vcpuid_msr_list_free(&v->msrs);
}

uint32_t vcpuid_apic_id(const vcpuid_topology *topo, unsigned index)
{
	vs_topo t;
	vs_topo_from(topo, &t);
	return vs_apic_id(&t, index);
}

static int synth_one(const vs_ctx *c, unsigned index, vcpuid_vcpu *out,
		     vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->apic_id = vs_apic_id(&c->topo, index);
	int r = build_table(c, out->apic_id, &out->cpuid, err);
	if (!r)
		r = vs_feature_msrs(c, &out->msrs, err);
	if (r)
		vcpuid_vcpu_free(out);
	return r;
}

int vcpuid_synthesize(const vcpuid_cpu *cpu, const vcpuid_host *host,
		      unsigned index, vcpuid_vcpu *out, vcpuid_error *err)
{
	hq_view hv;
	vs_ctx c;
	int r = hq_view_init(&hv, host, 0, err);
	if (!r)
		r = vs_ctx_init(&c, cpu, &hv, err);
	if (r)
		return r;
	return synth_one(&c, index, out, err);
}

void vcpuid_guest_free(vcpuid_guest *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nvcpus; i++)
		vcpuid_vcpu_free(&g->vcpus[i]);
	free(g->vcpus);
	vcpuid_cpu_free(&g->cpu);
	memset(g, 0, sizeof(*g));
}

/* Every vCPU of cpu's topology, on the host view hv. */
static int synthesize_all(const vcpuid_cpu *cpu, const hq_view *hv,
			  vcpuid_vcpu **vcpus, size_t *n, vcpuid_error *err)
{
	vs_ctx c;
	int r = vs_ctx_init(&c, cpu, hv, err);
	if (r)
		return r;
	unsigned count = cpu->topo.cpus ? cpu->topo.cpus : 1;
	vcpuid_vcpu *v = calloc(count, sizeof(*v));
	if (!v)
		return vcpuid_fail(err, VCPUID_E_NOMEM, "synthesize.c: out of memory");
	for (unsigned i = 0; i < count; i++) {
		if ((r = synth_one(&c, i, &v[i], err))) {
			for (unsigned k = 0; k < i; k++)
				vcpuid_vcpu_free(&v[k]);
			free(v);
			return r;
		}
	}
	*vcpus = v;
	*n = count;
	return 0;
}

int vcpuid_guest_synthesize(const vcpuid_cpu *cpu, const vcpuid_host *host,
			    vcpuid_vcpu **vcpus, size_t *n, vcpuid_error *err)
{
	hq_view hv;
	int r = hq_view_init(&hv, host, 0, err);
	return r ? r : synthesize_all(cpu, &hv, vcpus, n, err);
}

int vs_guest_build(const vcpuid_host *host, const char *spec,
		   const char *machine, const vcpuid_topology *topo,
		   vcpuid_guest *out, vcpuid_error *err)
{
	memset(out, 0, sizeof(*out));
	/* one host view for the expansion and the synthesis */
	hq_view hv;
	int r = hq_view_init(&hv, host, 0, err);
	if (r == 0)
		r = ve_expand_view(&hv, spec, machine, topo, &out->cpu, err);
	if (r == 0)
		r = synthesize_all(&out->cpu, &hv, &out->vcpus, &out->nvcpus,
				   err);
	if (r)
		vcpuid_guest_free(out);
	return r;
}
