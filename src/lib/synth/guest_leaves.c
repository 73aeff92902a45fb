/* SPDX-License-Identifier: MIT */
/* leaves: the value of one CPUID (leaf, subleaf) for one vCPU, computed from
 * the expanded CPU like QEMU 7.2's cpu_x86_cpuid() with KVM, at vCPU
 * creation (CR4 = 0, so OSXSAVE/OSPKE are clear). */
#include <string.h>
#include "synth/synth.h"
#include "feature_bits.h"

/* Feature bits are named by feature_bits.h (FB_<WORD>_<NAME>, made from
 * data/features.def). The leaves of one feature each are feature_leaves.c. */

/* Fixed values QEMU 7.2 reports. */
#define L1_TLB_2M ((1u << 24) | (255u << 16) | (1u << 8) | 255u)
#define L1_TLB_4K ((1u << 24) | (255u << 16) | (1u << 8) | 255u)
#define L2_TLB_4K_ASSOC 4u
#define L2_TLB_4K_ENTRIES 512u
#define SVM_REVISION 1u
#define SVM_ASIDS 0x10u
#define MWAIT_ECX 3u /* EMX | IBE: QEMU always claims them */

/* The host's CPUID instruction, as recorded in the profile, read with the
 * one lookup rule for profile entries (vcpuid_table_lookup: an entry
 * without SIGNIFICANT_INDEX answers every subleaf; a missing subleaf of an
 * indexed leaf answers 0). */
static void host_cpuid(const vs_ctx *c, uint32_t leaf, uint32_t sub,
		       uint32_t r[4])
{
	hq_view_raw(c->hv, leaf, sub, r);
}

/* KVM_GET_SUPPORTED_CPUID of the host (x86_cpu_get_supported_cpuid), read
 * with the one lookup rule for profile entries (vcpuid_table_lookup; for
 * a table KVM produced it is QEMU's exact match). */
/* host-cache-info=on: x86_cpu_get_cache_cpuid */
static void host_cache(const vs_ctx *c, uint32_t leaf, uint32_t sub,
		       uint32_t r[4])
{
	uint32_t lim[4];
	host_cpuid(c, leaf >= 0x80000000u ? 0x80000000u : 0, 0, lim);
	if (leaf > lim[VCPUID_EAX])
		vs_zero(r);
	else
		host_cpuid(c, leaf, sub, r);
}

static uint32_t pow2ceil(uint32_t v)
{
	uint32_t p = 1;
	while (p < v && p < 0x80000000u)
		p <<= 1;
	return p;
}

static uint32_t shl(uint32_t v, unsigned s)
{
	return s >= 32 ? 0 : v << s;
}

static void leaf4(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	const vcpuid_cpu *cpu = c->cpu;
	const vs_topo *t = &c->topo;
	if (cpu->host_cache_info) {
		host_cache(c, 4, sub, r);
		if (r[VCPUID_EAX] & 31) {
			uint32_t host_share = 1 + ((r[VCPUID_EAX] & 0x3FFC000u) >> 14);
			uint32_t per_socket = t->dies * t->cores * t->threads;
			/* 8.0 on: the APIC-ID widths (core IDs in the package,
			 * dies included; thread IDs in the package), capped
			 * to the fields; 7.2: powers of two of the counts */
			bool widths = c->rule[VS_R_CACHE_SHARE_LEVELS];
			unsigned pkg = vs_pkg_offset(t), core = vs_core_offset(t);
			uint32_t cores = widths ? shl(1, pkg - core) - 1
						: pow2ceil(t->cores) - 1;
			uint32_t sharing = widths ? shl(1, pkg) - 1
						  : pow2ceil(per_socket) - 1;
			r[VCPUID_EAX] &= ~0xFC000000u;
			r[VCPUID_EAX] |= (cores < 63 ? cores : 63) << 26;
			if (host_share > per_socket) {
				r[VCPUID_EAX] &= ~0x3FFC000u;
				r[VCPUID_EAX] |= (sharing < 4095 ? sharing : 4095) << 14;
			}
		}
		return;
	}
	if (cpu->vendor_cpuid_only && c->amd) {
		vs_zero(r);
		return;
	}
	if (c->rule[VS_R_CACHE_SHARE_LEVELS]) {
		const vcpuid_cache *k[] = { &c->c4->l1d, &c->c4->l1i,
					    &c->c4->l2, &c->c4->l3 };
		if (sub < 3 || (sub == 3 && cpu->l3_cache))
			vs_cache_leaf4_v2(k[sub], t,
					  !c->rule[VS_R_L1_CACHE_PER_CORE], r);
		else
			vs_zero(r);
		return;
	}
	switch (sub) {
	case 0:
		vs_cache_leaf4(&c->c4->l1d, 1, t->cores, r);
		break;
	case 1:
		vs_cache_leaf4(&c->c4->l1i, 1, t->cores, r);
		break;
	case 2:
		vs_cache_leaf4(&c->c4->l2, t->threads, t->cores, r);
		break;
	case 3:
		if (cpu->l3_cache) {
			vs_cache_leaf4(&c->c4->l3, shl(1, vs_die_offset(t)),
				       t->cores, r);
			break;
		}
		/* fall through */
	default:
		vs_zero(r);
	}
}

