/* SPDX-License-Identifier: MIT */
/* feature_leaves: the CPUID leaves that describe one feature each (7, XSAVE
 * 0xD, SGX 0x12, Intel PT 0x14, AMX 0x1D/0x1E, AVX10 0x24, APX 0x29) for one
 * vCPU, as QEMU's cpu_x86_cpuid() computes them; guest_leaves.c's vs_leaf
 * calls them. */
#include <string.h>
#include "synth/synth.h"
#include "feature_bits.h"
#include "data/fixed_leaves.h"

/* Arch LBR's supervisor XSAVE component (data/xsave.def: arch-lbr) */
#define XSAVE_ARCH_LBR 15u
#define XSS_ARCH_LBR (1u << XSAVE_ARCH_LBR)

void vs_leaf_xsave(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	const vs_xsave *x = &c->xsave;
	const vcpuid_cpu *cpu = c->cpu;
	bool lbr = cpu->pmu && (vs_w(c, VCPUID_W_7_0_EDX) & FB_7_0_EDX_ARCH_LBR);
	vs_zero(r);
	if (!(vs_w(c, VCPUID_W_1_ECX) & FB_1_ECX_XSAVE))
		return;
	if (sub == 0) {
		r[VCPUID_ECX] = vs_xsave_area_size(x, x->xcr0, false);
		r[VCPUID_EAX] = vs_w(c, VCPUID_W_XSAVE_XCR0_LO);
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_XSAVE_XCR0_HI);
		r[VCPUID_EBX] = r[VCPUID_ECX];
	} else if (sub == 1) {
		r[VCPUID_EAX] = vs_w(c, VCPUID_W_XSAVE);
		r[VCPUID_EBX] = vs_xsave_area_size(x, x->xcr0 | x->xss, true);
		r[VCPUID_ECX] = vs_w(c, VCPUID_W_XSAVE_XSS_LO);
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_XSAVE_XSS_HI);
		if (lbr && (r[VCPUID_EAX] & FB_XSAVE_XSAVES))
			r[VCPUID_ECX] |= XSS_ARCH_LBR;
		else
			r[VCPUID_ECX] &= ~XSS_ARCH_LBR;
	} else if (sub == XSAVE_ARCH_LBR && lbr) {
		hq_view_kvm_cpuid(c->hv, 0xD, sub, r);
	} else if (sub < VS_XSAVE_COMPONENTS) {
		uint64_t xcr0 = x->xcr0, xss = x->xss;
		if (c->rule[VS_R_XSAVE_HOST_COMPONENTS]) {
			xcr0 |= c->kvm_xcr0;
			xss |= c->kvm_xss;
		}
		if ((xcr0 >> sub) & 1) {
			r[VCPUID_EAX] = x->size[sub];
			r[VCPUID_EBX] = x->offset[sub];
			r[VCPUID_ECX] = x->ecx[sub] & 6u; /* ALIGN64 | XFD */
		} else if ((xss >> sub) & 1) {
			r[VCPUID_EAX] = x->size[sub];
			r[VCPUID_EBX] = 0;
			r[VCPUID_ECX] = 1;
		}
		if (r[VCPUID_EAX] && c->rule[VS_R_XSAVE_SUBLEAF_FROM_AREA]) {
			/* the host's offset and ECX as xsave.c kept them; 0
			 * when the host's CPUID lacks the subleaf */
			r[VCPUID_EBX] = x->offset[sub];
			r[VCPUID_ECX] = x->ecx[sub];
		}
	}
}

void vs_leaf_sgx(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	vs_zero(r);
	if (!(vs_w(c, VCPUID_W_7_0_EBX) & FB_7_0_EBX_SGX) || sub > 1)
		return; /* vcpuid never configures EPC sections */
	hq_view_kvm_cpuid(c->hv, 0x12, sub, r);
	if (sub == 0) {
		r[VCPUID_EAX] &= vs_w(c, VCPUID_W_SGX_12_0_EAX);
		r[VCPUID_EBX] &= vs_w(c, VCPUID_W_SGX_12_0_EBX);
	} else {
		r[VCPUID_EAX] &= vs_w(c, VCPUID_W_SGX_12_1_EAX);
		r[VCPUID_EBX] = 0;
		r[VCPUID_ECX] &= vs_w(c, VCPUID_W_XSAVE_XCR0_LO);
		r[VCPUID_EDX] &= vs_w(c, VCPUID_W_XSAVE_XCR0_HI);
		r[VCPUID_ECX] |= 3u;
		/* no provisioning key without the fd */
		r[VCPUID_EAX] &= ~FB_SGX_12_1_EAX_SGX_PROVISIONKEY;
	}
}

