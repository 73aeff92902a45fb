/* SPDX-License-Identifier: MIT */
/* msrs: the feature MSRs QEMU 7.2 writes with KVM_SET_MSRS right after
 * KVM_SET_CPUID2 (kvm_init_msrs), in its order: ARCH_CAPABILITIES,
 * CORE_CAPABILITY, PERF_CAPABILITIES, UCODE_REV, then the VMX MSRs (from
 * QEMU 10.1: the VMX MSRs before UCODE_REV).
 * Which ones are written depends on the host's KVM_GET_MSR_INDEX_LIST;
 * the VMX ones need KVM's feature MSRs (KVM_CAP_GET_MSR_FEATURES). */
#include "synth/synth.h"
#include "feature_bits.h"
#include "host/query.h"

enum {
	MSR_ARCH_CAP = 0x10A, MSR_CORE_CAP = 0xCF, MSR_PERF_CAP = 0x345,
	MSR_UCODE_REV = 0x8B,
	MSR_VMX_BASIC = 0x480, MSR_VMX_MISC = 0x485, MSR_VMX_CR0_FIXED0 = 0x486,
	MSR_VMX_CR4_FIXED0 = 0x488, MSR_VMX_VMCS_ENUM = 0x48A,
	MSR_VMX_PROCBASED2 = 0x48B, MSR_VMX_EPT_VPID = 0x48C,
	MSR_VMX_TRUE_PINBASED = 0x48D, MSR_VMX_TRUE_PROCBASED = 0x48E,
	MSR_VMX_TRUE_EXIT = 0x48F, MSR_VMX_TRUE_ENTRY = 0x490,
	MSR_VMX_VMFUNC = 0x491,
};

/* The VMX control MSRs: feature word, "default1" bits that must be one
 * unless the feature word allows zero (SDM appendix A.2). Data, in
 * QEMU's write order. */
static const struct vmx_ctl {
	uint32_t msr;
	enum vcpuid_word word;
	uint32_t default1;
} vmx_ctls[] = {
	{ MSR_VMX_TRUE_PROCBASED, VCPUID_W_VMX_PROCBASED, 0x0401e172 },
	{ MSR_VMX_TRUE_PINBASED, VCPUID_W_VMX_PINBASED, 0x00000016 },
	{ MSR_VMX_TRUE_EXIT, VCPUID_W_VMX_EXIT, 0x00036dff },
	{ MSR_VMX_TRUE_ENTRY, VCPUID_W_VMX_ENTRY, 0x000011ff },
	{ MSR_VMX_PROCBASED2, VCPUID_W_VMX_SECONDARY, 0 },
};

#define VMX_EXIT_HOST_ADDR_SPACE_SIZE (1ull << 9)
#define VMX_BASIC_FIXED_MASK (0x7fffffffull | (0x1fffull << 32) | (0xfull << 50))
#define VMX_MISC_FIXED_MASK (0x1full | (0x7ull << 25))
#define VMX_EPT_UC (1ull << 8)
#define VMX_EPT_WB (1ull << 14)
#define CR0_FIXED0 (1ull | (1ull << 31) | (1ull << 5)) /* PE | PG | NE */
#define CR4_FIXED0 (1ull << 13)			/* VMXE */

/* QEMU reads feature MSRs only with KVM_CAP_GET_MSR_FEATURES. */
static bool has_feature_msrs(const hq_view *h)
{
	return h->cap_get_msr_features && h->n_feature_msrs > 0;
}

/* A feature MSR as KVM reports it, 0 when it does not. */
static uint64_t kvm_msr(const hq_view *h, uint32_t msr)
{
	uint64_t v = 0;
	return hq_view_feature_msr(h, msr, &v) ? v : 0;
}

static uint64_t vmx_ctl_value(const struct vmx_ctl *c, uint32_t features)
{
	uint32_t can_be_one = features | c->default1;
	uint32_t can_be_zero = features | ~c->default1;
	uint32_t must_be_one = ~can_be_zero;
	return must_be_one | ((uint64_t)can_be_one << 32);
}

static int add(vcpuid_msr_list *l, uint32_t msr, uint64_t v, vcpuid_error *err)
{
	if (vcpuid_msr_list_add(l, msr, v))
		return vcpuid_fail(err, VCPUID_E_NOMEM, "msrs.c: out of memory");
	return 0;
}

/* IA32_VMX_VMCS_ENUM: the highest index (bits 9:1 of a VMCS field
 * encoding) of the fields the guest's VMX features bring, first match
 * wins. From QEMU 9.2 (rule VMCS_ENUM_FRED_EXIT2) FRED's injected-event
 * data (0x2052) and the secondary VM-exit controls (0x2044) come first;
 * before, only the TSC multiplier (0x2032) and the preemption timer value
 * (0x482E). */