static void leaf2(const vs_ctx *c, uint32_t r[4])
{
	if (c->cpu->host_cache_info) {
		host_cache(c, 2, 0, r);
		return;
	}
	if (c->cpu->vendor_cpuid_only && c->amd) {
		vs_zero(r);
		return;
	}
	r[VCPUID_EAX] = 1;
	r[VCPUID_EBX] = 0;
	if (c->rule[VS_R_CONSISTENT_CACHE]) {
		const vcpuid_cache *k[] = { &c->c2->l1d, &c->c2->l1i,
					    &c->c2->l2, &c->c2->l3 };
		bool unmatched = false;
		for (size_t i = 0; i < ARRAY_SIZE(k); i++)
			unmatched |= vs_cache_descriptor(k[i], c->qemu) ==
				     VS_NO_DESCRIPTOR;
		if (c->cpu->min_level >= 4 || unmatched) {
			r[VCPUID_ECX] = 0; /* "use leaf 4" */
			r[VCPUID_EDX] = VS_NO_DESCRIPTOR;
			return;
		}
	}
	uint16_t q = c->qemu;
	r[VCPUID_ECX] = c->cpu->l3_cache ? vs_cache_descriptor(&c->c2->l3, q) : 0;
	r[VCPUID_EDX] = ((uint32_t)vs_cache_descriptor(&c->c2->l1d, q) << 16) |
			((uint32_t)vs_cache_descriptor(&c->c2->l1i, q) << 8) |
			vs_cache_descriptor(&c->c2->l2, q);
}

/* 0xB (levels SMT, core) and 0x1F (SMT, core, die). */
static void topology_leaf(const vs_ctx *c, uint32_t apic_id, uint32_t sub,
			  bool v2, uint32_t r[4])
{
	const vs_topo *t = &c->topo;
	uint32_t per_core = t->threads, per_die = t->cores * t->threads;
	r[VCPUID_ECX] = sub & 0xff;
	r[VCPUID_EDX] = apic_id;
	if (sub == 0) {
		r[VCPUID_EAX] = vs_core_offset(t);
		r[VCPUID_EBX] = per_core;
		r[VCPUID_ECX] |= 1u << 8;
	} else if (sub == 1) {
		r[VCPUID_EAX] = v2 ? vs_die_offset(t) : vs_pkg_offset(t);
		r[VCPUID_EBX] = per_die;
		if (!v2 && c->rule[VS_R_TOPO_B_PER_PACKAGE])
			r[VCPUID_EBX] = t->dies * per_die;
		r[VCPUID_ECX] |= 2u << 8;
	} else if (v2 && sub == 2 && t->dies > 1) {
		r[VCPUID_EAX] = vs_pkg_offset(t);
		r[VCPUID_EBX] = t->dies * per_die;
		r[VCPUID_ECX] |= 5u << 8;
	} else {
		r[VCPUID_EAX] = 0;
		r[VCPUID_EBX] = 0;
	}
	r[VCPUID_EBX] &= 0xffff;
}

static void leaf_8000001e(const vs_ctx *c, uint32_t apic_id, uint32_t r[4])
{
	const vs_topo *t = &c->topo;
	vs_topo_ids ids;
	vs_ids_from_apic_id(t, apic_id, &ids);
	vs_zero(r);
	if (ids.core > 255)
		return;
	r[VCPUID_EAX] = apic_id;
	r[VCPUID_EBX] = ((t->threads - 1) << 8) | (ids.core & 0xFF);
	if (c->rule[VS_R_NO_LEGACY_MULTI_NODE])
		r[VCPUID_ECX] = (vs_pkg_offset(t) >= 32 ? 0
				 : apic_id >> vs_pkg_offset(t)) & 0xFF;
	else
		r[VCPUID_ECX] = ((t->dies - 1) << 8) |
			((vs_die_offset(t) >= 32 ? 0 : apic_id >> vs_die_offset(t)) & 0xFF);
}