void vs_leaf7(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	vs_zero(r);
	if (sub == 0) {
		uint32_t sup[4];
		hq_view_kvm_cpuid(c->hv, 7, 0, sup);
		r[VCPUID_EAX] = c->level_func7;
		r[VCPUID_EBX] = vs_w(c, VCPUID_W_7_0_EBX);
		r[VCPUID_ECX] = vs_w(c, VCPUID_W_7_0_ECX);
		r[VCPUID_EDX] = vs_w(c, VCPUID_W_7_0_EDX);
		if ((r[VCPUID_EBX] & FB_7_0_EBX_SGX) && !(sup[VCPUID_EBX] & FB_7_0_EBX_SGX))
			r[VCPUID_EBX] &= ~FB_7_0_EBX_SGX;
		if ((r[VCPUID_ECX] & FB_7_0_ECX_SGXLC) &&
		    (!(r[VCPUID_EBX] & FB_7_0_EBX_SGX) ||
		     !(sup[VCPUID_ECX] & FB_7_0_ECX_SGXLC)))
			r[VCPUID_ECX] &= ~FB_7_0_ECX_SGXLC;
	} else if (sub == 1) {
		r[VCPUID_EAX] = vs_w(c, VCPUID_W_7_1_EAX);
		r[VCPUID_ECX] = vs_wk(c, VCPUID_W_7_1_ECX);
		r[VCPUID_EDX] = vs_wk(c, VCPUID_W_7_1_EDX);
	} else if (sub == 2) {
		r[VCPUID_EDX] = vs_wk(c, VCPUID_W_7_2_EDX);
	}
}

/* Leaf 0x24 (QEMU 9.2 on): the AVX10 version and vector lengths in
 * subleaf 0, AVX10 features in subleaf 1 (QEMU 11); all zero without
 * avx10. */
void vs_leaf_avx10(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	const vcpuid_feature *f = vc_avx10(c->qemu);
	vs_zero(r);
	if (!f || !(c->cpu->features[f->word] >> f->bit & 1))
		return;
	if (sub == 0) {
		r[VCPUID_EAX] = c->cpu->avx10_max_subleaf;
		r[VCPUID_EBX] = vs_wk(c, VCPUID_W_24_0_EBX) | c->cpu->avx10_version;
	} else if (sub == 1) {
		r[VCPUID_ECX] = vs_wk(c, VCPUID_W_24_1_ECX);
	}
}

/* Leaf 0x29 (QEMU 11.0 on, with the 29_0_EBX word): the APX sub-features
 * in subleaf 0 EBX, only with apxf; zero otherwise. */
void vs_leaf_apx(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	vs_zero(r);
	if (sub == 0 && (vs_wk(c, VCPUID_W_7_1_EDX) & FB_7_1_EDX_APXF))
		r[VCPUID_EBX] = vs_wk(c, VCPUID_W_29_0_EBX);
}

void vs_leaf_pt(const vs_ctx *c, uint32_t sub, uint32_t r[4])
{
	vs_zero(r);
	if (!(vs_w(c, VCPUID_W_7_0_EBX) & FB_7_0_EBX_INTEL_PT))
		return;
	if (sub == 0) {
		r[VCPUID_EAX] = PT_MAX_SUBLEAF;
		r[VCPUID_EBX] = PT_0_EBX;
		r[VCPUID_ECX] = PT_0_ECX | (vs_w(c, VCPUID_W_14_0_ECX) & FB_14_0_ECX_INTEL_PT_LIP);
	} else if (sub == 1) {
		r[VCPUID_EAX] = PT_1_EAX;
		r[VCPUID_EBX] = PT_1_EBX;
	}
}

void vs_leaf_amx(const vs_ctx *c, uint32_t leaf, uint32_t sub,
		 uint32_t r[4])
{
	vs_zero(r);
	if (!(vs_w(c, VCPUID_W_7_0_EDX) & FB_7_0_EDX_AMX_TILE))
		return;
	if (leaf == 0x1D && sub == 0) {
		r[VCPUID_EAX] = AMX_MAX_PALETTE;
	} else if (leaf == 0x1D && sub == 1) {
		r[VCPUID_EAX] = AMX_1_EAX;
		r[VCPUID_EBX] = AMX_1_EBX;
		r[VCPUID_ECX] = AMX_1_ECX;
	} else if (leaf == 0x1E && sub == 0) {
		r[VCPUID_EBX] = AMX_TMUL_EBX;
	}
}
