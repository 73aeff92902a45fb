/* SPDX-License-Identifier: MIT */
/* Shared inside the synthesize stage (synthesize.c, leaves.c, cache.c,
 * apicid.c, xsave.c, msrs.c); not part of the public API. */
#ifndef VCPUID_SYNTH_H
#define VCPUID_SYNTH_H

#include "internal.h"
#include "host/query.h"

/* ---- APIC-ID layout (apicid.c), QEMU's include/hw/i386/topology.h ---- */
typedef struct vs_topo {
	unsigned dies, cores, threads; /* per package / die / core */
} vs_topo;
typedef struct vs_topo_ids {
	unsigned pkg, die, core, smt;
} vs_topo_ids;
unsigned vs_bits_for_count(unsigned count);
unsigned vs_core_offset(const vs_topo *t); /* = SMT width */
unsigned vs_die_offset(const vs_topo *t);
unsigned vs_pkg_offset(const vs_topo *t);
uint32_t vs_apic_id(const vs_topo *t, unsigned cpu_index);
void vs_ids_from_apic_id(const vs_topo *t, uint32_t apic_id, vs_topo_ids *ids);
void vs_topo_from(const vcpuid_topology *in, vs_topo *out);

/* ---- caches (cache.c) ---- */
#define VS_NO_DESCRIPTOR 0xFFu
uint8_t vs_cache_descriptor(const vcpuid_cache *c, uint16_t qemu);
void vs_cache_leaf4(const vcpuid_cache *c, unsigned num_apic_ids,
		    unsigned num_cores, uint32_t r[4]);
uint32_t vs_cache_80000005(const vcpuid_cache *c);
/* AMD's 4-bit associativity code of 0x80000006 (0 = disabled/invalid). */
uint32_t vs_amd_assoc(unsigned ways);
void vs_cache_80000006(const vcpuid_cache *l2, const vcpuid_cache *l3,
		       uint32_t *ecx, uint32_t *edx);
void vs_cache_8000001d(const vcpuid_cache *c, const vs_topo *t, uint32_t r[4]);
/* QEMU 8.0+ (rule CACHE_SHARE_LEVELS): the sharing fields from the cache's
 * share level; l1_zero clears them (x-l1-cache-per-thread=false). */
void vs_cache_leaf4_v2(const vcpuid_cache *c, const vs_topo *t, bool l1_zero,
		       uint32_t r[4]);
void vs_cache_8000001d_v2(const vcpuid_cache *c, const vs_topo *t,
			  bool topoext_only, uint32_t r[4]);
/* The legacy cache sets QEMU uses without a model cache table
 * (data/legacy_caches.c): one per consumer leaf family. */
extern const vcpuid_cache_set vs_legacy_cpuid2, vs_legacy_cpuid4, vs_legacy_amd;

/* ---- XSAVE (xsave.c) ---- */
#define VS_XSAVE_COMPONENTS 19 /* QEMU 7.2's XSAVE_STATE_AREA_COUNT */
typedef struct vs_xsave {
	uint64_t xcr0, xss;		/* the guest's component masks */
	uint32_t size[VS_XSAVE_COMPONENTS];	/* 0 = unknown to QEMU 7.2 */
	uint32_t offset[VS_XSAVE_COMPONENTS];	/* from the host's CPUID.0xD */
	uint32_t ecx[VS_XSAVE_COMPONENTS];	/* host CPUID.0xD.n ECX */
} vs_xsave;
/* kvm: NULL = take the host's offset of a component whose enabling
 * feature KVM supports; else the components (KVM's XCR0 | XSS) whose
 * host offset is taken, whatever feature enables them. */
void vs_xsave_init(vs_xsave *x, const vcpuid_cpu *cpu, const hq_view *hv,
		   uint16_t qemu, const uint64_t *kvm);
uint32_t vs_xsave_area_size(const vs_xsave *x, uint64_t mask, bool compacted);