static void leaf_8000001d(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	if (c->cpu->host_cache_info) {
		host_cache(c, 0x8000001D, sub, r);
		return;
	}
	const vcpuid_cache_set *s =
		!c->amd && c->rule[VS_R_LEAF_8000001D_VENDOR_CACHES] ? c->c4
								      : c->camd;
	const vcpuid_cache *k[] = { &s->l1d, &s->l1i, &s->l2, &s->l3 };
	if (sub < 4 && c->rule[VS_R_CACHE_SHARE_LEVELS])
		vs_cache_8000001d_v2(k[sub], &c->topo,
				     c->rule[VS_R_AMD_TOPOEXT_FEATURES_ONLY], r);
	else if (sub < 4)
		vs_cache_8000001d(k[sub], &c->topo, r);
	else
		vs_zero(r);
}

void vs_leaf(const vs_ctx *c, uint32_t apic_id, uint32_t leaf, uint32_t sub,
	     uint32_t r[4])
{
	const vcpuid_cpu *cpu = c->cpu;
	const vs_topo *t = &c->topo;
	uint32_t threads_pkg = t->cores * t->threads;
	if (c->rule[VS_R_TOPO_B_PER_PACKAGE])
		threads_pkg *= t->dies;
	uint32_t limit;

	if (leaf >= 0xC0000000u)
		limit = c->xlevel2;
	else if (leaf >= 0x80000000u)
		limit = c->xlevel;
	else if (leaf >= 0x40000000u)
		limit = 0x40000001u;
	else
		limit = c->level;
	if (leaf > limit)
		leaf = c->level;

	vs_zero(r);
	switch (leaf) {
	case 0:
	case 0x80000000u:
		r[VCPUID_EAX] = leaf ? c->xlevel : c->level;
		if (leaf && (c->intel || c->zhaoxin) &&
		    c->rule[VS_R_VENDOR_CPUID_ONLY_V2])
			break; /* no vendor in 0x80000000 */
		r[VCPUID_EBX] = c->vendor[0];
		r[VCPUID_EDX] = c->vendor[1];
		r[VCPUID_ECX] = c->vendor[2];
		break;
	case 1:
		r[VCPUID_EAX] = c->version;
		r[VCPUID_EBX] = (apic_id << 24) | (8u << 8);
		r[VCPUID_ECX] = vs_w(c, VCPUID_W_1_ECX);
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_1_EDX);
		if (threads_pkg > 1) {
			uint32_t num = threads_pkg;
			if ((c->intel || c->zhaoxin) &&
			    c->rule[VS_R_LEAF1_INTEL_APIC_IDS])
				num = vs_pkg_offset(t) >= 8 ? 255
					: 1u << vs_pkg_offset(t);
			r[VCPUID_EBX] |= (num > 255 ? 255 : num) << 16;
			r[VCPUID_EDX] |= FB_1_EDX_HT;
		}
		if (!cpu->pmu)
			r[VCPUID_ECX] &= ~FB_1_ECX_PDCM;
		break;
	case 2:
		leaf2(c, r);
		break;
	case 4:
		leaf4(c, sub, r);
		break;
	case 5:
		r[VCPUID_ECX] = MWAIT_ECX;
		break;
	case 6:
		r[VCPUID_EAX] = vs_w(c, VCPUID_W_6_EAX);
		break;
	case 7:
		vs_leaf7(c, sub, r);
		break;
	case 0xA:
		if (cpu->pmu)
			hq_view_kvm_cpuid(c->hv, 0xA, sub, r);
		break;
	case 0xB:
		if (!cpu->cpuid_0xb_off)
			topology_leaf(c, apic_id, sub, false, r);
		break;
	case 0xD:
		vs_leaf_xsave(c, sub, r);
		break;
	case 0x12:
		vs_leaf_sgx(c, sub, r);
		break;
	case 0x14:
		vs_leaf_pt(c, sub, r);
		break;
	case 0x1C:
		if (cpu->pmu && (vs_w(c, VCPUID_W_7_0_EDX) & FB_7_0_EDX_ARCH_LBR)) {
			hq_view_kvm_cpuid(c->hv, 0x1C, 0, r);
			r[VCPUID_EDX] = 0;
		}
		break;
	case 0x1D:
	case 0x1E:
		vs_leaf_amx(c, leaf, sub, r);
		break;
	case 0x24:
		vs_leaf_avx10(c, sub, r);
		break;
	case 0x29:
		vs_leaf_apx(c, sub, r);
		break;
	case 0x1F:
		if (t->dies >= 2 ||
		    (cpu->force_cpuid_0x1f && c->rule[VS_R_FORCE_CPUID_0X1F]))
			topology_leaf(c, apic_id, sub, true, r);
		break;
	case 0x80000001u:
		r[VCPUID_EAX] = c->version;
		r[VCPUID_ECX] = vs_w(c, VCPUID_W_8000_0001_ECX);
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_8000_0001_EDX);
		if (threads_pkg > 1 && !c->intel &&
		    c->rule[VS_R_CMP_LEGACY_IN_TABLE])
			r[VCPUID_ECX] |= FB_8000_0001_ECX_CMP_LEGACY;
		break;
	case 0x80000002u:
	case 0x80000003u:
	case 0x80000004u:
		memcpy(r, &c->brand[(leaf - 0x80000002u) * 4], 16);
		break;
	case 0x80000005u:
		if (cpu->host_cache_info) {
			host_cache(c, leaf, 0, r);
			break;
		}
		if (c->intel && c->rule[VS_R_VENDOR_CPUID_ONLY_V2])
			break;
		r[VCPUID_EAX] = L1_TLB_2M;
		r[VCPUID_EBX] = L1_TLB_4K;
		r[VCPUID_ECX] = vs_cache_80000005(&c->camd->l1d);
		r[VCPUID_EDX] = vs_cache_80000005(&c->camd->l1i);
		break;
	case 0x80000006u:
		if (cpu->host_cache_info) {
			host_cache(c, leaf, 0, r);
			break;
		}
		if ((c->intel || c->zhaoxin) &&
		    c->rule[VS_R_VENDOR_CPUID_ONLY_V2]) {
			vs_cache_80000006(&c->camd->l2, NULL, &r[VCPUID_ECX],
					  &r[VCPUID_EDX]);
			break;
		}
		r[VCPUID_EAX] = 0; /* L2 2M/4M TLBs: disabled */
		r[VCPUID_EBX] = (vs_amd_assoc(L2_TLB_4K_ASSOC) << 28) |
				(L2_TLB_4K_ENTRIES << 16) |
				(vs_amd_assoc(L2_TLB_4K_ASSOC) << 12) |
				L2_TLB_4K_ENTRIES;
		vs_cache_80000006(&c->camd->l2,
				  cpu->l3_cache ? &c->camd->l3 : NULL,
				  &r[VCPUID_ECX], &r[VCPUID_EDX]);
		break;
	case 0x80000007u:
		if (!(c->intel && c->rule[VS_R_VENDOR_CPUID_ONLY_V2]))
			r[VCPUID_EBX] = vs_wk(c, VCPUID_W_8000_0007_EBX);
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_8000_0007_EDX);
		break;
	case 0x80000008u:
		r[VCPUID_EAX] = c->phys_bits;
		if (vs_w(c, VCPUID_W_8000_0001_EDX) & FB_8000_0001_EDX_LM)
			r[VCPUID_EAX] |=
				((vs_w(c, VCPUID_W_7_0_ECX) & FB_7_0_ECX_LA57) ? 57u : 48u)
				<< 8 | c->guest_phys_bits << 16;
		r[VCPUID_EBX] = vs_w(c, VCPUID_W_8000_0008_EBX);
		if ((c->intel || c->zhaoxin) &&
		    c->rule[VS_R_VENDOR_CPUID_ONLY_V2])
			break;
		if (threads_pkg > 1)
			r[VCPUID_ECX] = (vs_pkg_offset(t) << 12) |
					(threads_pkg - 1);
		break;
	case 0x8000000Au:
		if (vs_w(c, VCPUID_W_8000_0001_ECX) & FB_8000_0001_ECX_SVM) {
			r[VCPUID_EAX] = SVM_REVISION;
			r[VCPUID_EBX] = SVM_ASIDS;
			r[VCPUID_EDX] = vs_w(c, VCPUID_W_SVM);
		}
		break;
	case 0x8000001Du:
		leaf_8000001d(c, sub, r);
		break;
	case 0x8000001Eu:
		leaf_8000001e(c, apic_id, r);
		break;
	case 0x80000021u:
		if (c->rule[VS_R_LEAVES_80000021]) {
			r[VCPUID_EAX] = vs_wk(c, VCPUID_W_8000_0021_EAX);
			r[VCPUID_EBX] = vs_wk(c, VCPUID_W_8000_0021_EBX);
			r[VCPUID_ECX] = vs_wk(c, VCPUID_W_8000_0021_ECX);
		}
		break;
	case 0x80000022u:
		if (c->rule[VS_R_LEAVES_80000021] && cpu->pmu &&
		    (vs_wk(c, VCPUID_W_8000_0022_EAX) & 1u)) {
			uint32_t sup[4];
			hq_view_kvm_cpuid(c->hv, leaf, 0, sup);
			r[VCPUID_EAX] = 1u; /* perfmon-v2 */
			r[VCPUID_EBX] = sup[VCPUID_EBX] & 0xf;
		}
		break;
	case 0xC0000000u:
		r[VCPUID_EAX] = c->xlevel2;
		break;
	case 0xC0000001u:
		r[VCPUID_EAX] = c->version;
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_C000_0001_EDX);
		break;
	default:
		break; /* reserved: zero (incl. 3, 9, 0x8000001F without SEV) */
	}
}