static uint64_t vmcs_enum(const vs_ctx *c)
{
	const uint64_t *f = c->cpu->features;
	if (c->rule[VS_R_VMCS_ENUM_FRED_EXIT2]) {
		if (f[VCPUID_W_7_1_EAX] & FB_7_1_EAX_FRED)
			return 0x52;
		if (f[VCPUID_W_VMX_EXIT] & FB_VMX_EXIT_VMX_EXIT_SECONDARY_CTLS)
			return 0x44;
	}
	if (f[VCPUID_W_VMX_SECONDARY] & FB_VMX_SECONDARY_VMX_TSC_SCALING)
		return 0x32;
	return 0x2E;
}

static int vmx_msrs(const vs_ctx *c, vcpuid_msr_list *l, vcpuid_error *err)
{
	const hq_view *h = c->hv;
	const uint64_t *f = c->cpu->features;
	uint64_t basic = kvm_msr(h, MSR_VMX_BASIC);
	if (!basic)
		return 0; /* nested VMX off in the host's KVM */
	uint64_t misc = kvm_msr(h, MSR_VMX_MISC);
	uint64_t ept_vpid = kvm_msr(h, MSR_VMX_EPT_VPID);
	uint64_t sec = f[VCPUID_W_VMX_SECONDARY];
	uint64_t ept_mask = (sec & FB_VMX_SECONDARY_VMX_EPT) ? VMX_EPT_UC | VMX_EPT_WB : 0;
	int r;
	for (size_t i = 0; i < ARRAY_SIZE(vmx_ctls); i++) {
		uint64_t v = vmx_ctl_value(&vmx_ctls[i],
					   (uint32_t)f[vmx_ctls[i].word]);
		if (vmx_ctls[i].msr == MSR_VMX_TRUE_EXIT &&
		    (f[VCPUID_W_8000_0001_EDX] & FB_8000_0001_EDX_LM))
			v |= VMX_EXIT_HOST_ADDR_SPACE_SIZE << 32;
		if ((r = add(l, vmx_ctls[i].msr, v, err)))
			return r;
	}
	if ((r = add(l, MSR_VMX_EPT_VPID, f[VCPUID_W_VMX_EPT_VPID] |
						  (ept_vpid & ept_mask), err)) ||
	    (r = add(l, MSR_VMX_BASIC,
		     f[VCPUID_W_VMX_BASIC] | (basic & VMX_BASIC_FIXED_MASK), err)) ||
	    (r = add(l, MSR_VMX_MISC,
		     f[VCPUID_W_VMX_MISC] | (misc & VMX_MISC_FIXED_MASK), err)))
		return r;
	if (h->idx_vmfunc &&
	    (r = add(l, MSR_VMX_VMFUNC, f[VCPUID_W_VMX_VMFUNC], err)))
		return r;
	if ((r = add(l, MSR_VMX_CR0_FIXED0, CR0_FIXED0, err)) ||
	    (r = add(l, MSR_VMX_CR4_FIXED0, CR4_FIXED0, err)))
		return r;
	return add(l, MSR_VMX_VMCS_ENUM, vmcs_enum(c), err);
}

static uint64_t ucode_rev(const vs_ctx *c)
{
	if (c->cpu->ucode_rev)
		return c->cpu->ucode_rev;
	return c->amd ? 0x01000065ull : 0x100000000ull; /* KVM's defaults */
}

int vs_feature_msrs(const vs_ctx *c, vcpuid_msr_list *l, vcpuid_error *err)
{
	const hq_view *h = c->hv;
	const uint64_t *f = c->cpu->features;
	int r;
	if (!h->present || !h->kvm)
		return 0;
	if (h->idx_arch_cap &&
	    (r = add(l, MSR_ARCH_CAP, f[VCPUID_W_ARCH_CAP], err)))
		return r;
	if (h->idx_core_cap &&
	    (r = add(l, MSR_CORE_CAP, f[VCPUID_W_CORE_CAP], err)))
		return r;
	if (h->idx_perf_cap && c->cpu->pmu) {
		uint64_t kvm_perf = kvm_msr(h, MSR_PERF_CAP);
		if (kvm_perf &&
		    (r = add(l, MSR_PERF_CAP, kvm_perf & f[VCPUID_W_PERF_CAP], err)))
			return r;
	}
	/* QEMU 10.1 (the TDX series: "skip the feature MSRs for TDX") moved
	 * the VMX MSRs before UCODE_REV in kvm_init_msrs; no compat property,
	 * so a binary of 10.1 on writes them in that order on every machine
	 * type (seen with the 11.1 random differential, nested VMX hosts;
	 * MSR order only: no data/qemu_changes.def row) */
	bool vmx = has_feature_msrs(h) && (f[VCPUID_W_1_ECX] & FB_1_ECX_VMX);
	if (vmx && c->qemu >= 1001 && (r = vmx_msrs(c, l, err)))
		return r;
	if (h->idx_ucode_rev &&
	    (r = add(l, MSR_UCODE_REV, ucode_rev(c), err)))
		return r;
	if (vmx && c->qemu < 1001)
		return vmx_msrs(c, l, err);
	return 0;
}