/* ---- rules that changed after QEMU 7.2 (data/synth_rules.def) ---- */
enum vs_rule {
#define SYNTH_RULE(name, since, until) VS_R_##name,
#include "data/synth_rules.def"
	VS_RULES
};

/* ---- everything one vCPU's leaves need (filled once per guest) ---- */
typedef struct vs_ctx {
	const vcpuid_cpu *cpu;
	const hq_view *hv;	/* the host view (hv->present: KVM to ask) */
	uint32_t version;	/* CPUID.1.EAX */
	uint32_t vendor[3];	/* EBX, EDX, ECX of leaf 0 */
	uint32_t brand[12];	/* 0x80000002..4 */
	bool intel, amd, zhaoxin;
	uint16_t qemu;		/* the machine type's QEMU release */
	bool rule[VS_RULES];	/* data/synth_rules.def for the machine type */
	uint64_t kvm_xcr0, kvm_xss; /* host KVM's XSAVE components */
	vs_topo topo;
	uint32_t level, xlevel, xlevel2, level_func7;
	uint32_t phys_bits;
	uint32_t guest_phys_bits; /* 0x80000008 EAX[23:16] with lm */
	const vcpuid_cache_set *c2, *c4, *camd;
	vs_xsave xsave;
} vs_ctx;
int vs_ctx_init(vs_ctx *c, const vcpuid_cpu *cpu, const hq_view *hv,
		vcpuid_error *err);
/* QEMU's cpu_x86_cpuid() for one (leaf, subleaf) of the vCPU with apic_id. */
void vs_leaf(const vs_ctx *c, uint32_t apic_id, uint32_t leaf, uint32_t sub,
	     uint32_t r[4]);
/* What guest_leaves.c and feature_leaves.c share: the CPU's feature word
 * (vs_wk: 0 when the emulated release lacks the word) and a cleared
 * register set. KVM_GET_SUPPORTED_CPUID of the host is hq_view_kvm_cpuid. */
static inline uint32_t vs_w(const vs_ctx *c, enum vcpuid_word word)
{
	return (uint32_t)c->cpu->features[word];
}
static inline uint32_t vs_wk(const vs_ctx *c, enum vcpuid_word word)
{
	const vcpuid_word_info *wi = vcpuid_word(word);
	return wi && wi->qemu_since <= c->qemu ? vs_w(c, word) : 0;
}
static inline void vs_zero(uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
}
/* The leaves of one feature each (feature_leaves.c): 0xD, 0x12, 7, 0x24,
 * 0x29, 0x14, 0x1D/0x1E. */
void vs_leaf_xsave(const vs_ctx *c, uint32_t sub, uint32_t r[4]);
void vs_leaf_sgx(const vs_ctx *c, uint32_t sub, uint32_t r[4]);
void vs_leaf7(const vs_ctx *c, uint32_t sub, uint32_t r[4]);
void vs_leaf_avx10(const vs_ctx *c, uint32_t sub, uint32_t r[4]);
void vs_leaf_apx(const vs_ctx *c, uint32_t sub, uint32_t r[4]);
void vs_leaf_pt(const vs_ctx *c, uint32_t sub, uint32_t r[4]);
void vs_leaf_amx(const vs_ctx *c, uint32_t leaf, uint32_t sub,
		 uint32_t r[4]);


/* ---- the whole guest (synthesize.c) ---- */
/* vcpuid_guest_build for a QEMU -cpu string only (front.c also takes
 * libvirt XML): what the libvirt readers themselves call. */
int vs_guest_build(const vcpuid_host *host, const char *spec,
		   const char *machine, const vcpuid_topology *topo,
		   vcpuid_guest *out, vcpuid_error *err);

/* ---- feature MSRs written at vCPU creation (msrs.c) ---- */
int vs_feature_msrs(const vs_ctx *c, vcpuid_msr_list *out, vcpuid_error *err);

#endif
